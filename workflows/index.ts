export { proposalLifecycle } from './proposalLifecycle';
