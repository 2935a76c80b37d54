import { useWorkflowLogic } from '../support/workflowLogic';
import { approvalAndWithdrawalTests } from './approvalAndWithdrawal';
import { councilDecisionTests } from './councilDecision';
import { councilMeetingTests } from './councilMeeting';

/**
 * Fast workflow tests, part 1: from the draft to the cooperation agreement, and
 * withdrawal and deadlines on the way; council meetings. The real workflow code on the time-skipping
 * server with every activity an in-memory fake; one server for the file.
 */
const logic = useWorkflowLogic();
councilDecisionTests(logic);
approvalAndWithdrawalTests(logic);
councilMeetingTests(logic);
