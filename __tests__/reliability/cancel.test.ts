// Cancellation: a signal during any kind of wait ends the bundled action within two seconds, exit 1, with
// outputs (outcome=cancelled, ids known so far) and the summary written. The signal is sent as soon as the
// log shows the wait has begun.
import { afterAll, describe, expect, it } from '@jest/globals';
import { SEED, startSimulator, type Simulator } from '../../simulator/index.js';
import { runAction } from '../e2e/harness.js';

const COLLECTIONS = [{ objCode: 'TMPL', entities: [{ ID: SEED.preview.newAgencyOnboardingTemplate }] }];

describe('SIGTERM during a wait', () => {
  // A simulator per case: the cases run side by side and their faults must not meet.
  const sims: Simulator[] = [];
  afterAll(async () => Promise.all(sims.map((sim) => sim.stop())));

  const base = (sim: Simulator) => ({ 'api-key': sim.credentials.apiKey, 'poll-interval': '1s' });

  it.concurrent.each([
    [
      'waiting for an installation',
      (sim: Simulator) => ({
        ...base(sim),
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
      (sim: Simulator) => ({
        ...base(sim),
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
      (sim: Simulator) => {
        sim.control.addFault({
          kind: 'rate-limit',
          retryAfter: 60,
          method: 'GET',
          path: '/installations',
          times: 1,
        });
        return {
          ...base(sim),
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
      (sim: Simulator) => {
        sim.control.addFault({ kind: 'hang', method: 'GET', path: /^\/packages$/, times: 1 });
        return { ...base(sim), operation: 'list', url: sim.environments.sandbox.url };
      },
      /::group::List packages/,
      undefined,
    ],
  ] as const)(
    '%s: exit 1 within 2 s, outcome cancelled, outputs and summary written',
    async (_name, inputs, waiting, id) => {
      const sim = await startSimulator({ assemblyMs: 60_000, installMs: 60_000 });
      sims.push(sim);
      const run = await runAction(inputs(sim), { terminateWhen: waiting, timeoutMs: 30_000 });
      expect(run.terminatedAtMs).toBeDefined();
      expect(run.code).toBe(1);
      expect(run.elapsedMs - run.terminatedAtMs!).toBeLessThan(2000);
      expect(run.outputs.outcome).toBe('cancelled');
      if (id) expect(run.outputs[id]).toMatch(/^[\w-]+$/);
      expect(run.summary).toMatch(/cancelled/i);
      console.log(`cancel (${_name}): exited ${run.elapsedMs - run.terminatedAtMs!} ms after SIGTERM`);
    },
  );
});
