import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newPayloadKey } from '../config/payloadKeys';
import { customSearchAttributes } from '../workflows/searchAttributes';
import { freePort, startFerretDb, startTemporal } from '../provision/servers';

/**
 * A benchmark's own Temporal dev server and FerretDB in a temporary directory, and
 * the settings its worker and API processes run with; `stop` removes it all.
 */
export async function startBenchServers(name: string, extraEnv: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), `sif-bench-${name}-`));
  const temporal = await startTemporal({ port: await freePort(), searchAttributes: customSearchAttributes, dbFile: join(dir, 'temporal.db') });
  const ferret = await startFerretDb({ port: await freePort(), dataDir: join(dir, 'ferretdb') });
  const env = {
    ...process.env,
    TEMPORAL_ADDRESS: temporal.address,
    MONGODB_URI: ferret.uri,
    AUTH_JWT_SECRET: 'bench-secret-bench-secret-bench!!',
    PAYLOAD_KEYS: newPayloadKey('bench'),
    LOG_LEVEL: 'WARN',
    ...extraEnv,
  };
  return {
    temporal,
    env,
    async stop() {
      await ferret.stop();
      await temporal.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
