/** Stops what globalSetup started, so a test run leaves no process behind. */
export default async function globalTeardown() {
  const servers = ((globalThis as Record<string, unknown>).__servers ?? []) as { stop(): Promise<void> }[];
  await Promise.all(servers.map((s) => s.stop()));
}
