import type { Stage } from '../domain/stages';
import type { TaskKind } from '../domain/tasks';

export type NotificationEvent =
  | 'taskCreated'
  | 'taskReminder'
  | 'taskEscalated'
  | 'taskReleased'
  | 'taskReassigned'
  | 'returnedForChanges'
  | 'councilCannotDecide'
  | 'proposalClosed'
  | 'grantRefusedByFund'
  | 'contractRefusedByFund'
  | 'annualReportDrafted'
  | 'annualReportReturned'
  | 'annualReportApproved';

const taskWhat: Record<TaskKind, string> = {
  councilVote: 'Afgiv din stemme om forslaget',
  councilAttestation: 'Bekræft at beslutningen ligger inden for lovgivningen og byrådets prioriteter',
  mayoralApproval: 'Godkend eller afvis rådets beslutning',
  cooperationAgreement: 'Indgå samarbejdsaftale om tilbageløb af besparelser',
  grantAgreement: 'Fastlæg tilsagnet: beløb, rater og vilkår',
  trancheConfirmation: 'Bekræft at betingelsen for raten er opfyldt, så den kan udbetales',
  grantFinalReport: 'Indsend slutrapporten for tilskuddet',
  investorConfirmation: 'Bekræft sekretariatets valg af investor',
  contractSigning: 'Underskriv resultatkontrakten',
  outcomeReport: 'Indberet resultaterne for målepunktet',
  outcomeVerification: 'Bekræft eller ret de indberettede resultater',
  savingsConfirmation: 'Bekræft de realiserede besparelser i perioden',
  contractFinalReport: 'Indsend slutrapporten for kontrakten',
  stoppedCaseReview: 'Sagens workflow er stoppet uden for systemet; beslut om fondens reservation skal frigives eller beholdes',
  councilComposition:
    'Rådet er ikke fuldtalligt (tre aktive medlemmer, heraf én formand), så forslaget venter. Bed administratoren (IT og HR) om at tildele rollerne; opgaven lukker af sig selv, når rådet er fuldtalligt',
  reportApproval: 'Godkend årets afrapportering til byrådet, eller send den tilbage til sekretariatet med bemærkninger',
};

/** How a case ended, in the mail's words; typed by the final stages, so a new one needs its words here. */
const endedAs: Record<Extract<Stage, 'Rejected' | 'Refused' | 'Withdrawn' | 'Closed' | 'Cancelled' | 'StoppedByOperator'>, string> = {
  Rejected: 'afvist af rådet',
  Refused: 'afvist af borgmesteren',
  Withdrawn: 'trukket tilbage',
  Closed: 'afsluttet efter endt forløb',
  Cancelled: 'udbuddet er annulleret',
  StoppedByOperator: 'stoppet af IT-drift',
};
const endedWords = (stage?: string) => endedAs[stage as keyof typeof endedAs] ?? stage ?? '';

/**
 * Subject and text in Danish: the people who receive them work in Danish. The title is
 * what people typed, so it is kept on one line: it cannot add lines of its own (another
 * "Åbn opgaven:" link) to the mail.
 */
export function composeMessage(message: { event: NotificationEvent; title: string; taskKind?: TaskKind; dueAt?: Date; assigneeName?: string; link: string; stage?: string }): {
  subject: string;
  body: string;
} {
  const m = { ...message, title: message.title.replace(/\s+/g, ' ').trim() };
  const due = m.dueAt ? m.dueAt.toLocaleDateString('da-DK', { timeZone: 'Europe/Copenhagen' }) : '';
  const what = m.taskKind ? taskWhat[m.taskKind] : '';
  switch (m.event) {
    case 'taskCreated':
      return { subject: `Ny opgave: ${m.title}`, body: `${what}: «${m.title}».\nFrist: ${due}\n\nÅbn opgaven: ${m.link}\n` };
    case 'taskReminder':
      return { subject: `Påmindelse: ${m.title}`, body: `Fristen nærmer sig (${due}). ${what}: «${m.title}».\n\nÅbn opgaven: ${m.link}\n` };
    case 'taskEscalated':
      return {
        subject: `Overskredet frist: ${m.title}`,
        body: `Fristen ${due} er overskredet for opgaven hos ${m.assigneeName ?? 'den ansvarlige'}: ${what.toLowerCase()} «${m.title}».\n\nÅbn opgaven: ${m.link}\n`,
      };
    case 'taskReleased':
      return {
        subject: `Ledig opgave: ${m.title}`,
        body: `${what}: «${m.title}». Opgaven er givet fri, og alle i sekretariatet kan tage den.\nFrist: ${due}\n\nÅbn opgaven: ${m.link}\n`,
      };
    case 'taskReassigned':
      return {
        subject: `Opgave overdraget til dig: ${m.title}`,
        body: `${what}: «${m.title}». Opgaven er overdraget til dig, fordi den, der havde den, ikke længere har rollen.\nFrist: ${due}\n\nÅbn opgaven: ${m.link}\n`,
      };
    case 'returnedForChanges':
      return { subject: `Sendt tilbage til sekretariatet: ${m.title}`, body: `Rådet har sendt «${m.title}» tilbage med bemærkninger.\n\n${m.link}\n` };
    case 'councilCannotDecide':
      return {
        subject: `Rådet kan ikke træffe beslutning: ${m.title}`,
        body: `Færre end to medlemmer kan stemme om «${m.title}» på grund af inhabilitet. Forslaget er sendt tilbage til sekretariatet.\n\n${m.link}\n`,
      };
    case 'grantRefusedByFund':
      return {
        subject: `Fonden kan ikke dække tilsagnet: ${m.title}`,
        body: `Tilsagnet til «${m.title}» overstiger fondens frie midler. Fastlæg et nyt tilsagn.\n\n${m.link}\n`,
      };
    case 'contractRefusedByFund':
      return {
        subject: `Fonden kan ikke reservere kontraktens loft: ${m.title}`,
        body: `Loftet i kontrakten for «${m.title}» overstiger fondens frie midler. Foreslå en ny kontrakt.\n\n${m.link}\n`,
      };
    case 'annualReportDrafted':
      return {
        subject: `Årsrapporten er udarbejdet: ${m.title}`,
        body: `Tallene i afrapporteringen er udarbejdet fra fondens regnskab. Skriv sekretariatets vurdering og kommentarer, og send den til rådet.\n\n${m.link}\n`,
      };
    case 'annualReportReturned':
      return {
        subject: `Årsrapporten er sendt tilbage: ${m.title}`,
        body: `Rådet har sendt afrapporteringen tilbage med bemærkninger. Lav et nyt udkast og svar på bemærkningerne.\n\n${m.link}\n`,
      };
    case 'annualReportApproved':
      return {
        subject: `Årsrapporten er godkendt af rådet: ${m.title}`,
        body: `Rådet har godkendt afrapporteringen. Send den til byrådet, og markér den som sendt.\n\n${m.link}\n`,
      };
    case 'proposalClosed':
      return { subject: `Sagen er afsluttet (${endedWords(m.stage)}): ${m.title}`, body: `«${m.title}» er afsluttet: ${endedWords(m.stage)}.\n\n${m.link}\n` };
  }
}
