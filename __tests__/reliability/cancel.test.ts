// Cancellation: a signal during any kind of wait ends the bundled action within two seconds, exit 1, with
// outputs (outcome=cancelled, ids known so far) and the summary written.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SEED, startSimulator, type Simulator } from '../../simulator/index.js';
import { runAction } from '../e2e/harness.js';

const COLLECTIONS = [{ objCode: 'TMPL', entities: [{ ID: SEED.preview.newAgencyOnboardingTemplate }] }];
/** When the signal is sent: by then each run is surely inside its wait (the stdout check proves it). */
const SIGNAL_AT_MS = 3000;

describe('SIGTERM during a wait', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ assemblyMs: 60_000, installMs: 60_000 });
  });
  afterAll(async () => sim.stop());

  const base = () => ({ 'api-key': sim.credentials.apiKey, 'poll-interval': '1s' });

  it.concurrent.each([
    [
      'waiting for an installation',
      () => ({
        ...base(),
        operation: 'install',
        url: sim.environments.sandbox.url,
        'environment-kind': 'sandbox',
        'package-id': sim.control.makePackage({ objectCollections: COLLECTIONS, status: 'TESTING' }).id,
      }),
      /Installation [\w-]+ of .* started/,
      'installation-id',
    ],
    [
      'waiting for an assembly',
      () => ({
        ...base(),
        operation: 'create',
        url: sim.environments.preview.url,
        name: 'Cancelled while assembling',
        'object-collections': JSON.stringify(COLLECTIONS),
      }),
      /Created package/,
      'package-id',
    ],
    [
      'waiting out a Retry-After',
      () => {
        sim.control.addFault({
          kind: 'rate-limit',
          retryAfter: 60,
          method: 'GET',
          path: '/installations',
          times: 1,
        });
        return {
          ...base(),
          operation: 'installations',
          url: sim.environments.production.url,
          'package-id': sim.control.makePackage({ objectCollections: COLLECTIONS, status: 'ACTIVE' }).id,
        };
      },
      /retry 1 of 4 in 60 s/,
      'package-id',
    ],
    [
      'waiting on a request that hangs',
      () => {
        sim.control.addFault({ kind: 'hang', method: 'GET', path: '/packages', env: 'sandbox', times: 1 });
        return { ...base(), operation: 'list', url: sim.environments.sandbox.url };
      },
      /::group::List packages/,
      undefined,
    ],
  ] as const)(
    '%s: exit 1 within 2 s, outcome cancelled, outputs and summary written',
    async (_name, inputs, waiting, id) => {
      const run = await runAction(inputs(), { terminateAfterMs: SIGNAL_AT_MS });
      expect(run.stdout).toMatch(waiting);
      expect(run.code).toBe(1);
      expect(run.elapsedMs - SIGNAL_AT_MS).toBeLessThan(2000);
      expect(run.outputs.outcome).toBe('cancelled');
      if (id) expect(run.outputs[id]).toMatch(/^[\w-]+$/);
      expect(run.summary).toMatch(/cancelled/i);
      console.log(`cancel (${_name}): exited ${run.elapsedMs - SIGNAL_AT_MS} ms after SIGTERM`);
    },
  );
});
