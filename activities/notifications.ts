import { createHmac } from 'node:crypto';
import type { Transporter } from 'nodemailer';
import { annualReportYear } from '../domain/annualReport';
import { agendaItemPath, isMeetingId, type Meeting } from '../domain/meeting';
import type { Role } from '../domain/people';
import type { Reason } from '../domain/refusals';
import type { TaskKind } from '../domain/tasks';
import type { NotificationEvent, WebhookPayload } from '../domain/outbox';
import { composeMessage, type MessageFacts } from './messages';
import type { OutboxDoc, Store } from '../store';
import { insertOnce } from '../store/serialised';

export interface NotificationSettings {
  publicUrl: string;
  mailFrom: string;
  mailer?: Transporter;
  webhook?: { url: string; secret: string };
  /** Told when an entry is written, so a delivery loop in this process can send it at once. */
  onQueued?: () => void;
}

export interface NotifyRequest {
  /** Derived from workflow id and step: the same key never notifies twice. */
  key: string;
  event: NotificationEvent;
  proposalId: string;
  taskId?: string;
  /**
   * The named people and the holders of the roles as they are when the notice is recorded, but for `except`.
   * `otherwise`: the role the named people act in; those who no longer hold it are not told, and if none is left, its holders are.
   */
  to: { users?: string[]; roles?: Role[]; except?: string[]; otherwise?: Role };
  /** Why it happened, told in each recipient's language: a return to the secretariat, a void approval. */
  reason?: Reason;
}

/** HMAC-SHA256 over the exact JSON body, so a receiver can tell the fund sent it. */
export function signWebhook(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** The page a notification links to: the task, else the meeting, the annual report or the proposal it is about. */
function pagePath(n: NotifyRequest, reportYear: number | undefined): string {
  if (n.taskId) return `/tasks/${encodeURIComponent(n.taskId)}`;
  if (isMeetingId(n.proposalId)) return `/meetings/${encodeURIComponent(n.proposalId)}`;
  return reportYear ? `/reports/${reportYear}` : `/proposals/${encodeURIComponent(n.proposalId)}`;
}

/** A meeting as its notices and tasks name it, in Danish as a report's title is: its kind and day in Copenhagen. */
const meetingTitle = (m: Meeting) =>
  `${m.kind === 'dialogue' ? 'Dialogmøde med Magistraten' : 'Rådsmøde'} ${new Date(m.startsAt).toLocaleDateString('da-DK', { timeZone: 'Europe/Copenhagen' })}`;

/** Reminders and escalations are about an open task: sent only while it is open and with the same holder. */
const aboutOpenTask = new Set<NotificationEvent>(['taskReminder', 'taskEscalated']);

/**
 * Hands one outbox entry to the SMTP server or the webhook receiver; throws if it is
 * not taken. The Message-ID and the x-sif-delivery header are the entry's key, so a
 * receiver can recognise the rare second delivery (a crash after the handover).
 */
export async function sendOutboxEntry(entry: OutboxDoc, s: Pick<NotificationSettings, 'mailFrom' | 'mailer' | 'webhook'>): Promise<void> {
  if (entry.channel === 'email') {
    if (!s.mailer) throw new Error('no SMTP server is configured (SMTP_URL)');
    await s.mailer.sendMail({
      from: s.mailFrom,
      to: entry.toName ? { name: entry.toName, address: entry.to! } : entry.to!,
      subject: entry.subject,
      text: entry.body,
      messageId: `<${entry._id}@social-investment-fund>`,
      headers: { 'X-SIF-Event': entry.event },
    });
    return;
  }
  if (!s.webhook) throw new Error('no webhook is configured (WEBHOOK_URL)');
  const res = await fetch(entry.to ?? s.webhook.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-sif-signature': signWebhook(entry.body, s.webhook.secret), 'x-sif-delivery': entry._id },
    body: entry.body,
    signal: AbortSignal.timeout(60_000),
  });
  if (!res.ok) throw new Error(`webhook answered ${res.status}`);
}

/**
 * Why a reminder or escalation is no longer to be sent (the task was completed,
 * cancelled or reassigned since it was written), or undefined if it still is.
 */
export async function obsoleteReason(store: Store, entry: OutboxDoc): Promise<Extract<Reason, { code: 'notificationObsolete' }> | undefined> {
  if (!aboutOpenTask.has(entry.event as NotificationEvent) || !entry.taskId) return undefined;
  const task = await store.tasks.findById(entry.taskId, { status: 1, assignee: 1 }).lean();
  if (!task) return { code: 'notificationObsolete', why: 'taskGone' };
  if (task.status !== 'open') return { code: 'notificationObsolete', why: 'taskClosed', status: task.status };
  if (entry.taskAssignee !== undefined && (task.assignee ?? null) !== entry.taskAssignee) return { code: 'notificationObsolete', why: 'taskReassigned' };
  return undefined;
}

export function notificationActivities(store: Store, s: NotificationSettings) {
  /** The members whose vote in the council's deciding round was cancelled unanswered: the round was decided without them. */
  async function absentFromCouncil(proposalId: string): Promise<string[]> {
    const votes = await store.tasks.find({ proposalId, kind: 'councilVote' }, { round: 1, status: 1, assignee: 1 }).lean();
    const last = Math.max(0, ...votes.map((v) => v.round ?? 0));
    const absent = votes.filter((v) => v.round === last && v.status === 'cancelled' && v.assignee).map((v) => v.assignee!);
    const people = await store.users.find({ _id: { $in: absent } }, { name: 1 }).lean();
    return people.map((p) => p.name).sort((a, b) => a.localeCompare(b, 'da'));
  }

  return {
    /**
     * Records the notification in the outbox and returns: a short write, so a case
     * never waits for a mail server or a webhook receiver. The worker's delivery loop
     * (worker/outboxDelivery.ts) sends it, with backoff, outside the case's path.
     */
    async notify(n: NotifyRequest): Promise<void> {
      const proposal = await store.proposals.findById(n.proposalId, { 'content.title': 1, stage: 1 }).lean();
      const task = n.taskId ? await store.tasks.findById(n.taskId).lean() : null;
      const roleHolders = n.to.roles?.length ? await store.users.find({ roles: { $in: n.to.roles }, active: true }).lean() : [];
      // Only people still active are told: one who has left (deactivated) gets no more of the fund's cases.
      const active = n.to.users?.length ? await store.users.find({ _id: { $in: n.to.users }, active: true }).lean() : [];
      const { otherwise } = n.to;
      const acting = otherwise ? active.filter((u) => u.roles.includes(otherwise)) : active;
      const named = otherwise && acting.length === 0 ? await store.users.find({ roles: otherwise, active: true }).lean() : acting;
      const recipients = [...new Map([...named, ...roleHolders].map((u) => [u._id, u])).values()]
        .filter((u) => !n.to.except?.includes(u._id))
        .sort((a, b) => a._id.localeCompare(b._id));
      const assignee = task ? await store.users.findById(task.assignee).lean() : null;
      const reportYear = annualReportYear(n.proposalId);
      const meeting = isMeetingId(n.proposalId) ? (await store.meetings.findById(n.proposalId, { meeting: 1 }).lean())?.meeting : undefined;
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- lean() gives content as FlattenMaps<unknown>, which the rule takes for the asserted type; tsc needs it
      const title = (proposal?.content as { title?: string } | undefined)?.title ?? (reportYear ? `Afrapportering ${reportYear}` : meeting ? meetingTitle(meeting) : n.proposalId);
      const link = `${s.publicUrl}${pagePath(n, reportYear)}`;
      const facts: MessageFacts = {
        event: n.event,
        title,
        taskKind: task?.kind as TaskKind | undefined,
        taskRound: task?.round,
        dueAt: task?.dueAt,
        assigneeName: assignee?.name,
        link,
        stage: proposal?.stage,
        reason: n.reason,
        absentMembers: task?.kind === 'mayoralApproval' ? await absentFromCouncil(n.proposalId) : undefined,
        meeting: meeting && {
          kind: meeting.kind,
          startsAt: new Date(meeting.startsAt),
          place: meeting.place,
          videoLink: meeting.videoLink,
          // Each decision paper's page, so the members read them before the meeting.
          agenda: meeting.agenda.map((i) => ({ title: i.title, ...(i.round ? { round: i.round } : {}), link: `${s.publicUrl}${agendaItemPath(i)}` })),
          cancelReason: meeting.cancellation?.reason,
        },
      };
      const { subject, body } = composeMessage(facts);
      const createdAt = new Date();
      const common = {
        event: n.event,
        proposalId: n.proposalId,
        taskId: n.taskId,
        subject,
        body,
        link,
        createdAt,
        nextAttemptAt: createdAt,
        attempts: 0,
        failures: 0,
        ...(task && aboutOpenTask.has(n.event) ? { taskAssignee: task.assignee ?? null } : {}),
      };

      for (const user of recipients) {
        await insertOnce(store.outbox, `${n.key}.${user._id}.email`, {
          ...common,
          channel: 'email',
          userId: user._id,
          to: user.email,
          toName: user.name,
          language: user.language === 'en' ? 'en' : 'da',
          ...composeMessage(facts, user.language === 'en' ? 'en' : 'da'),
          status: s.mailer ? 'pending' : 'unconfigured',
        });
      }

      if (s.webhook) {
        const id = `${n.key}.webhook`;
        const webhook: WebhookPayload = { id, event: n.event, proposalId: n.proposalId, taskId: n.taskId, recipients: recipients.map((r) => r._id), link };
        const payload = JSON.stringify(webhook);
        await insertOnce(store.outbox, id, { ...common, channel: 'webhook', to: s.webhook.url, body: payload, status: 'pending' });
      }
      s.onQueued?.();
    },
  };
}
