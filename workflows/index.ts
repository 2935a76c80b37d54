export { proposalLifecycle } from './proposalLifecycle';
export { annualReport } from './annualReport';
export { stoppedCaseReview } from './stoppedCaseReview';
