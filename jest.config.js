/** One suite: unit tests of the pure rules, and tests against real servers that globalSetup starts. */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  globalSetup: '<rootDir>/test/setup/globalSetup.ts',
  globalTeardown: '<rootDir>/test/setup/globalTeardown.ts',
  setupFiles: ['<rootDir>/test/setup/quietWorkers.ts'],
  testTimeout: 180_000,
  maxWorkers: 2,
};
