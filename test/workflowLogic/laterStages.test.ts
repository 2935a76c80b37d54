import { useWorkflowLogic } from '../support/workflowLogic';
import { annualReportTests } from './annualReport';
import { contractAndPayoutTests } from './contractAndPayout';
import { directGrantTests } from './directGrant';
import { procurementTests } from './procurement';

/**
 * Fast workflow tests, part 2: procurement, contracting and payment for effect, the
 * direct grant, and the annual report. The real workflow code on the time-skipping
 * server with every activity an in-memory fake; one server for the file.
 */
const logic = useWorkflowLogic();
procurementTests(logic);
contractAndPayoutTests(logic);
directGrantTests(logic);
annualReportTests(logic);
