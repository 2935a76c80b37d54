export { proposalLifecycle } from './proposalLifecycle';
export { annualReport } from './annualReport';
