import type { Reason } from '../domain/refusals';
import type { Stage } from '../domain/stages';
import type { TaskKind } from '../domain/tasks';
import type { NotificationEvent } from '../domain/outbox';
import { contractDeclinesPerCase } from '../domain/contractDeclines';
import { dict, formatMoney, locale, reasonWords, timeZone, type Lang } from '../i18n';
import { meetingWords } from '../i18n/meetings';

const taskWhat: Record<Lang, Record<TaskKind, string>> = {
  da: {
    councilVote: 'Afgiv din stemme om forslaget',
    councilAttestation: 'Bekræft at beslutningen ligger inden for lovgivningen og byrådets prioriteter',
    mayoralApproval: 'Godkend eller afvis rådets beslutning',
    cooperationAgreement: 'Indgå samarbejdsaftale om tilbageløb af besparelser',
    grantAgreement: 'Fastlæg tilsagnet: beløb, rater og vilkår',
    trancheConfirmation: 'Bekræft at betingelsen for raten er opfyldt, så den kan udbetales',
    grantFinalReport: 'Indsend slutrapporten for tilskuddet',
    awardDecision: 'Tag stilling til sekretariatets indstilling af serviceleverandør: godkend den, eller send den tilbage med bemærkninger',
    investorDecision: 'Tag stilling til sekretariatets indstilling af investor: godkend den, eller send den tilbage med bemærkninger',
    contractSigning: 'Underskriv resultatkontrakten',
    outcomeReport: 'Indberet resultaterne for målepunktet',
    outcomeVerification: 'Bekræft eller ret de indberettede resultater',
    savingsConfirmation: 'Bekræft de realiserede besparelser i perioden',
    contractFinalReport: 'Indsend slutrapporten for kontrakten',
    stoppedCaseReview: 'Sagens workflow er stoppet uden for systemet; beslut om fondens reservation skal frigives eller beholdes',
    councilComposition:
      'Rådet er ikke fuldtalligt (tre aktive medlemmer, heraf én formand), så forslaget venter. Bed administratoren (IT og HR) om at tildele rollerne; opgaven lukker af sig selv, når rådet er fuldtalligt',
    reportApproval: 'Godkend årets afrapportering til byrådet, eller send den tilbage til sekretariatet med bemærkninger',
    minutesApproval: 'Godkend referatet af rådsmødet, eller send det tilbage til rettelse',
    minutesCorrection: 'Ret referatet, som formanden har bedt om, ved at registrere mødet igen',
  },
  en: {
    councilVote: 'Cast your vote on the proposal',
    councilAttestation: "Confirm that the decision lies within the law and the city council's priorities",
    mayoralApproval: "Approve or refuse the council's decision",
    cooperationAgreement: 'Agree the share of realised savings that returns to the fund',
    grantAgreement: 'Set the grant: amount, tranches and conditions',
    trancheConfirmation: "Confirm that the tranche's condition is met, so it can be paid",
    grantFinalReport: 'Send the final report for the grant',
    awardDecision: "Decide on the secretariat's recommended service provider: approve it, or return it with comments",
    investorDecision: "Decide on the secretariat's recommended investor: approve it, or return it with comments",
    contractSigning: 'Sign the outcome contract',
    outcomeReport: 'Report the results for the measurement point',
    outcomeVerification: 'Confirm or correct the reported results',
    savingsConfirmation: 'Confirm the savings realised in the period',
    contractFinalReport: 'Send the final report for the contract',
    stoppedCaseReview: "The case's workflow was stopped outside the system; decide whether the fund's reservation is released or kept",
    councilComposition:
      'The council is not complete (three active members, one of them the chair), so the proposal waits. Ask the administrator (IT and HR) to grant the roles; the task closes by itself once the council is complete',
    reportApproval: "Approve the year's report to the city council, or return it to the secretariat with comments",
    minutesApproval: 'Approve the minutes of the council meeting, or return them to be corrected',
    minutesCorrection: 'Correct the minutes as the chair asked, by recording the meeting again',
  },
};

type FinalStage = Extract<Stage, 'Rejected' | 'Refused' | 'Withdrawn' | 'Closed' | 'Cancelled' | 'StoppedByOperator'>;
/** How a case ended, in the mail's words; typed by the final stages, so a new one needs its words here. */
const endedAs: Record<Lang, Record<FinalStage, string>> = {
  da: {
    Rejected: 'afvist af rådet',
    Refused: 'afvist af borgmesteren',
    Withdrawn: 'trukket tilbage',
    Closed: 'afsluttet efter endt forløb',
    Cancelled: 'udbuddet er annulleret',
    StoppedByOperator: 'stoppet af IT-drift',
  },
  en: {
    Rejected: 'rejected by the council',
    Refused: 'refused by the mayor',
    Withdrawn: 'withdrawn',
    Closed: 'closed at the end of its course',
    Cancelled: 'the tender is cancelled',
    StoppedByOperator: 'stopped by IT operations',
  },
};

export interface MessageFacts {
  event: NotificationEvent;
  title: string;
  taskKind?: TaskKind;
  /** Which time the task is asked, when it is asked again (a council's second round, the corrected minutes). */
  taskRound?: number;
  dueAt?: Date;
  assigneeName?: string;
  link: string;
  stage?: string;
  /** Why it happened, when the event has a reason: a return to the secretariat, a void approval. */
  reason?: Reason;
  /** Council members who did not vote in the round the mayor is asked about. */
  absentMembers?: string[];
  /** A meeting's notice: when and where, and each item's decision paper. */
  meeting?: { kind: string; startsAt: Date; place?: string; videoLink?: string; agenda: { title: string; round?: number; link: string }[]; cancelReason?: string };
}

type FundCannotCover = Extract<Reason, { code: 'fundCannotCover' }>;
type Selection = Extract<Reason, { code: 'selectionApproved' | 'selectionReturned' }>;

interface MailWords {
  newTask: (title: string) => string;
  open: string;
  due: string;
  reminderSubject: (title: string) => string;
  reminder: (due: string) => string;
  escalatedSubject: (title: string) => string;
  escalated: (due: string, who: string | undefined, what: string, title: string) => string;
  releasedSubject: (title: string) => string;
  released: string;
  reassignedSubject: (title: string) => string;
  reassigned: string;
  returnedSubject: (title: string) => string;
  returned: (title: string) => string;
  why: string;
  fundVoidSubject: (title: string) => string;
  fundVoid: (title: string, r: FundCannotCover) => string;
  approvalVoidSubject: (title: string) => string;
  approvalVoid: (title: string, r: FundCannotCover) => string;
  selectionSubject: (title: string, r: Selection) => string;
  cannotDecideSubject: (title: string) => string;
  cannotDecide: (title: string) => string;
  grantRefusedSubject: (title: string) => string;
  /** `exhausted`: the fund has refused that many, the last it asks for. */
  grantRefused: (title: string, exhausted?: number) => string;
  contractRefusedSubject: (title: string) => string;
  contractRefused: (title: string, exhausted?: number) => string;
  contractDeclinedSubject: (title: string) => string;
  /** `exhausted`: that many declined, the last contract taken. */
  contractDeclined: (title: string, reason: string, exhausted?: number) => string;
  reportDraftedSubject: (title: string) => string;
  reportDrafted: string;
  reportReturnedSubject: (title: string) => string;
  reportReturned: string;
  reportApprovedSubject: (title: string) => string;
  reportApproved: string;
  closedSubject: (ended: string, title: string) => string;
  closed: (title: string, ended: string) => string;
  absent: (names: string[]) => string;
  agendaSubject: (title: string) => string;
  agenda: string;
  itemAddedSubject: (title: string) => string;
  itemAdded: string;
  dialogueSubject: (title: string) => string;
  dialogue: string;
  meetingCancelledSubject: (title: string) => string;
  meetingCancelled: string;
  minutesReturnedSubject: (title: string) => string;
  minutesReturned: string;
  correctionOverdueSubject: (title: string) => string;
  correctionOverdue: string;
  minutesApprovedSubject: (title: string) => string;
  minutesApproved: string;
  when: string;
  /** An item's title, marked when it is for a later round of its case, as the meeting page marks it. */
  titleOf: (item: { title: string; round?: number }) => string;
  where: string;
  video: string;
}

const kr = (lang: Lang, ore: number) => formatMoney(lang, ore);
const daComments = (c: string[]) => (c.length ? `\nRådets bemærkninger: ${c.join(' / ')}` : '');
const enComments = (c: string[]) => (c.length ? `\nThe council's comments: ${c.join(' / ')}` : '');
const list = (names: string[], and: string) => (names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} ${and} ${names.at(-1)}`);

const words: Record<Lang, MailWords> = {
  da: {
    newTask: (title) => `Ny opgave: ${title}`,
    open: 'Åbn opgaven',
    due: 'Frist',
    reminderSubject: (title) => `Påmindelse: ${title}`,
    reminder: (due) => `Fristen nærmer sig (${due}).`,
    escalatedSubject: (title) => `Overskredet frist: ${title}`,
    escalated: (due, who, what, title) => `Fristen ${due} er overskredet for opgaven hos ${who ?? 'den ansvarlige'}: ${what.toLowerCase()} «${title}».`,
    releasedSubject: (title) => `Ledig opgave: ${title}`,
    released: 'Opgaven er givet fri, og alle i sekretariatet kan tage den.',
    reassignedSubject: (title) => `Opgave overdraget til dig: ${title}`,
    reassigned: 'Opgaven er overdraget til dig, fordi den, der havde den, ikke længere har rollen.',
    returnedSubject: (title) => `Sendt tilbage til sekretariatet: ${title}`,
    returned: (title) => `Rådet har sendt «${title}» tilbage med bemærkninger.`,
    why: 'Rådets afgørelse',
    fundVoidSubject: (title) => `Rådets godkendelse bortfaldt, fonden kan ikke dække forslaget: ${title}`,
    fundVoid: (title, r) =>
      `Rådet godkendte «${title}», men godkendelsen bortfaldt: fonden har ${kr('da', r.availableOre)} fri, og forslaget søger ${kr('da', r.requestedOre)}. Forslaget er sendt tilbage til sekretariatet; sænk beløbet eller vent, til fonden kan dække det, og send det til rådet igen.${daComments(r.comments)}`,
    approvalVoidSubject: (title) => `Din godkendelse bortfaldt, fonden kan ikke dække forslaget: ${title}`,
    approvalVoid: (title, r) =>
      `Du stemte for «${title}», og rådet godkendte det, men godkendelsen bortfaldt: fonden har ${kr('da', r.availableOre)} fri, og forslaget søger ${kr('da', r.requestedOre)}. Forslaget er sendt tilbage til sekretariatet og kommer til afstemning igen, når det sendes til rådet på ny.`,
    selectionSubject: (title, r) =>
      `${r.code === 'selectionApproved' ? 'Rådet godkendte' : 'Rådet sendte'} indstillingen af ${r.subject === 'award' ? 'serviceleverandør' : 'investor'}${r.code === 'selectionApproved' ? '' : ' tilbage'}: ${title}`,
    cannotDecideSubject: (title) => `Rådet kan ikke træffe beslutning: ${title}`,
    cannotDecide: (title) => `Færre end to medlemmer kan stemme om «${title}» på grund af inhabilitet. Forslaget er sendt tilbage til sekretariatet.`,
    grantRefusedSubject: (title) => `Fonden kan ikke dække tilsagnet: ${title}`,
    grantRefused: (title, exhausted) =>
      `Tilsagnet til «${title}» overstiger fondens frie midler. ${exhausted ? `Fonden har nu afvist ${exhausted} tilsagn i sagen og beder ikke om flere; forslaget kan trækkes tilbage.` : 'Fastlæg et nyt tilsagn.'}`,
    contractRefusedSubject: (title) => `Fonden kan ikke reservere kontraktens loft: ${title}`,
    contractRefused: (title, exhausted) =>
      `Loftet i kontrakten for «${title}» overstiger fondens frie midler. ${exhausted ? `Fonden har nu afvist ${exhausted} kontrakter i sagen og tager ikke imod flere; forslaget kan trækkes tilbage.` : 'Foreslå en ny kontrakt.'}`,
    contractDeclinedSubject: (title) => `Kontrakten er ikke underskrevet: ${title}`,
    contractDeclined: (title, reason, exhausted) =>
      `Kontrakten for «${title}» blev afvist ved underskriften: «${reason}». ${exhausted ? `${exhausted} kontrakter er nu afvist i sagen, og der tages ikke imod flere; forslaget kan trækkes tilbage.` : 'Foreslå en ny kontrakt, eller træk forslaget tilbage.'}`,
    reportDraftedSubject: (title) => `Årsrapporten er udarbejdet: ${title}`,
    reportDrafted: 'Tallene i afrapporteringen er udarbejdet fra fondens regnskab. Skriv sekretariatets vurdering og kommentarer, og send den til rådet.',
    reportReturnedSubject: (title) => `Årsrapporten er sendt tilbage: ${title}`,
    reportReturned: 'Rådet har sendt afrapporteringen tilbage med bemærkninger. Lav et nyt udkast og svar på bemærkningerne.',
    reportApprovedSubject: (title) => `Årsrapporten er godkendt af rådet: ${title}`,
    reportApproved: 'Rådet har godkendt afrapporteringen. Send den til byrådet, og markér den som sendt.',
    closedSubject: (ended, title) => `Sagen er afsluttet (${ended}): ${title}`,
    closed: (title, ended) => `«${title}» er afsluttet: ${ended}.`,
    absent: (names) => `Bemærk: ${list(names, 'og')} stemte ikke; rådet besluttede uden ${names.length === 1 ? 'denne stemme' : 'disse stemmer'}.`,
    agendaSubject: (title) => `Dagsorden: ${title}`,
    agenda: 'Dagsordenen og beslutningsoplæggene til mødet. Læs oplæggene før mødet; du stemmer på hvert punkt ved din egen opgave.',
    itemAddedSubject: (title) => `Nyt punkt på dagsordenen: ${title}`,
    itemAdded: 'Et punkt er kommet på dagsordenen efter, at den blev udsendt. Dagsordenen er nu:',
    dialogueSubject: (title) => `Påmindelse: ${title}`,
    dialogue: 'Årets dialogmøde mellem rådet og Magistraten nærmer sig.',
    meetingCancelledSubject: (title) => `Aflyst: ${title}`,
    meetingCancelled: 'Mødet er aflyst.',
    minutesReturnedSubject: (title) => `Referatet skal rettes: ${title}`,
    minutesReturned: 'Formanden har sendt referatet af mødet tilbage til rettelse. Hvad der skal rettes, står på mødets side; registrér mødet igen dér.',
    correctionOverdueSubject: (title) => `Referatet er endnu ikke rettet: ${title}`,
    correctionOverdue:
      'Fristen for at rette referatet er overskredet. Formanden venter på det rettede referat; hvad der skal rettes, står på mødets side, og mødet registreres igen dér.',
    minutesApprovedSubject: (title) => `Referatet er godkendt: ${title}`,
    minutesApproved: 'Formanden har godkendt referatet af mødet. Det står nu på sagernes tidslinjer.',
    when: 'Tidspunkt',
    titleOf: meetingWords('da').titleOf,
    where: 'Sted',
    video: 'Videolink',
  },
  en: {
    newTask: (title) => `New task: ${title}`,
    open: 'Open the task',
    due: 'Due',
    reminderSubject: (title) => `Reminder: ${title}`,
    reminder: (due) => `The due date is near (${due}).`,
    escalatedSubject: (title) => `Overdue: ${title}`,
    escalated: (due, who, what, title) => `The due date ${due} has passed for the task held by ${who ?? 'the person responsible'}: ${what.toLowerCase()} «${title}».`,
    releasedSubject: (title) => `Task free to take: ${title}`,
    released: 'The task was released; anyone in the secretariat may take it.',
    reassignedSubject: (title) => `Task handed to you: ${title}`,
    reassigned: 'The task was handed to you because the person who held it no longer holds the role.',
    returnedSubject: (title) => `Returned to the secretariat: ${title}`,
    returned: (title) => `The council returned «${title}» with comments.`,
    why: "The council's decision",
    fundVoidSubject: (title) => `The council's approval is void, the fund cannot cover the proposal: ${title}`,
    fundVoid: (title, r) =>
      `The council approved «${title}», but the approval is void: the fund has ${kr('en', r.availableOre)} free and the proposal asks ${kr('en', r.requestedOre)}. The proposal is back with the secretariat; lower the amount or wait until the fund can cover it, and send it to the council again.${enComments(r.comments)}`,
    approvalVoidSubject: (title) => `Your approval is void, the fund cannot cover the proposal: ${title}`,
    approvalVoid: (title, r) =>
      `You voted for «${title}» and the council approved it, but the approval is void: the fund has ${kr('en', r.availableOre)} free and the proposal asks ${kr('en', r.requestedOre)}. The proposal is back with the secretariat and comes to a vote again when it is sent to the council anew.`,
    selectionSubject: (title, r) =>
      `The council ${r.code === 'selectionApproved' ? 'approved' : 'returned'} the recommended ${r.subject === 'award' ? 'service provider' : 'investor'}: ${title}`,
    cannotDecideSubject: (title) => `The council cannot decide: ${title}`,
    cannotDecide: (title) => `Fewer than two members can vote on «${title}» because of conflicts of interest. The proposal is back with the secretariat.`,
    grantRefusedSubject: (title) => `The fund cannot cover the grant: ${title}`,
    grantRefused: (title, exhausted) =>
      `The grant to «${title}» exceeds the fund's free capital. ${exhausted ? `The fund has now refused ${exhausted} grants for this proposal and asks for no more; the proposal can be withdrawn.` : 'Set a new grant.'}`,
    contractRefusedSubject: (title) => `The fund cannot reserve the contract's cap: ${title}`,
    contractRefused: (title, exhausted) =>
      `The cap of the contract for «${title}» exceeds the fund's free capital. ${exhausted ? `The fund has now refused ${exhausted} contracts for this proposal and takes no more; the proposal can be withdrawn.` : 'Propose a new contract.'}`,
    contractDeclinedSubject: (title) => `The contract was not signed: ${title}`,
    contractDeclined: (title, reason, exhausted) =>
      `The contract for «${title}» was declined at signing: «${reason}». ${exhausted ? `${exhausted} contracts for this proposal have now been declined, and no more are taken; the proposal can be withdrawn.` : 'Propose a new contract, or withdraw the proposal.'}`,
    reportDraftedSubject: (title) => `The annual report is drafted: ${title}`,
    reportDrafted: "The report's figures are drafted from the fund's books. Write the secretariat's assessment and commentary, and send it to the council.",
    reportReturnedSubject: (title) => `The annual report was returned: ${title}`,
    reportReturned: 'The council returned the report with comments. Redraft it and answer the comments.',
    reportApprovedSubject: (title) => `The council approved the annual report: ${title}`,
    reportApproved: 'The council approved the report. Send it to the city council and mark it as sent.',
    closedSubject: (ended, title) => `The case is closed (${ended}): ${title}`,
    closed: (title, ended) => `«${title}» is closed: ${ended}.`,
    absent: (names) => `Note: ${list(names, 'and')} did not vote; the council decided without ${names.length === 1 ? 'that vote' : 'those votes'}.`,
    agendaSubject: (title) => `Agenda: ${title}`,
    agenda: 'The agenda and decision papers for the meeting. Read the papers before the meeting; you vote on each item by your own task.',
    itemAddedSubject: (title) => `New item on the agenda: ${title}`,
    itemAdded: 'An item was put on the agenda after it went out. The agenda is now:',
    dialogueSubject: (title) => `Reminder: ${title}`,
    dialogue: "The year's dialogue meeting between the council and the Magistrate is coming up.",
    meetingCancelledSubject: (title) => `Cancelled: ${title}`,
    meetingCancelled: 'The meeting is cancelled.',
    minutesReturnedSubject: (title) => `The minutes need correcting: ${title}`,
    minutesReturned: "The chair returned the minutes of the meeting to be corrected. What to correct is on the meeting's page; record the meeting again there.",
    correctionOverdueSubject: (title) => `The minutes are not yet corrected: ${title}`,
    correctionOverdue:
      "The deadline for correcting the minutes has passed. The chair is waiting for the corrected minutes; what to correct is on the meeting's page, and the meeting is recorded again there.",
    minutesApprovedSubject: (title) => `The minutes are approved: ${title}`,
    minutesApproved: "The chair approved the minutes of the meeting. They now stand on the cases' timelines.",
    when: 'When',
    titleOf: meetingWords('en').titleOf,
    where: 'Place',
    video: 'Video link',
  },
};

/**
 * Subject and text in the recipient's language (Danish unless they chose English). The
 * title is what people typed, so it is kept on one line: it cannot add lines of its own
 * (another "Åbn opgaven:" link) to the mail.
 */
export function composeMessage(facts: MessageFacts, lang: Lang = 'da'): { subject: string; body: string } {
  const m = { ...facts, title: facts.title.replace(/\s+/g, ' ').trim() };
  const w = words[lang];
  const due = m.dueAt ? m.dueAt.toLocaleDateString(locale[lang], { timeZone }) : '';
  const what = m.taskKind ? `${taskWhat[lang][m.taskKind]}${m.taskRound && m.taskRound > 1 ? ` (${dict(lang).task.round(m.taskRound)})` : ''}` : '';
  const ended = endedAs[lang][m.stage as FinalStage] ?? m.stage ?? '';
  const absent = m.absentMembers?.length ? `\n${w.absent(m.absentMembers)}` : '';
  const fund = m.reason?.code === 'fundCannotCover' ? m.reason : undefined;
  const exhausted = m.reason?.code === 'fundRefusalsExhausted' ? m.reason.refusals : undefined;
  const declined = m.reason?.code === 'contractDeclined' ? m.reason : undefined;
  const mail = (subject: string, text: string) => ({ subject, body: `${text}\n\n${m.link}\n` });
  const meeting = (subject: string, text: string) => mail(subject, `${text}\n\n${meetingFacts(m, lang)}`);
  switch (m.event) {
    case 'taskCreated':
      return { subject: w.newTask(m.title), body: `${what}: «${m.title}».${absent}\n${w.due}: ${due}\n\n${w.open}: ${m.link}\n` };
    case 'taskReminder':
      return { subject: w.reminderSubject(m.title), body: `${w.reminder(due)} ${what}: «${m.title}».${absent}\n\n${w.open}: ${m.link}\n` };
    case 'taskEscalated':
      return { subject: w.escalatedSubject(m.title), body: `${w.escalated(due, m.assigneeName, what, m.title)}\n\n${w.open}: ${m.link}\n` };
    case 'taskReleased':
      return { subject: w.releasedSubject(m.title), body: `${what}: «${m.title}». ${w.released}\n${w.due}: ${due}\n\n${w.open}: ${m.link}\n` };
    case 'taskReassigned':
      return { subject: w.reassignedSubject(m.title), body: `${what}: «${m.title}». ${w.reassigned}\n${w.due}: ${due}\n\n${w.open}: ${m.link}\n` };
    case 'returnedForChanges':
      if (fund) return mail(w.fundVoidSubject(m.title), w.fundVoid(m.title, fund));
      return mail(w.returnedSubject(m.title), `${w.returned(m.title)}${m.reason ? `\n${w.why}: ${reasonWords(lang, m.reason)}` : ''}`);
    case 'councilApprovalVoid':
      return fund ? mail(w.approvalVoidSubject(m.title), w.approvalVoid(m.title, fund)) : mail(w.returnedSubject(m.title), w.returned(m.title));
    case 'councilCannotDecide':
      return mail(w.cannotDecideSubject(m.title), w.cannotDecide(m.title));
    case 'selectionDecided': {
      const r = m.reason as Selection;
      return mail(w.selectionSubject(m.title, r), `${w.why}: ${reasonWords(lang, r)}.`);
    }
    case 'grantRefusedByFund':
      return mail(w.grantRefusedSubject(m.title), w.grantRefused(m.title, exhausted));
    case 'contractRefusedByFund':
      return mail(w.contractRefusedSubject(m.title), w.contractRefused(m.title, exhausted));
    case 'contractDeclined':
      return mail(
        w.contractDeclinedSubject(m.title),
        w.contractDeclined(m.title, declined?.text ?? '', (declined?.declines ?? 0) >= contractDeclinesPerCase ? declined?.declines : undefined),
      );
    case 'annualReportDrafted':
      return mail(w.reportDraftedSubject(m.title), w.reportDrafted);
    case 'annualReportReturned':
      return mail(w.reportReturnedSubject(m.title), w.reportReturned);
    case 'annualReportApproved':
      return mail(w.reportApprovedSubject(m.title), w.reportApproved);
    case 'proposalClosed':
      return mail(w.closedSubject(ended, m.title), w.closed(m.title, ended));
    case 'meetingAgenda':
      return meeting(w.agendaSubject(m.title), w.agenda);
    case 'agendaItemAdded':
      return meeting(w.itemAddedSubject(m.title), w.itemAdded);
    case 'dialogueReminder':
      return meeting(w.dialogueSubject(m.title), w.dialogue);
    case 'meetingCancelled':
      return meeting(w.meetingCancelledSubject(m.title), `${w.meetingCancelled}${m.meeting?.cancelReason ? ` ${m.meeting.cancelReason}` : ''}`);
    case 'minutesReturned':
      return meeting(w.minutesReturnedSubject(m.title), w.minutesReturned);
    case 'minutesCorrectionOverdue':
      return meeting(w.correctionOverdueSubject(m.title), w.correctionOverdue);
    case 'minutesApproved':
      return meeting(w.minutesApprovedSubject(m.title), w.minutesApproved);
  }
}

/** When and where a meeting is, and its agenda: each item with the link to its decision paper. */
function meetingFacts(m: MessageFacts, lang: Lang): string {
  if (!m.meeting) return '';
  const w = words[lang];
  const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();
  const when = m.meeting.startsAt.toLocaleString(locale[lang], { timeZone, dateStyle: 'full', timeStyle: 'short' });
  return [
    `${w.when}: ${when}`,
    ...(m.meeting.place ? [`${w.where}: ${oneLine(m.meeting.place)}`] : []),
    ...(m.meeting.videoLink ? [`${w.video}: ${m.meeting.videoLink}`] : []),
    ...m.meeting.agenda.map((item, n) => `${n + 1}. ${oneLine(w.titleOf(item))}: ${item.link}`),
  ].join('\n');
}
