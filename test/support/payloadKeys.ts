/**
 * The payload key of every test stack, fixed so that the histories recorded by tests
 * (test/histories/) stay readable: it is a test fixture, never a secret. The replay
 * test reads them after a rotation, with this key kept as the old one.
 */
export const testPayloadKeys = 'test-histories-1:M6QCnXr7mnnBZjVXdItOfQeVDjkXwcr5hFCk9ighPy8=';
