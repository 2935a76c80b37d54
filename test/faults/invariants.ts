import type { Client } from '@temporalio/client';
import { effectOf, emptyBalances, type FundBalances } from '../../domain/ledger';
import type { LifecycleState } from '../../domain/lifecycleState';
import type { Store } from '../../store';
import { stateQuery } from '../../workflows/messages';
import { ProposalStage } from '../../workflows/searchAttributes';
import type { ReceivedMail } from '../support/smtpPeer';
import type { FundClient } from './client';

export interface Observed {
  client: Client;
  store: Store;
  api: FundClient;
  /** Everything the SMTP peer received, across its restarts. */
  mails: () => ReceivedMail[];
  webhooks: { id: string }[];
}

export interface Findings {
  /** Broken invariants: the test fails if any remain once things have settled. */
  problems: string[];
  /** Outbox entries delivered twice after their sender died between handing over and recording it (at-least-once; same Message-ID). */
  redelivered: string[];
  counts: Record<string, number>;
}

const messageIdOf = (entryId: string) => `<${entryId}@social-investment-fund>`;

/**
 * Every invariant the fault suite holds the system to, read from the workflows
 * (describe, the `state` query, the ProposalStage search attribute), the database
 * (read model, tasks, timeline, ledger, outbox) and what the SMTP peer and the
 * webhook receiver got. Nothing lost, nothing doubled, every view of a case agrees.
 */
export async function findProblems(o: Observed): Promise<Findings> {
  const problems: string[] = [];
  const redelivered: string[] = [];
  const { client, store } = o;

  const proposals = await store.proposals.find({}).sort({ _id: 1 }).lean();
  const states = new Map<string, LifecycleState>();

  // Proposals: one case per creation the clients were told of, none unknown to them.
  const known = new Set(o.api.created);
  for (const id of known) if (!proposals.some((p) => p._id === id)) problems.push(`${id}: created (201) but not in the read model`);
  for (const p of proposals) if (!known.has(p._id)) problems.push(`${p._id}: in the read model but no client created it`);

  const [tasks, events, outbox, claims, ledger] = await Promise.all([
    store.tasks.find({}).lean(),
    store.events.find({}).lean(),
    store.outbox.find({}).lean(),
    store.outboxClaims.find({}, { entryId: 1 }).lean(),
    store.ledger.find({}).sort({ seq: 1 }).lean(),
  ]);
  const tasksById = new Map(tasks.map((t) => [t._id, t]));

  for (const p of proposals) {
    const handle = client.workflow.getHandle(p.workflowId);
    let state: LifecycleState;
    let saStage: string | undefined;
    try {
      const described = await handle.describe();
      saStage = described.typedSearchAttributes.get(ProposalStage);
      state = await handle.query(stateQuery);
    } catch (err) {
      problems.push(`${p._id}: its workflow cannot be described or asked: ${(err as Error).message}`);
      continue;
    }
    states.set(p._id, state);
    if (!(state.stage === p.stage && p.stage === saStage)) {
      problems.push(`${p._id}: stage differs: workflow ${state.stage}, read model ${p.stage}, ProposalStage ${saStage}`);
    }
    if (state.stageSeq !== p.stageSeq) problems.push(`${p._id}: stageSeq workflow ${state.stageSeq}, read model ${p.stageSeq}`);
    const mine = events.filter((e) => e.proposalId === p._id);
    const stageEvents = mine.filter((e) => e.type === 'stageChanged').length;
    if (stageEvents !== state.stageSeq) problems.push(`${p._id}: ${stageEvents} stage changes on the timeline, the workflow made ${state.stageSeq}`);

    // Tasks: the workflow's and the read model's agree; each completion is on the timeline once.
    const ids = state.tasks.map((t) => t.id);
    if (new Set(ids).size !== ids.length) problems.push(`${p._id}: the workflow holds a task twice: ${ids.join(', ')}`);
    for (const t of state.tasks) {
      const doc = tasksById.get(t.id);
      if (!doc) {
        problems.push(`${t.id}: in the workflow (${t.status}) but not in the read model`);
        continue;
      }
      if (doc.status !== t.status) problems.push(`${t.id}: status workflow ${t.status}, read model ${doc.status}`);
      if ((doc.completedBy ?? undefined) !== t.completedBy) problems.push(`${t.id}: completed by ${t.completedBy} in the workflow, ${doc.completedBy} in the read model`);
      const completedEvents = mine.filter((e) => e.type === 'taskCompleted' && (e.details as { taskId?: string })?.taskId === t.id);
      const expected = t.status === 'completed' ? 1 : 0;
      if (completedEvents.length !== expected) problems.push(`${t.id}: ${completedEvents.length} completions on the timeline, expected ${expected}`);
      if (completedEvents[0] && completedEvents[0].by !== t.completedBy)
        problems.push(`${t.id}: the timeline says ${completedEvents[0].by} completed it, the workflow ${t.completedBy}`);
      const opened = mine.filter((e) => e.type === 'taskOpened' && (e.details as { taskId?: string })?.taskId === t.id).length;
      if (opened !== 1) problems.push(`${t.id}: opened ${opened} times on the timeline`);
      // Nothing lost: every task was announced, by mail and by webhook.
      if (!outbox.some((e) => e.taskId === t.id && e.event === 'taskCreated' && e.channel === 'email')) problems.push(`${t.id}: no taskCreated mail in the outbox`);
      if (!outbox.some((e) => e._id === `${t.id}.created.webhook`)) problems.push(`${t.id}: no taskCreated webhook in the outbox`);
    }
    for (const doc of tasks.filter((t) => t.proposalId === p._id)) {
      if (!ids.includes(doc._id)) problems.push(`${doc._id}: in the read model but not in the workflow`);
    }
  }

  // What the clients were told: a completion they were told of happened, by them, once.
  const doneBy = new Map<string, string[]>();
  for (const c of o.api.completions) if (c.outcome === 'done') doneBy.set(c.taskId, [...(doneBy.get(c.taskId) ?? []), c.user]);
  for (const [taskId, users] of doneBy) {
    if (users.length > 1) problems.push(`${taskId}: ${users.length} clients were told they completed it (${users.join(', ')})`);
    const state = states.get(taskId.split('.')[0]);
    const t = state?.tasks.find((x) => x.id === taskId);
    if (state && (t?.status !== 'completed' || t.completedBy !== users[0]))
      problems.push(`${taskId}: ${users[0]} was told it is done; the workflow has ${t?.status} by ${t?.completedBy}`);
  }

  // Nothing that happened was told as refused: whoever completed a task was told so.
  for (const [id, state] of states) {
    for (const t of state.tasks) {
      if (t.status !== 'completed') continue;
      const asked = o.api.completions.filter((c) => c.taskId === t.id && c.user === t.completedBy);
      if (asked.length > 0 && !asked.some((c) => c.outcome === 'done'))
        problems.push(`${t.id} (${id}): completed by ${t.completedBy}, whose client was refused (${asked.map((c) => c.status).join(', ')})`);
    }
  }

  // The ledger: an unbroken chain whose balances are the sum of its entries, never below zero.
  let running: FundBalances = { ...emptyBalances };
  const reserved: Record<string, number> = {};
  const earmarked: Record<string, number> = {};
  ledger.forEach((e, i) => {
    if (e.seq !== i + 1) problems.push(`ledger: entry ${e._id} has seq ${e.seq}, expected ${i + 1}`);
    const effect = effectOf({ kind: e.kind, amountOre: e.amountOre, proposalId: e.proposalId, fromReservation: e.fromReservation, fromEarmarkOre: e.fromEarmarkOre });
    running = { ...running };
    for (const [k, v] of Object.entries(effect.delta)) running[k as keyof FundBalances] += v;
    if (e.proposalId) {
      reserved[e.proposalId] = (reserved[e.proposalId] ?? 0) + effect.reservedDelta;
      earmarked[e.proposalId] = (earmarked[e.proposalId] ?? 0) + effect.earmarkedDelta;
    }
    for (const k of Object.keys(emptyBalances) as (keyof FundBalances)[]) {
      if ((e.balancesAfter[k] ?? 0) !== running[k]) problems.push(`ledger: after ${e._id} (seq ${e.seq}) ${k} is ${e.balancesAfter[k]}, the entries sum to ${running[k]}`);
    }
    if (running.freeOre < 0) problems.push(`ledger: free below zero after ${e._id}`);
  });
  const head = ledger[ledger.length - 1];
  if (head) {
    for (const [p, v] of Object.entries(reserved))
      if ((head.reservedByProposalAfter[p] ?? 0) !== v) problems.push(`ledger: ${p} reserved ${head.reservedByProposalAfter[p]} at the head, entries sum to ${v}`);
    for (const [p, v] of Object.entries(earmarked))
      if ((head.earmarkedByProposalAfter?.[p] ?? 0) !== v) problems.push(`ledger: ${p} earmarked ${head.earmarkedByProposalAfter?.[p]} at the head, entries sum to ${v}`);
  }
  // Each booking step once: what the workflows hold is what the ledger holds.
  for (const [id, state] of states) {
    const g = state.grant;
    const paidInWorkflow = g ? g.tranches.filter((t) => t.status === 'paid').reduce((s, t) => s + t.amountOre, 0) : 0;
    const paidInLedger = ledger.filter((e) => e.proposalId === id && e.kind === 'directGrant').reduce((s, e) => s + e.amountOre, 0);
    if (paidInWorkflow !== paidInLedger) problems.push(`${id}: the workflow paid ${paidInWorkflow} øre of its grant, the ledger ${paidInLedger}`);
    if ((g?.reservedOre ?? 0) !== (reserved[id] ?? 0)) problems.push(`${id}: the workflow holds ${g?.reservedOre ?? 0} øre reserved, the ledger ${reserved[id] ?? 0}`);
    const reservations = ledger.filter((e) => e.proposalId === id && e.kind === 'reservation').length;
    if (reservations !== (g ? 1 : 0)) problems.push(`${id}: ${reservations} reservations in the ledger for ${g ? 'one grant' : 'no grant'}`);
  }

  // The outbox: every notification handed over (or skipped as obsolete), none twice.
  const claimsOf = new Map<string, number>();
  for (const c of claims) claimsOf.set(c.entryId, (claimsOf.get(c.entryId) ?? 0) + 1);
  const mails = o.mails();
  const mailCount = new Map<string, number>();
  for (const m of mails) mailCount.set(m.messageId, (mailCount.get(m.messageId) ?? 0) + 1);
  const hookCount = new Map<string, number>();
  for (const h of o.webhooks) hookCount.set(h.id, (hookCount.get(h.id) ?? 0) + 1);
  const entries = new Map(outbox.map((e) => [e._id, e]));
  for (const e of outbox) {
    if (!['sent', 'skipped'].includes(e.status)) {
      problems.push(`outbox: ${e._id} is ${e.status} (${e.attempts} attempts${e.lastError ? `, last error: ${e.lastError}` : ''})`);
      continue;
    }
    const received = e.channel === 'email' ? (mailCount.get(messageIdOf(e._id)) ?? 0) : (hookCount.get(e._id) ?? 0);
    if (e.status === 'sent' && received === 0) problems.push(`outbox: ${e._id} is sent but never arrived`);
    if (e.status === 'skipped' && received > 0) problems.push(`outbox: ${e._id} is skipped but arrived`);
    if (received > 1) {
      // At least once by design: a sender killed after the handover, before recording it,
      // leaves the entry to the next claim, which sends it again under the same id.
      if ((claimsOf.get(e._id) ?? 0) >= 2) redelivered.push(`${e._id} (${received}×, ${claimsOf.get(e._id)} claims)`);
      else problems.push(`outbox: ${e._id} arrived ${received} times with a single claim`);
    }
  }
  for (const id of mailCount.keys()) {
    const entryId = /^<(.*)@social-investment-fund>$/.exec(id)?.[1];
    if (!entryId || entries.get(entryId)?.channel !== 'email') problems.push(`SMTP peer: a mail ${id} with no outbox entry`);
  }
  for (const id of hookCount.keys()) if (entries.get(id)?.channel !== 'webhook') problems.push(`webhook receiver: a delivery ${id} with no outbox entry`);

  return {
    problems,
    redelivered,
    counts: {
      proposals: proposals.length,
      tasks: tasks.length,
      completionsDone: o.api.completions.filter((c) => c.outcome === 'done').length,
      timeline: events.length,
      ledger: ledger.length,
      outbox: outbox.length,
      mails: mails.length,
      webhooks: o.webhooks.length,
    },
  };
}

/**
 * Lets the system settle (workers finish their activities, the outbox drains), then
 * holds it to the invariants: polls until two reads in a row find nothing wrong,
 * within a bound, and fails with what is still wrong after it.
 */
export async function assertInvariants(o: Observed, what: string, note: (line: string) => void, boundMs = 150_000): Promise<Findings> {
  const deadline = Date.now() + boundMs;
  let clean = 0;
  let last: Findings | undefined;
  for (;;) {
    try {
      last = await findProblems(o);
    } catch (err) {
      last = { problems: [`the check itself failed: ${(err as Error).message}`], redelivered: [], counts: {} };
    }
    clean = last.problems.length === 0 ? clean + 1 : 0;
    if (clean >= 2) break;
    if (Date.now() > deadline) {
      throw new Error(`${what}: ${last.problems.length} invariants still broken after ${boundMs / 1000} s:\n  ${last.problems.slice(0, 40).join('\n  ')}`);
    }
    await new Promise((r) => setTimeout(r, clean ? 500 : 2_000));
  }
  note(`${what}: invariants hold ${JSON.stringify(last.counts)}${last.redelivered.length ? `; redelivered (at least once): ${last.redelivered.join(', ')}` : ''}`);
  return last;
}
