import type { Reason } from '../../domain/refusals';
import type { Activities } from '../../activities';
import type { NotifyRequest } from '../../activities/notifications';
import type { EventRecord } from '../../activities/timeline';
import { loadConfig } from '../../config';
import { admitBooking, balancesOf, effectOf, type BookingResult, type FundBalances } from '../../domain/ledger';
import { thresholdsOn } from '../../domain/procurement';
import { councilOf } from '../../domain/council';
import type { Meeting } from '../../domain/meeting';
import type { Role } from '../../domain/people';
import type { Stage } from '../../domain/stages';
import type { TaskKind } from '../../domain/tasks';
import { positionOf, type EarmarkRequest } from '../../store/fund';
import type { LedgerRequest } from '../../store/ledger';
import type { CommitmentRecord } from '../../store/commitments';

/** The settings the workflows read through activities: the project's own configuration files. */
export const fakeConfig = loadConfig({ AUTH_JWT_SECRET: 'fast-workflow-tests' });

export interface FakeTask {
  id: string;
  proposalId: string;
  kind: TaskKind;
  assignee: string | null;
  role: Role;
  department?: string;
  dueAt: string;
  round?: number;
  status: 'open' | 'completed' | 'cancelled';
  overdue: boolean;
  completedBy?: string;
  input?: unknown;
  cancelReason?: string;
}

export interface FakeFundOptions {
  /** The fund's opening capital in øre (40 million DKK as configured). */
  capitalOre?: number;
  /** What proposals approved before earmarks existed will still reserve: the council may approve that much less. */
  committedOre?: number;
}

export interface FakeWorldOptions extends FakeFundOptions {
  /** Who holds the council's roles, and who chairs it: the seeded three unless a test says otherwise. */
  council?: { members: string[]; chair: string };
  /** The fund's books, when proposals share them (capitalOre and committedOre are then the fund's own). */
  fund?: FakeFund;
}

/**
 * The fund's books in memory, under the ledger's own rule (admitBooking in
 * domain/ledger.ts): a booking the fund cannot cover is refused, an earmark holds the
 * council's approval, a reservation takes the earmark over. One per proposal, unless
 * proposals share one to compete for the same money.
 */
export class FakeFund {
  readonly ledger: (LedgerRequest & { seq: number })[] = [];
  committedOre: number;

  constructor(options: FakeFundOptions = {}) {
    this.committedOre = options.committedOre ?? 0;
    const capital = options.capitalOre ?? fakeConfig.fund.openingCapital;
    this.book({ key: 'opening-balance', kind: 'capital', amountOre: capital, date: fakeConfig.fund.startDate, reason: 'Fondens startkapital', by: 'system' });
  }

  /** Books once per key, or answers with the refusal the real ledger gives. */
  book(r: LedgerRequest): BookingResult {
    const done = this.ledger.find((e) => e.key === r.key);
    if (done) return { booked: true, seq: done.seq };
    const held = r.proposalId ? { reservedOre: this.reservedFor(r.proposalId), earmarkedOre: this.earmarkedFor(r.proposalId) } : { reservedOre: 0, earmarkedOre: 0 };
    const admission = admitBooking(r, { freeOre: this.balances().freeOre, ...held });
    if (!admission.admitted) return { booked: false, refusal: admission.refusal };
    // As the ledger stores it: the earmark it took over, not what the caller asked to keep free.
    const { keepFreeOre: _keep, fromEarmarkOre: _asked, ...entry } = r;
    const seq = this.ledger.length + 1;
    this.ledger.push({ ...entry, ...(admission.fromEarmarkOre ? { fromEarmarkOre: admission.fromEarmarkOre } : {}), seq });
    return { booked: true, seq };
  }

  balances(): FundBalances {
    return balancesOf(this.ledger);
  }

  reservedFor(proposalId: string): number {
    return this.ledger.filter((e) => e.proposalId === proposalId).reduce((sum, e) => sum + effectOf(e).reservedDelta, 0);
  }

  earmarkedFor(proposalId: string): number {
    return this.ledger.filter((e) => e.proposalId === proposalId).reduce((sum, e) => sum + effectOf(e).earmarkedDelta, 0);
  }

  /** What the council may still approve, by the real formula (store/fund.ts), older approvals counted as `committedOre`. */
  position() {
    const older = this.committedOre > 0 ? [{ _id: 'approved-before-earmarks', content: { businessCase: { requestedFromFund: this.committedOre } } }] : [];
    return positionOf(this.balances(), older);
  }

  /** As store/fund.ts earmarks: free capital beyond what older approvals hold, or the answer how much is available. */
  earmark(e: EarmarkRequest): { booked: true } | { booked: false; availableOre: number } {
    if (e.amountOre <= 0) return { booked: true };
    const result = this.book({ ...e, kind: 'earmark', keepFreeOre: this.committedOre });
    return result.booked ? { booked: true } : { booked: false, availableOre: Math.max(0, this.position().availableOre) };
  }

  /** Gives back whatever the proposal still has earmarked, once per key. */
  releaseEarmark(r: Omit<EarmarkRequest, 'amountOre'>): void {
    if (this.ledger.some((e) => e.key === r.key)) return;
    const held = this.earmarkedFor(r.proposalId);
    if (held > 0) this.book({ ...r, kind: 'earmarkRelease', amountOre: held });
  }
}

/**
 * What the workflow asked the outside world for, kept in memory: tasks, the fund's
 * books (a FakeFund, its own unless shared), stages, timeline events, notifications,
 * and every call in order.
 */
export class FakeWorld {
  readonly calls: { name: keyof Activities; input: unknown }[] = [];
  readonly tasks = new Map<string, FakeTask>();
  readonly stages: { stage: Stage; seq: number; by?: string; reason?: Reason }[] = [];
  readonly events: EventRecord[] = [];
  readonly notifications: NotifyRequest[] = [];
  readonly decisionPapers: { proposalId: string; round: number }[] = [];
  /** Each meeting as its workflow last saved it. */
  readonly meetings = new Map<string, Meeting>();
  /** Each case's newest commitment for the outlook, as the real read model keeps it (a lower `seq` changes nothing). */
  readonly commitments = new Map<string, CommitmentRecord>();
  readonly fund: FakeFund;
  council: { members: string[]; chair: string };
  /** The secretariat as it is now: whoever leaves it is taken out. */
  secretariat = ['sara.secretariat', 'jonas.secretariat'];

  constructor(options: FakeWorldOptions = {}) {
    this.council = options.council ?? { members: ['anne.chair', 'bo.member', 'cecilie.member'], chair: 'anne.chair' };
    this.fund = options.fund ?? new FakeFund(options);
  }

  /** Every entry in the fund's books, in order. */
  get ledger() {
    return this.fund.ledger;
  }

  book(r: LedgerRequest): BookingResult {
    return this.fund.book(r);
  }

  recordCommitment(c: CommitmentRecord) {
    if ((this.commitments.get(c.proposalId)?.seq ?? -1) < c.seq) this.commitments.set(c.proposalId, c);
  }

  balances(): FundBalances {
    return this.fund.balances();
  }

  reservedFor(proposalId: string): number {
    return this.fund.reservedFor(proposalId);
  }

  earmarkedFor(proposalId: string): number {
    return this.fund.earmarkedFor(proposalId);
  }

  /** The bookings of one proposal as [kind, øre] pairs, in order. */
  bookingsOf(proposalId: string): [string, number][] {
    return this.ledger.filter((e) => e.proposalId === proposalId).map((e) => [e.kind, e.amountOre]);
  }

  tasksOf(kind: TaskKind, status?: FakeTask['status']): FakeTask[] {
    return [...this.tasks.values()].filter((t) => t.kind === kind && (!status || t.status === status));
  }

  stageNames(): Stage[] {
    return this.stages.map((s) => s.stage);
  }

  notified(event: NotifyRequest['event']): NotifyRequest[] {
    return this.notifications.filter((n) => n.event === event);
  }

  /** Whom each escalation went to, ordered by the late person it leaves out. */
  escalations(): NotifyRequest['to'][] {
    return this.notified('taskEscalated')
      .map((n) => n.to)
      .sort((a, b) => (a.except?.[0] ?? '').localeCompare(b.except?.[0] ?? ''));
  }

  called(name: keyof Activities): unknown[] {
    return this.calls.filter((c) => c.name === name).map((c) => c.input);
  }
}

/** The one person a role's task goes to, as the seeded people would resolve it. */
const departmentHeads: Record<string, string> = { MSB: 'msb.head', MSO: 'mso.head', MBU: 'mbu.head' };

/** Activities to use instead of the fakes; as a function, given the fake world and the fakes, to wrap them. */
export type Overrides = Partial<Activities> | ((world: FakeWorld, fakes: Activities) => Partial<Activities>);

/**
 * One activity held, as a slow database would hold it, whenever `when` says so, until the
 * test lets it go; its fake runs after. A held activity also holds the time-skipping
 * server's clock: let it go in `finally`, whatever the assertions find.
 */
export function holding<K extends keyof Activities>(name: K, when: (input: Parameters<Activities[K]>[0]) => boolean = () => true) {
  let letGo = () => {};
  const held = new Promise<void>((resolve) => (letGo = resolve));
  const overrides = (_world: FakeWorld, fakes: Activities): Partial<Activities> => ({
    [name]: async (input: Parameters<Activities[K]>[0]) => {
      if (when(input)) await held;
      return (fakes[name] as (i: typeof input) => unknown)(input);
    },
  });
  return { overrides, letGo };
}

type LedgerBooking = Parameters<Activities['bookLedger']>[0];

/** The ledger's answer to a booking the fund's free capital cannot cover. */
const fundTooLow = (r: LedgerBooking) => ({ booked: false as const, refusal: { code: 'fundTooLow' as const, freeOre: 0, kind: r.kind, amountOre: r.amountOre } });

/** A fund that refuses the first `times` reservations (every one unless said) and books everything else. */
export const refusingReservations =
  (times = Infinity) =>
  (world: FakeWorld): Partial<Activities> => {
    let refused = 0;
    return { bookLedger: async (r) => (r.kind === 'reservation' && refused++ < times ? fundTooLow(r) : world.book(r)) };
  };

/**
 * Every activity as an in-memory fake over `world`, with `overrides` in place of
 * any of them; each call is recorded in `world.calls` first. Typed against the
 * real `Activities`, so a changed activity signature fails the type check here.
 */
export function stubActivities(overrides: Overrides = {}, world = new FakeWorld()): { activities: Activities; world: FakeWorld } {
  const fakes: Activities = {
    async recordEvent(e) {
      world.events.push(e);
    },
    async recordStage(s) {
      if (!world.stages.some((x) => x.seq === s.seq)) world.stages.push({ stage: s.stage, seq: s.seq, by: s.by, reason: s.reason });
      if (s.commitment) world.recordCommitment({ proposalId: s.proposalId, ...s.commitment });
    },
    async adoptDraft() {},
    async openTask(t) {
      if (!world.tasks.has(t.id))
        world.tasks.set(t.id, {
          id: t.id,
          proposalId: t.proposalId,
          kind: t.kind,
          assignee: t.assignee,
          role: t.role,
          department: t.department,
          dueAt: t.dueAt,
          round: t.round,
          status: 'open',
          overdue: false,
        });
      // The real activity records the assignee's notice in the same step.
      const created = { key: `${t.id}.created`, event: 'taskCreated' as const, proposalId: t.proposalId, taskId: t.id, to: { users: [t.assignee] } };
      if (!world.notifications.some((x) => x.key === created.key)) world.notifications.push(created);
    },
    async openTasks(ts) {
      for (const t of ts) await fakes.openTask(t);
    },
    async completeTask(c) {
      const task = world.tasks.get(c.taskId);
      if (task?.status === 'open') Object.assign(task, { status: 'completed', assignee: c.by, completedBy: c.by, input: c.input });
    },
    async assignTask(a) {
      const task = world.tasks.get(a.taskId);
      if (task) task.assignee = a.assignee;
    },
    async cancelTasks(c) {
      for (const id of c.taskIds) {
        const task = world.tasks.get(id);
        if (task?.status === 'open') Object.assign(task, { status: 'cancelled', cancelReason: c.reason });
      }
    },
    async markTaskOverdue(m) {
      const task = world.tasks.get(m.taskId);
      if (task) task.overdue = true;
    },
    // The council's roles as people would hold them, judged by the real rule (exactly three, one of them chair).
    async councilComposition() {
      const { members, chair } = world.council;
      const people = [...new Set([...members, chair])].map((id) => ({
        id,
        active: true,
        roles: [...(members.includes(id) ? (['councilMember'] as const) : []), ...(id === chair ? (['councilChair'] as const) : [])],
      }));
      return councilOf(people);
    },
    async resolveAssignee(q) {
      if (q.role === 'mayor') return 'mayor';
      if (q.role === 'councilChair') return world.council.chair;
      if (q.role === 'secretariat') return world.secretariat.find((s) => s === q.preferring) ?? world.secretariat[0];
      if (q.role === 'department' && q.department && departmentHeads[q.department]) return departmentHeads[q.department];
      throw new Error(`no fake person has the role ${q.role}${q.department ? ` for ${q.department}` : ''}`);
    },
    async successorFor(q) {
      const holders: Partial<Record<Role, string[]>> = {
        councilMember: world.council.members,
        councilChair: [world.council.chair],
        department: q.department && departmentHeads[q.department] ? [departmentHeads[q.department]] : [],
      };
      return (holders[q.role] ?? []).find((h) => h !== q.leaving && !q.seated?.includes(h) && !q.recused?.includes(h)) ?? null;
    },
    async bookLedger({ commitment, ...r }) {
      const result = world.book(r);
      if (commitment && r.proposalId) world.recordCommitment({ proposalId: r.proposalId, ...commitment });
      return result;
    },
    async recordCommitment(c) {
      world.recordCommitment(c);
    },
    async fundPosition() {
      return world.fund.position();
    },
    async earmarkApproval(e) {
      return world.fund.earmark(e);
    },
    async releaseEarmark(r) {
      world.fund.releaseEarmark(r);
    },
    // Only the stopped-case review (started by the reconciler, tested on the real servers) releases this way.
    async releaseStoppedCase() {
      return { reservedOre: 0, earmarkedOre: 0 };
    },
    async procurementSettings(q) {
      const p = fakeConfig.procurement;
      return { thresholds: thresholdsOn(p.thresholds, q.date), minimumTenderMs: p.minimumTenderMs, standstillMs: p.standstill };
    },
    async draftAnnualReport(d) {
      return { workflowId: d.workflowId, version: d.version, status: 'drafting' };
    },
    async saveMeeting(m) {
      world.meetings.set(m.meeting.id, structuredClone(m.meeting));
    },
    async recordReportStatus() {
      return {};
    },
    async generateDecisionPaper(g) {
      world.decisionPapers.push({ proposalId: g.proposalId, round: g.round });
      return { version: g.round };
    },
    async notify(n) {
      if (!world.notifications.some((x) => x.key === n.key)) world.notifications.push(n);
    },
  };
  const chosen: Activities = { ...fakes, ...(typeof overrides === 'function' ? overrides(world, fakes) : overrides) };
  const recorded = Object.fromEntries(
    Object.entries(chosen).map(([name, fn]) => [
      name,
      (input: unknown) => {
        world.calls.push({ name: name as keyof Activities, input });
        return (fn as (input: unknown) => unknown)(input);
      },
    ]),
  ) as Activities;
  return { activities: recorded, world };
}
