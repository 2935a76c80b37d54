import { createHmac } from 'node:crypto';
import type { Transporter } from 'nodemailer';
import { annualReportYear } from '../domain/annualReport';
import type { Role } from '../domain/people';
import type { TaskKind } from '../domain/tasks';
import { composeMessage, type NotificationEvent } from './messages';
import type { Store } from '../store';

export interface NotificationSettings {
  publicUrl: string;
  mailFrom: string;
  mailer?: Transporter;
  webhook?: { url: string; secret: string };
}

export interface NotifyRequest {
  /** Derived from workflow id and step: the same key never notifies twice. */
  key: string;
  event: NotificationEvent;
  proposalId: string;
  taskId?: string;
  to: { users?: string[]; roles?: Role[] };
}

/** HMAC-SHA256 over the exact JSON body, so a receiver can tell the fund sent it. */
export function signWebhook(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** The page a notification links to: the task, else the annual report or the proposal it is about. */
function pagePath(n: NotifyRequest, reportYear: number | undefined): string {
  if (n.taskId) return `/tasks/${encodeURIComponent(n.taskId)}`;
  return reportYear ? `/reports/${reportYear}` : `/proposals/${encodeURIComponent(n.proposalId)}`;
}

export function notificationActivities(store: Store, s: NotificationSettings) {
  async function deliver(id: string, send: () => Promise<void>) {
    const entry = await store.outbox.findById(id).lean();
    if (!entry || entry.status !== 'pending') return;
    try {
      await send();
    } catch (err) {
      // Stays pending and the activity retries; the outbox shows why.
      await store.outbox.updateOne({ _id: id }, { $inc: { attempts: 1 }, $set: { lastError: String(err) } });
      throw err;
    }
    await store.outbox.updateOne({ _id: id, status: 'pending' }, { $set: { status: 'sent', sentAt: new Date() }, $inc: { attempts: 1 } });
  }

  return {
    async notify(n: NotifyRequest): Promise<void> {
      const proposal = await store.proposals.findById(n.proposalId, { 'content.title': 1, stage: 1 }).lean();
      const task = n.taskId ? await store.tasks.findById(n.taskId).lean() : null;
      const roleHolders = n.to.roles?.length ? await store.users.find({ roles: { $in: n.to.roles }, active: true }).lean() : [];
      const named = n.to.users?.length ? await store.users.find({ _id: { $in: n.to.users } }).lean() : [];
      const recipients = [...new Map([...named, ...roleHolders].map((u) => [u._id, u])).values()].sort((a, b) => a._id.localeCompare(b._id));
      const assignee = task ? await store.users.findById(task.assignee).lean() : null;
      const reportYear = annualReportYear(n.proposalId);
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- lean() gives content as FlattenMaps<unknown>, which the rule takes for the asserted type; tsc needs it
      const title = (proposal?.content as { title?: string } | undefined)?.title ?? (reportYear ? `Afrapportering ${reportYear}` : n.proposalId);
      const link = `${s.publicUrl}${pagePath(n, reportYear)}`;
      const { subject, body } = composeMessage({
        event: n.event,
        title,
        taskKind: task?.kind as TaskKind | undefined,
        dueAt: task?.dueAt,
        assigneeName: assignee?.name,
        link,
        stage: proposal?.stage,
      });
      const createdAt = new Date();
      const common = { event: n.event, proposalId: n.proposalId, taskId: n.taskId, subject, body, link, createdAt };

      for (const user of recipients) {
        const id = `${n.key}.${user._id}.email`;
        await store.outbox.updateOne(
          { _id: id },
          { $setOnInsert: { ...common, channel: 'email', userId: user._id, to: user.email, status: s.mailer ? 'pending' : 'unconfigured' } },
          { upsert: true },
        );
        await deliver(id, async () => {
          await s.mailer!.sendMail({
            from: s.mailFrom,
            to: `${user.name} <${user.email}>`,
            subject,
            text: body,
            messageId: `<${id}@social-investment-fund>`,
            headers: { 'X-SIF-Event': n.event },
          });
        });
      }

      if (s.webhook) {
        const id = `${n.key}.webhook`;
        const payload = JSON.stringify({ id, event: n.event, proposalId: n.proposalId, taskId: n.taskId, recipients: recipients.map((r) => r._id), link });
        await store.outbox.updateOne(
          { _id: id },
          { $setOnInsert: { ...common, channel: 'webhook', to: s.webhook.url, body: payload, status: 'pending' } },
          { upsert: true },
        );
        const { url, secret } = s.webhook;
        await deliver(id, async () => {
          const res = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-sif-signature': signWebhook(payload, secret), 'x-sif-delivery': id },
            body: payload,
          });
          if (!res.ok) throw new Error(`webhook answered ${res.status}`);
        });
      }
    },
  };
}
