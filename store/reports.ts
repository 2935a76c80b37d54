import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { UpdateQuery } from 'mongoose';
import type { ReportStatus } from '../domain/annualReport';
import type { ReportNarrative } from '../domain/annualReportInput';
import type { ReportDoc, Store } from '.';
import { lockKey, serialised } from './serialised';

/**
 * What a write of the secretariat's text found: no report, or its status, and whether the
 * report holds the text now (`written`; a text as it stood is left as it is, see
 * saveReportNarrative); `savedSince` when the text was saved by someone after the
 * writer's form was drawn (`removed` when that save took the text away).
 */
export type TextWrite = { found: false } | { found: true; status: ReportStatus; written: boolean; savedSince?: Date; removed?: true };

/** A text saved after the writer's form was drawn: when, and whether that save removed it. */
type SavedSince = { at: Date; removed?: true };

/**
 * Writes into the year's report only while its status allows: read, checked and
 * written under the report's lock, which the workflow's status changes take too
 * (recordReportStatus), so no text lands after the report has moved on, on FerretDB
 * as on MongoDB.
 */
async function writeWhile(
  store: Store,
  year: number,
  allowed: (status: ReportStatus) => boolean,
  update: UpdateQuery<ReportDoc>,
  current?: (doc: Pick<ReportDoc, 'narrative' | 'evaluation'>) => SavedSince | undefined,
  unchanged?: (doc: Pick<ReportDoc, 'narrative' | 'evaluation'>) => boolean,
): Promise<TextWrite> {
  return serialised(store, lockKey(store.reports, year), async () => {
    const doc = await store.reports.findById(year, { status: 1, narrative: 1, evaluation: 1 }).lean();
    if (!doc) return { found: false };
    if (!allowed(doc.status)) return { found: true, status: doc.status, written: false };
    if (unchanged?.(doc)) return { found: true, status: doc.status, written: true };
    const since = current?.(doc);
    if (since) return { found: true, status: doc.status, written: false, savedSince: since.at, ...(since.removed ? { removed: true } : {}) };
    await store.reports.updateOne({ _id: year }, update);
    return { found: true, status: doc.status, written: true };
  });
}

/**
 * The secretariat's text in the draft: only while it is being drafted, never once the
 * council has it. `drawnFrom`: when the text the writer's form showed was saved (null: no
 * text yet); a text saved since by someone else is not written over (undefined: not checked).
 * The text as it stands is not saved again: a sending that checked it still goes to the
 * council (its `rev` stays), and it is no save of which another writer is told.
 */
export function saveReportNarrative(store: Store, year: number, text: ReportNarrative, by: string, drawnFrom?: Date | null): Promise<TextWrite> {
  const asItStands = (doc: Pick<ReportDoc, 'narrative'>) => !!doc.narrative && isDeepStrictEqual(doc.narrative.text, text);
  return writeWhile(
    store,
    year,
    (s) => s === 'drafting',
    { $set: { narrative: { text, by, at: new Date(), rev: randomUUID() } } },
    (doc) => savedAfter(drawnFrom, doc.narrative?.at),
    asItStands,
  );
}

/**
 * The evaluation of the council's work, laid before the city council with the report:
 * until the report is sent. Empty removes it, kept as an empty text with who and when,
 * so a removal is a save like any other: a colleague whose form still showed the
 * evaluation is told of it, not let to put it back unknowingly. `drawnFrom` as for the
 * report's text: an evaluation a colleague saved (or removed) after the writer's form was
 * drawn is not written over.
 */
export function saveCouncilEvaluation(store: Store, year: number, text: string, by: string, drawnFrom?: Date | null): Promise<TextWrite> {
  return writeWhile(
    store,
    year,
    (s) => s !== 'sentToCityCouncil',
    { $set: { evaluation: { text, by, at: new Date() } } },
    (doc) => savedAfter(drawnFrom, doc.evaluation?.at, !doc.evaluation?.text),
    (doc) => (doc.evaluation?.text ?? '') === text,
  );
}

/** The evaluation to show and lay before the city council: none once it was removed. */
export const evaluationText = (doc: Pick<ReportDoc, 'evaluation'>): string | undefined => doc.evaluation?.text || undefined;

/** When a text was saved, if that was after the writer's form was drawn (`drawnFrom`; null: drawn before any text; undefined: not checked). */
function savedAfter(drawnFrom: Date | null | undefined, at: Date | undefined, removed = false): SavedSince | undefined {
  if (drawnFrom === undefined || !at || at.getTime() === drawnFrom?.getTime()) return undefined;
  return removed ? { at, removed: true } : { at };
}

/** The key of a version of a year's report as it went to the council. */
export const reportVersionId = (year: number, version: number) => `${year}.v${version}`;

/**
 * The report as the council got `version` (`kept`), with the evaluation as it stood then
 * (`evaluationChangedSince`: it was saved again before the version was kept, so not known);
 * a version not yet sent, or none asked for, is the report itself (`current`). A version sent
 * before versions were kept, and redrafted since, is shown as the report now stands
 * (`notKept`), which says so; none past the current one.
 */
export async function reportAsOf(
  store: Store,
  doc: ReportDoc,
  version: number | undefined,
): Promise<{ doc: ReportDoc; as: 'kept' | 'current' | 'notKept'; evaluationChangedSince?: true } | undefined> {
  if (version === undefined) return { doc, as: 'current' };
  if (version > doc.version) return undefined;
  const kept = await store.reportVersions.findById(reportVersionId(doc._id, version)).lean();
  if (!kept) return { doc, as: version === doc.version ? 'current' : 'notKept' };
  return {
    doc: { ...doc, version, report: kept.report, narrative: kept.narrative, evaluation: kept.evaluation },
    as: 'kept',
    ...(kept.evaluationChangedSince ? { evaluationChangedSince: true as const } : {}),
  };
}
