// The seeded soak: full release flows under a random 10 % fault rate, every one succeeding, nothing created
// twice. In-process through the real inputs, client and operations (real HTTP to the simulator, waits sped
// up); a smaller number through the bundled action, waits real.
import { afterAll, describe, expect, it } from '@jest/globals';
import { availableParallelism } from 'node:os';
import { seededRandom } from '../../simulator/faults.js';
import { startSimulator, type Simulator } from '../../simulator/index.js';
import { bundledRelease, inProcessRelease, pool } from './helpers.js';

const FLOWS = Number(process.env.RELIABILITY_SOAK_FLOWS ?? 200);
const BUNDLED_FLOWS = Number(process.env.RELIABILITY_SOAK_BUNDLED_FLOWS ?? 10);
const SEED = Number(process.env.RELIABILITY_SOAK_SEED ?? 9);
/** Flows where a new package or installation shows in lists only 3 s late, and the server's clock is off. */
const LAGGED_FLOWS = Number(process.env.RELIABILITY_SOAK_LAGGED_FLOWS ?? 6);
/** In-process flows at a time: they mostly wait on the simulator (in this process) with waits sped up. */
const CONCURRENCY = 20;
/** Bundled flows at a time: each step is a Node process, so as many as the cores can start at once, twice. */
const BUNDLED_CONCURRENCY = availableParallelism() * 2;
/**
 * A backstop only: every step is bounded by its own timeout input. The soak's two parts run one after the
 * other: side by side (and beside the fault matrix) on two busy cores they starved each other past 150 s.
 */
const SOAK_BACKSTOP_MS = 300_000;
/** Waits (poll pauses, retry backoffs, Retry-After) are divided by this in-process. */
const SPEED = 50;

/**
 * About 10 % of requests hit by one of these (1 − 0.98⁴·0.99² ≈ 9.6 %), plus a garbled answer to one create
 * in ten. Every kind is one the contract promises to survive: 429, 5xx, connections dropped before or after
 * the server acted, answers cut short, a connection that hangs and is then closed.
 */
export function addSoakFaults(sim: Simulator): void {
  sim.control.addFault({
    kind: 'malformed',
    method: 'POST',
    path: /^\/packages$/,
    after: 'respond',
    probability: 0.1,
  });
  sim.control.addFault({ kind: 'rate-limit', retryAfter: 1, probability: 0.02 });
  sim.control.addFault({ kind: 'error', status: 503, probability: 0.02 });
  sim.control.addFault({ kind: 'drop', probability: 0.02 });
  sim.control.addFault({ kind: 'drop', after: 'respond', probability: 0.02 });
  sim.control.addFault({ kind: 'truncated', after: 'respond', probability: 0.01 });
  sim.control.addFault({ kind: 'hang', delayMs: 300, probability: 0.01 });
}

interface Figures {
  flows: number;
  succeeded: number;
  requests: number;
  faults: Record<string, number>;
  packagesCreated: number;
  installationsStarted: number;
  duplicatePackages: number;
  repeatedInstallTargets: number;
  seconds: number;
}

function figures(sim: Simulator, flows: number, succeeded: number, started: number): Figures {
  const counts = sim.counts();
  const faults: Record<string, number> = {};
  for (const entry of sim.log) if (entry.fault) faults[entry.fault] = (faults[entry.fault] ?? 0) + 1;
  return {
    flows,
    succeeded,
    requests: counts.requests,
    faults,
    packagesCreated: counts.packagesCreated,
    installationsStarted: counts.installationsStarted,
    duplicatePackages: counts.duplicatePackageNames.length,
    repeatedInstallTargets: counts.repeatedInstallTargets.length,
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
}

describe('seeded soak under a 10 % fault rate', () => {
  const sims: Simulator[] = [];
  afterAll(async () => {
    await Promise.all(sims.map((sim) => sim.stop()));
  });

  it(
    `${FLOWS} in-process release flows all succeed, nothing created twice`,
    async () => {
      const sim = await startSimulator({ seed: SEED, assemblyMs: 50, installMs: 50 });
      sims.push(sim);
      addSoakFaults(sim);
      const started = Date.now();
      const random = seededRandom(SEED);
      const flows = await pool(
        Array.from({ length: FLOWS }, (_, i) => `Soak ${SEED}-${i}`),
        CONCURRENCY,
        (name) => inProcessRelease(sim, name, { speed: SPEED, random }),
      );
      const failures = flows
        .filter((flow) => flow.failed)
        .map(
          (flow) =>
            `${flow.packageId} ${flow.failed!.label}: ${flow.failed!.step.result.error}\n${flow.failed!.step.logs.join('\n')}`,
        );
      // In full: CI keeps the log, and a diff of a long list is cut.
      for (const failure of failures) console.log(`soak flow failed: ${failure}`);
      const result = figures(sim, FLOWS, FLOWS - failures.length, started);
      console.log(`soak (in-process, seed ${SEED}): ${JSON.stringify(result)}`);
      expect(failures).toEqual([]);
      expect(result.packagesCreated).toBe(FLOWS);
      expect(result.installationsStarted).toBe(2 * FLOWS);
      expect(sim.counts().duplicatePackageNames).toEqual([]);
      expect(sim.counts().repeatedInstallTargets).toEqual([]);
      expect(Object.values(result.faults).reduce((a, b) => a + b, 0)).toBeGreaterThan(result.requests * 0.05);
    },
    SOAK_BACKSTOP_MS,
  );

  /** Bundled release flows on a simulator of their own with the soak's faults: all succeed, nothing twice. */
  async function bundledSoak(
    flowCount: number,
    seed: number,
    options: { visibilityLagMs?: number; clockSkewMs?: number },
  ) {
    const sim = await startSimulator({ seed, assemblyMs: 50, installMs: 50, ...options });
    sims.push(sim);
    addSoakFaults(sim);
    const started = Date.now();
    const flows = await pool(
      Array.from({ length: flowCount }, (_, i) => `Bundled soak ${seed}-${i}`),
      BUNDLED_CONCURRENCY,
      (name) => bundledRelease(sim, name),
    );
    const failures = flows
      .filter((flow) => flow.failed)
      .map((flow) => `${flow.packageId} ${flow.failed!.label}: ${flow.failed!.run.stdout.slice(-4000)}`);
    for (const failure of failures) console.log(`soak flow failed: ${failure}`);
    const result = figures(sim, flowCount, flowCount - failures.length, started);
    console.log(`soak (bundled action, seed ${seed}, ${JSON.stringify(options)}): ${JSON.stringify(result)}`);
    expect(failures).toEqual([]);
    expect(result.packagesCreated).toBe(flowCount);
    expect(result.installationsStarted).toBe(2 * flowCount);
    expect(sim.counts().duplicatePackageNames).toEqual([]);
    expect(sim.counts().repeatedInstallTargets).toEqual([]);
  }

  it(
    `${BUNDLED_FLOWS} release flows of the bundled action all succeed, nothing created twice`,
    () => bundledSoak(BUNDLED_FLOWS, SEED + 1, {}),
    SOAK_BACKSTOP_MS,
  );

  it(
    `${LAGGED_FLOWS} bundled flows with lists 3 s behind and the server's clock 10 s behind: nothing created twice`,
    () => bundledSoak(LAGGED_FLOWS, SEED + 2, { visibilityLagMs: 3000, clockSkewMs: -10_000 }),
    SOAK_BACKSTOP_MS,
  );
});
