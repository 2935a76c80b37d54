import type { Transporter } from 'nodemailer';
import type { Config } from '../config';
import { annualReportActivities } from './annualReport';
import { decisionPaperActivities } from './decisionPaper';
import { fundActivities } from './fund';
import { meetingActivities } from './meetings';
import { notificationActivities } from './notifications';
import { peopleActivities } from './people';
import type { Store } from '../store';
import { taskActivities } from './tasks';
import { timelineActivities } from './timeline';

/** Every activity, bound to its store and settings; idempotent by key so a retry writes once. */
export function createActivities(store: Store, config: Config, mailer?: Transporter, onQueued?: () => void) {
  const timeline = timelineActivities(store);
  const notifications = notificationActivities(store, {
    publicUrl: config.publicUrl,
    mailFrom: config.mail.from,
    mailer,
    webhook: config.webhook,
    onQueued,
  });
  return {
    ...timeline,
    ...taskActivities(store, timeline, notifications.notify),
    ...peopleActivities(store),
    ...fundActivities(store, config),
    ...annualReportActivities(store, config),
    ...decisionPaperActivities(store, config),
    ...meetingActivities(store),
    ...notifications,
  };
}
export type Activities = ReturnType<typeof createActivities>;
