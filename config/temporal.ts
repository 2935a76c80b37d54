import { readFileSync } from 'node:fs';
import type { DataConverter } from '@temporalio/common';
import type { Config } from './index';
import { PayloadEncryption } from './payloadCodec';

/** Dev server, self-hosted cluster (mTLS) or Temporal Cloud (API key): the same options serve client and worker. */
export interface TemporalConnectionOptions {
  address: string;
  tls?: boolean | { clientCertPair: { crt: Buffer; key: Buffer } };
  apiKey?: string;
  metadata?: Record<string, string>;
}

export function temporalConnectionOptions(config: Config): TemporalConnectionOptions {
  const t = config.temporal;
  const clientCert = t.tlsCertFile && t.tlsKeyFile ? { crt: readFileSync(t.tlsCertFile), key: readFileSync(t.tlsKeyFile) } : undefined;
  return {
    address: t.address,
    tls: t.tls ? (clientCert ? { clientCertPair: clientCert } : true) : undefined,
    apiKey: t.apiKey,
    metadata: t.apiKey ? { 'temporal-namespace': t.namespace } : undefined,
  };
}

/** The failure converter's module, for bundleWorkflowCode: workflow code fails through it too. */
export const failureConverterPath = require.resolve('../workflows/failureConverter');

/** The payload codec under PAYLOAD_KEYS. Without keys no process talks to Temporal: nothing is ever written there in clear. */
export function payloadEncryption(config: Config): PayloadEncryption {
  const keys = config.temporal.payloadKeys;
  if (!keys) throw new Error('Configuration error: set PAYLOAD_KEYS (`<id>:<base64 of 32 random bytes>`; see the README, Configuration); `npm start` generates one for local runs');
  return new PayloadEncryption(keys);
}

/** How every client and worker of the application reads and writes Temporal's payloads: encrypted, failures' messages included. */
export function temporalDataConverter(config: Config, codec = payloadEncryption(config)): DataConverter {
  return { payloadCodecs: [codec], failureConverterPath };
}
