import { availableParallelism } from 'node:os';

// `npm test` (WORKFRONT_SUITE=everyday) leaves out the suites that load the machine on purpose: 72 bundled runs
// under faults, 210 release flows, a 50,000-record package. `npm run test:reliability` runs only those; .ci/run
// runs both. Without the variable (`npx jest <file>`), any file runs.
const RELIABILITY = [
  '/__tests__/reliability/fault-matrix\\.test\\.ts$',
  '/__tests__/reliability/soak\\.test\\.ts$',
  '/__tests__/simulator/scale\\.test\\.ts$',
];
const suite = process.env.WORKFRONT_SUITE;
const cores = availableParallelism();

/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', ...(suite === 'everyday' ? RELIABILITY : [])],
  ...(suite === 'reliability' ? { testRegex: RELIABILITY, testMatch: undefined } : {}),
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  globalSetup: '<rootDir>/__tests__/e2e/global-setup.ts',
  globalTeardown: '<rootDir>/__tests__/e2e/global-teardown.ts',
  // The end-to-end suites mostly wait on child processes and the simulator: twice as many workers as cores
  // pays off; more only queue for the cores. The reliability suites load the machine on purpose, each within
  // its own limits: one at a time, so that none is starved by another.
  maxWorkers: suite === 'reliability' ? 1 : cores * 2,
  // it.concurrent cases at a time in one file (the fault matrix): each is a Node process and a simulator.
  maxConcurrency: cores * 3,
  // A backstop for a test that hangs: every wait inside a test has its own bound (a bundled run: its timeout
  // input plus start-up, see killAfterMs in e2e/harness.ts), and a test of several runs on a machine shared
  // with two other runs of the suite needs more than Jest's 5 s or the 30 s used before.
  testTimeout: 180_000,
};
