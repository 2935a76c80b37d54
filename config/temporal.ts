import { readFileSync } from 'node:fs';
import type { Config } from './index';

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
