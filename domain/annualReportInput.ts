import { z } from 'zod';
import { optionalText, filledText } from './freeText';
import { customIssue } from './issues';

// Apart from the report's rules (annualReport.ts): workflow code uses those and must not load zod (test/unit/workflowSandbox.test.ts).

/** Bounds of what the secretariat writes, in characters: the whole text stays well inside a request. */
/** Text as people type it into a form; the line breaks a browser sends (CRLF) become plain ones, so a line is a line. */
const prose = (max: number) => optionalText(max).transform((text) => text.replace(/\r\n?/g, '\n'));

export const narrativeBounds = { overallAssessment: 10_000, commentary: 3_000, projects: 60, answersToCouncil: 10_000, evaluation: 20_000 } as const;

/**
 * The secretariat's own text in the draft: its overall assessment of the year, a
 * commentary on each project in the report, and its answers to the comments the
 * council returned the last version with. Plain text; a line may be a Markdown-style
 * heading or bullet. Carried from one version to the next, so a redraft starts from it.
 */
export const reportNarrativeInput = z
  .strictObject({
    overallAssessment: prose(narrativeBounds.overallAssessment).default(''),
    projects: z
      .array(z.strictObject({ proposalId: filledText().trim().min(1).max(40), commentary: prose(narrativeBounds.commentary) }))
      .max(narrativeBounds.projects)
      .default([]),
    answersToCouncil: prose(narrativeBounds.answersToCouncil).default(''),
  })
  .superRefine((n, ctx) => {
    const seen = new Set<string>();
    n.projects.forEach((p, i) => {
      if (seen.has(p.proposalId)) ctx.addIssue(customIssue({ code: 'projectOnce' }, ['projects', i, 'proposalId'], p.proposalId));
      seen.add(p.proposalId);
    });
  });
export type ReportNarrative = z.output<typeof reportNarrativeInput>;

/**
 * The evaluation of the council's work (evaluering af rådets arbejde, seed §5): the
 * secretariat's section laid before the city council with the report. It is not the
 * council's to approve, so it can be written until the report is sent; empty removes it.
 */
export const councilEvaluationInput = z.strictObject({ evaluation: prose(narrativeBounds.evaluation) });
