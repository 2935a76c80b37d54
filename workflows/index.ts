export { proposalLifecycle } from './proposalLifecycle';
export { annualReport } from './annualReport';
export { councilMeeting } from './councilMeeting';
export { stoppedCaseReview } from './stoppedCaseReview';
