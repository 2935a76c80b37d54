import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Failures' messages and stack traces travel as an encoded payload, so the payload codec
 * encrypts them too: a refusal's words or an activity's error may carry what people typed.
 * Loaded by path (DataConverter.failureConverterPath): the workflow bundle carries it.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
