import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import { customSearchAttributes } from '../../workflows/searchAttributes';

const { IndexedValueType } = temporal.api.enums.v1;
const typeOf = { Keyword: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD, Int: IndexedValueType.INDEXED_VALUE_TYPE_INT } as const;

/** The time-skipping server starts without the project's search attributes; the workflow upserts them. */
export async function registerSearchAttributes(env: TestWorkflowEnvironment) {
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(Object.entries(customSearchAttributes).map(([name, type]) => [name, typeOf[type]])),
  });
}
