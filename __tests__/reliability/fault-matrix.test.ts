// The fault matrix: every request of the release flow × every fault the contract names. Each case runs the
// bundled action against a simulator of its own: it succeeds when the fault is within the retry budget, or
// fails naming the call and the fault; never is a package or an installation created twice.
import { afterAll, describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SEED, startSimulator, type EnvKey, type FaultRule, type Simulator } from '../../simulator/index.js';
import { killAfterMs, runAction, type ActionRun } from '../e2e/harness.js';
import { COLLECTIONS, credentialInputs, runInProcess, type Inputs } from './helpers.js';
import { scratchDir } from '../scratch.js';

type Setup = 'none' | 'DRAFT' | 'TESTING';

interface Target {
  /** The request, as the report names it. */
  name: string;
  method: string;
  path: RegExp;
  /** How the message names it: method and path. */
  named: RegExp;
  env: EnvKey;
  setup: Setup;
  inputs(sim: Simulator, packageId: string, temp: string): Inputs;
  /** A garbled answer is survived (a lookup finds what the call created, or the body is not read). */
  survivesGarbled: boolean;
}

const TEMPLATE = SEED.preview.newAgencyOnboardingTemplate;
const base = (sim: Simulator, env: EnvKey): Inputs => ({
  url: sim.environments[env].url,
  ...credentialInputs(sim, 'api-key', env),
  'poll-interval': '1s',
});
const create = (sim: Simulator): Inputs => ({
  ...base(sim, 'preview'),
  operation: 'create',
  name: 'Matrix package',
  'object-collections': COLLECTIONS,
});
const transition = (sim: Simulator, id: string): Inputs => ({
  ...base(sim, 'preview'),
  operation: 'transition',
  status: 'TESTING',
  'package-id': id,
});
const install = (sim: Simulator, id: string): Inputs => ({
  ...base(sim, 'sandbox'),
  operation: 'install',
  'environment-kind': 'sandbox',
  'package-id': id,
});
const installWithMap = (sim: Simulator, id: string, temp: string): Inputs => {
  const mapFile = join(temp, `map-${id}.yml`);
  writeFileSync(mapFile, `TMPL:\n  ${TEMPLATE}:\n    action: CREATE\n`);
  return { ...install(sim, id), 'map-file': mapFile };
};

const TARGETS: Target[] = [
  {
    name: 'create',
    method: 'POST',
    path: /^\/packages$/,
    named: /POST \/packages\b/,
    env: 'preview',
    setup: 'none',
    inputs: create,
    survivesGarbled: true,
  },
  {
    name: 'package poll',
    method: 'GET',
    path: /^\/packages\/[^/]+$/,
    named: /GET \/packages\/[\w-]+/,
    env: 'preview',
    setup: 'none',
    inputs: create,
    survivesGarbled: true,
  },
  {
    name: 'transition',
    method: 'PATCH',
    path: /^\/packages\/[^/]+$/,
    named: /PATCH \/packages\/[\w-]+/,
    env: 'preview',
    setup: 'DRAFT',
    inputs: transition,
    survivesGarbled: false,
  },
  {
    name: 'installation history',
    method: 'GET',
    path: /^\/installations$/,
    named: /GET \/installations\b/,
    env: 'sandbox',
    setup: 'TESTING',
    inputs: install,
    // Read as it arrives: an answer the reader cannot read is asked for again and read whole.
    survivesGarbled: true,
  },
  {
    name: 'pre-run',
    method: 'POST',
    path: /\/prepare-installation$/,
    named: /POST \/packages\/[\w-]+\/prepare-installation/,
    env: 'sandbox',
    setup: 'TESTING',
    inputs: install,
    // A garbled answer may have landed: the lookup finds the pre-run it made.
    survivesGarbled: true,
  },
  {
    name: 'install (pre-run)',
    method: 'POST',
    path: /^\/installations\/[^/]+\/install$/,
    named: /POST \/installations\/[\w-]+\/install/,
    env: 'sandbox',
    setup: 'TESTING',
    inputs: install,
    survivesGarbled: true,
  },
  {
    name: 'installation poll',
    method: 'GET',
    path: /^\/installations\/[^/]+$/,
    named: /GET \/installations\/[\w-]+/,
    env: 'sandbox',
    setup: 'TESTING',
    inputs: install,
    survivesGarbled: true,
  },
  {
    name: 'translation map',
    method: 'POST',
    path: /\/translation-map$/,
    named: /POST \/packages\/[\w-]+\/translation-map/,
    env: 'sandbox',
    setup: 'TESTING',
    inputs: installWithMap,
    survivesGarbled: false,
  },
  {
    name: 'install (map)',
    method: 'POST',
    path: /^\/packages\/[^/]+\/install$/,
    named: /POST \/packages\/[\w-]+\/install/,
    env: 'sandbox',
    setup: 'TESTING',
    inputs: installWithMap,
    survivesGarbled: true,
  },
];

interface Fault {
  name: string;
  rules: Array<Omit<FaultRule, 'method' | 'path' | 'env'>>;
  /** Whether the action must succeed; else it must fail with a message matching `message`. */
  survives: (target: Target) => boolean;
  message: RegExp;
  /** The step's timeout input. */
  timeout?: string;
}

const FAULTS: Fault[] = [
  {
    name: '429 with Retry-After: 2',
    rules: [{ kind: 'rate-limit', retryAfter: 2, times: 1 }],
    survives: () => true,
    message: /retry 1 of 4 in 2\.0 s/,
  },
  {
    name: '503 twice',
    rules: [{ kind: 'error', status: 503, times: 2 }],
    survives: () => true,
    message: /answered 503 .*retry 2 of 4/,
  },
  {
    name: 'dropped connection',
    rules: [{ kind: 'drop', times: 1 }],
    survives: () => true,
    message: /retry 1 of 4/,
  },
  {
    name: 'dropped after the server acted',
    rules: [{ kind: 'drop', after: 'respond', times: 1 }],
    survives: () => true,
    message: /retry 1 of 4/,
  },
  {
    name: 'truncated answer',
    rules: [{ kind: 'truncated', after: 'respond', times: 1 }],
    survives: () => true,
    message: /retry 1 of 4/,
  },
  {
    name: 'malformed answer',
    rules: [{ kind: 'malformed', after: 'respond', times: 1 }],
    survives: (target) => target.survivesGarbled,
    // Survived: a create or an install with a map is found by lookup; the pre-run install's body is not read;
    // a poll is polled again; the history is asked for again.
    message:
      /with a body the client cannot read|found its result by lookup|Installation [\w-]+ of .* started|Polling again|asking again/,
  },
  {
    name: '503 past the retry budget',
    // Retry-After: 0 keeps the five attempts quick; backoff itself is proven by the cases above.
    rules: [{ kind: 'error', status: 503, retryAfter: 0 }],
    survives: () => false,
    message: /answered 503 Service Unavailable.*gave up after 5 attempts/,
  },
  {
    name: 'hang past the step timeout',
    rules: [{ kind: 'hang' }],
    survives: () => false,
    message: /timed out after/,
    timeout: '20s',
  },
];

interface Case {
  target: Target;
  fault: Fault;
}

interface CaseResult extends Case {
  run: ActionRun;
  sim: { packagesCreated: number; installationsStarted: number; duplicates: string[]; hits: number };
}

async function prepare(sim: Simulator, setup: Setup): Promise<string> {
  if (setup === 'none') return '';
  return sim.control.makePackage({
    name: `Matrix ${setup}`,
    objectCollections: JSON.parse(COLLECTIONS),
    status: setup,
  }).id;
}

async function runCase({ target, fault }: Case): Promise<CaseResult> {
  const sim = await startSimulator({ assemblyMs: 50, installMs: 50 });
  try {
    const packageId = await prepare(sim, target.setup);
    const created = sim.counts().packagesCreated;
    for (const rule of fault.rules)
      sim.control.addFault({ ...rule, method: target.method, path: target.path, env: target.env });
    const dir = scratchDir('matrix');
    const inputs = { ...target.inputs(sim, packageId, dir), timeout: stepTimeout(fault) };
    const run = await runAction(inputs);
    const counts = sim.counts();
    const hits = sim.log.filter((entry) => entry.fault).length;
    return {
      target,
      fault,
      run,
      sim: {
        packagesCreated: counts.packagesCreated - created,
        installationsStarted: counts.installationsStarted,
        duplicates: [...counts.duplicatePackageNames, ...counts.repeatedInstallTargets],
        hits,
      },
    };
  } finally {
    await sim.stop();
  }
}

const stepTimeout = (fault: Fault): string => fault.timeout ?? '2m';
/** A case lasts at most as long as its run may (the step's timeout, start-up, report) and a simulator's life. */
const caseBudgetMs = (fault: Fault): number =>
  killAfterMs({ timeout: stepTimeout(fault) }) + SIMULATOR_START_STOP_MS;
const SIMULATOR_START_STOP_MS = 10_000;

const CASES: Case[] = TARGETS.flatMap((target) => FAULTS.map((fault) => ({ target, fault })));

function errorLine(run: ActionRun): string {
  return run.stdout.split('\n').find((line) => line.startsWith('::error::')) ?? '';
}

// Each case runs its own simulator and action, so any one runs alone (`-t "create × 503 twice"`). Jest runs
// at most `maxConcurrency` of them at a time (jest.config.js): more would make the machine's load, not the
// fault, decide how long each step takes.
describe('fault matrix (bundled action)', () => {
  const table: string[] = [];
  afterAll(() => {
    if (table.length > 0) console.log(`fault matrix, ${table.length} cases:\n${table.sort().join('\n')}`);
  });

  // The cases that wait out a step timeout first, so that the short ones fill the time beside them.
  const waits = (c: Case) => (c.fault.timeout === undefined ? 0 : 1);
  const cases = [...CASES].sort((a, b) => waits(b) - waits(a));
  for (const { target, fault } of cases)
    it.concurrent(
      `${target.name} × ${fault.name}`,
      async () => {
        const { run, sim } = await runCase({ target, fault });
        table.push(
          `${target.name} | ${fault.name} | ${run.outputs.outcome} | exit ${run.code} | ${(run.elapsedMs / 1000).toFixed(1)} s | faults hit ${sim.hits}`,
        );
        // The fault was met: else the case proves nothing.
        expect(sim.hits).toBeGreaterThan(0);
        // Never twice.
        expect(sim.duplicates).toEqual([]);
        expect(sim.packagesCreated).toBeLessThanOrEqual(target.setup === 'none' ? 1 : 0);
        expect(sim.installationsStarted).toBeLessThanOrEqual(1);
        if (fault.survives(target)) {
          expect({ code: run.code, outcome: run.outputs.outcome, error: errorLine(run) }).toEqual({
            code: 0,
            outcome: 'succeeded',
            error: '',
          });
          expect(run.stdout).toMatch(fault.message);
          if (target.setup === 'none') expect(sim.packagesCreated).toBe(1);
          if (target.env === 'sandbox') expect(sim.installationsStarted).toBe(1);
        } else {
          expect(run.code).toBe(1);
          // A step whose timeout runs out, even inside a request, has timed out.
          if (fault.name === 'hang past the step timeout') expect(run.outputs.outcome).toBe('timed-out');
          else expect(['failed', 'timed-out']).toContain(run.outputs.outcome);
          const error = errorLine(run);
          expect(error).toMatch(target.named);
          expect(error).toMatch(fault.message);
          expect(run.summary).toMatch(target.named);
        }
      },
      caseBudgetMs(fault),
    );
});

describe('a request that hangs past its own timeout is retried (in-process, request timeout 1 s)', () => {
  it.concurrent.each(TARGETS.map((t) => [t.name, t] as const))('%s', async (_name, target) => {
    const sim = await startSimulator({ assemblyMs: 50, installMs: 50 });
    try {
      const packageId = await prepare(sim, target.setup);
      const mutating = target.method !== 'GET';
      sim.control.addFault({
        kind: 'hang',
        method: target.method,
        path: target.path,
        env: target.env,
        times: 1,
        ...(mutating ? { after: 'respond' as const } : {}),
      });
      const dir = scratchDir('matrix');
      const { result, logs } = await runInProcess(
        { ...target.inputs(sim, packageId, dir), timeout: '1m' },
        { requestTimeoutMs: 1000, speed: 20 },
      );
      expect({ outcome: result.outcome, error: result.error }).toEqual({
        outcome: 'succeeded',
        error: undefined,
      });
      expect(logs.join('\n')).toMatch(/timed out after 1\.0 s; retry 1 of 4/);
      const counts = sim.counts();
      expect([...counts.duplicatePackageNames, ...counts.repeatedInstallTargets]).toEqual([]);
      expect(sim.log.filter((entry) => entry.fault === 'hang')).toHaveLength(1);
    } finally {
      await sim.stop();
    }
  });
});
