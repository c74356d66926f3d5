// Lost answers: the bundled action against a simulator whose lists show new packages and installations only
// 3 s after they were made, and whose clock is 10 s off the runner's either way. The answer to each POST that
// must not land twice is lost after the server acted: nothing is created or started twice. Writes answered
// 200 with a page that is not the API's are checked, a lost DELETE answer is settled by reading back, and a
// step cancelled while an install request is unanswered says that it may have started.
import { afterAll, describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SEED, startSimulator, type EnvKey, type FaultRule, type Simulator } from '../../simulator/index.js';
import { runAction, type ActionRun } from '../e2e/harness.js';
import { scratchDir } from '../scratch.js';
import { COLLECTIONS, credentialInputs, type Inputs } from './helpers.js';

const LAG_MS = 3000;
const SKEWS = [-10_000, 10_000];
const TEMPLATE = SEED.preview.newAgencyOnboardingTemplate;

const sims: Simulator[] = [];
afterAll(async () => Promise.all(sims.map((sim) => sim.stop())));

async function simulator(skew = 0): Promise<Simulator> {
  const sim = await startSimulator({
    assemblyMs: 50,
    installMs: 50,
    visibilityLagMs: LAG_MS,
    clockSkewMs: skew,
  });
  sims.push(sim);
  return sim;
}

const base = (sim: Simulator, env: EnvKey): Inputs => ({
  url: sim.environments[env].url,
  ...credentialInputs(sim, 'api-key', env),
  'poll-interval': '1s',
  timeout: '2m',
});

const testing = (sim: Simulator) =>
  sim.control.makePackage({
    name: 'Lost answers',
    objectCollections: JSON.parse(COLLECTIONS),
    status: 'TESTING',
  }).id;

const install = (sim: Simulator, id: string): Inputs => ({
  ...base(sim, 'sandbox'),
  operation: 'install',
  'environment-kind': 'sandbox',
  'package-id': id,
});

interface Flow {
  name: string;
  /** The request whose answer is lost. */
  fault: Pick<FaultRule, 'method' | 'path' | 'env'>;
  inputs(sim: Simulator): Inputs;
}

const FLOWS: Flow[] = [
  {
    name: 'create',
    fault: { method: 'POST', path: /^\/packages$/, env: 'preview' },
    inputs: (sim) => ({
      ...base(sim, 'preview'),
      operation: 'create',
      name: 'Lost create',
      'object-collections': COLLECTIONS,
    }),
  },
  {
    name: 'pre-run',
    fault: { method: 'POST', path: /\/prepare-installation$/, env: 'sandbox' },
    inputs: (sim) => install(sim, testing(sim)),
  },
  {
    name: 'install (pre-run)',
    fault: { method: 'POST', path: /^\/installations\/[^/]+\/install$/, env: 'sandbox' },
    inputs: (sim) => install(sim, testing(sim)),
  },
  {
    name: 'install (map-file)',
    fault: { method: 'POST', path: /^\/packages\/[^/]+\/install$/, env: 'sandbox' },
    inputs: (sim) => {
      const mapFile = join(scratchDir('lost-answers'), 'map.yml');
      writeFileSync(mapFile, `TMPL:\n  ${TEMPLATE}:\n    action: CREATE\n`);
      return { ...install(sim, testing(sim)), 'map-file': mapFile };
    },
  },
];

function errorLine(run: ActionRun): string {
  return run.stdout.split('\n').find((line) => line.startsWith('::error::')) ?? '';
}

const CASES = FLOWS.flatMap((flow) => SKEWS.map((skew) => [flow.name, skew, flow] as const));

describe(`an answer lost after the server acted, lists ${LAG_MS / 1000} s behind, server clock off by 10 s`, () => {
  it.concurrent.each(CASES)(
    '%s, clock skew %i ms: done once, step succeeds',
    async (name, skew, flow) => {
      const sim = await simulator(skew);
      const inputs = flow.inputs(sim);
      sim.control.addFault({ ...flow.fault, kind: 'drop', after: 'respond', times: 1 });
      const run = await runAction(inputs, { timeoutMs: 110_000 });
      const counts = sim.counts();
      expect({ code: run.code, outcome: run.outputs.outcome, error: errorLine(run) }).toEqual({
        code: 0,
        outcome: 'succeeded',
        error: '',
      });
      expect(sim.log.filter((entry) => entry.fault === 'drop' && entry.landed)).toHaveLength(1);
      expect([...counts.duplicatePackageNames, ...counts.repeatedInstallTargets]).toEqual([]);
      if (name === 'create') {
        expect(counts.packagesCreated).toBe(1);
        expect(run.outputs['package-id']).toBe(sim.store.packages()[0].id);
      } else {
        expect(counts.installationsStarted).toBe(1);
        expect(counts.preRuns).toBeLessThanOrEqual(1);
        expect(run.outputs['installation-id']).toBe(
          sim.store.installations().find((i) => i.status !== 'PREPARING')?.id,
        );
      }
      expect(run.stdout).toMatch(/the earlier attempt landed; not sending it again/);
      console.log(
        `lost answer (${name}, skew ${skew} ms, lag ${LAG_MS} ms): ${(run.elapsedMs / 1000).toFixed(1)} s, ${sim.log.filter((e) => e.method === 'GET').length} GETs, ${counts.packagesCreated} packages, ${counts.preRuns} pre-runs, ${counts.installationsStarted} installations`,
      );
    },
    120_000,
  );
});

describe('DELETE', () => {
  const remove = (sim: Simulator, id: string): Inputs => ({
    ...base(sim, 'preview'),
    operation: 'delete',
    'package-id': id,
    'confirm-delete': id,
  });

  it.concurrent('answer lost after the server deleted: a read showing 404 makes it a success', async () => {
    const sim = await simulator();
    const id = testing(sim);
    sim.control.addFault({ method: 'DELETE', kind: 'drop', after: 'respond', times: 1 });
    const run = await runAction(remove(sim, id));
    expect({ code: run.code, outcome: run.outputs.outcome, changed: run.outputs.changed }).toEqual({
      code: 0,
      outcome: 'succeeded',
      changed: 'true',
    });
    expect(sim.store.package(id)).toBeUndefined();
    expect(sim.log.filter((e) => e.method === 'DELETE')).toHaveLength(1);
    expect(run.stdout).toMatch(/DELETE \/packages\/[\w-]+: the earlier attempt landed/);
  });

  it.concurrent(
    'answered 200 with an HTML page without deleting: the step fails, the package is there',
    async () => {
      const sim = await simulator();
      const id = testing(sim);
      sim.control.addFault({ method: 'DELETE', kind: 'malformed', times: 1 });
      const run = await runAction(remove(sim, id));
      expect({ code: run.code, outcome: run.outputs.outcome, changed: run.outputs.changed }).toEqual({
        code: 1,
        outcome: 'failed',
        changed: 'false',
      });
      expect(sim.store.package(id)).toBeDefined();
      expect(errorLine(run)).toMatch(
        /DELETE \/packages\/[\w-]+ answered 200.*a lookup found no effect of it/,
      );
      expect(run.summary).toMatch(/a lookup found no effect of it/);
    },
  );

  it.concurrent(
    'answered 200 with a garbled body after deleting: a success once the read shows it gone',
    async () => {
      const sim = await simulator();
      const id = testing(sim);
      sim.control.addFault({ method: 'DELETE', kind: 'malformed', after: 'respond', times: 1 });
      const run = await runAction(remove(sim, id));
      expect({ code: run.code, outcome: run.outputs.outcome }).toEqual({ code: 0, outcome: 'succeeded' });
      expect(sim.store.package(id)).toBeUndefined();
      expect(run.stdout).toMatch(/answer unreadable, found its result by lookup/);
    },
  );
});

describe('install answered 200 with an HTML page', () => {
  it.concurrent(
    'that did not start it: looked up for 30 s, then the step fails, nothing installed',
    async () => {
      const sim = await simulator();
      sim.control.addFault({
        method: 'POST',
        path: /^\/installations\/[^/]+\/install$/,
        kind: 'malformed',
        times: 1,
      });
      const run = await runAction(install(sim, testing(sim)), { timeoutMs: 110_000 });
      expect({ code: run.code, outcome: run.outputs.outcome }).toEqual({ code: 1, outcome: 'failed' });
      expect(sim.counts().installationsStarted).toBe(0);
      expect(errorLine(run)).toMatch(
        /POST \/installations\/[\w-]+\/install answered 200 OK with a body the client cannot read.*a lookup found no effect of it/,
      );
      console.log(`HTML 200 to install, not started: failed after ${(run.elapsedMs / 1000).toFixed(1)} s`);
    },
    120_000,
  );

  it.concurrent.each([
    ['pre-run', (sim: Simulator) => install(sim, testing(sim)), /^\/installations\/[^/]+\/install$/],
    [
      'map-file',
      (sim: Simulator) => {
        const mapFile = join(scratchDir('lost-answers'), 'map.yml');
        writeFileSync(mapFile, `TMPL:\n  ${TEMPLATE}:\n    action: CREATE\n`);
        return { ...install(sim, testing(sim)), 'map-file': mapFile };
      },
      /^\/packages\/[^/]+\/install$/,
    ],
  ])(
    'that started it (%s): found by lookup, installed once',
    async (_name, inputs, path) => {
      const sim = await simulator(-10_000);
      const given = inputs(sim);
      sim.control.addFault({ method: 'POST', path, kind: 'malformed', after: 'respond', times: 1 });
      const run = await runAction(given, { timeoutMs: 110_000 });
      expect({ code: run.code, outcome: run.outputs.outcome }).toEqual({ code: 0, outcome: 'succeeded' });
      expect(sim.counts().installationsStarted).toBe(1);
      expect(run.stdout).toMatch(/answer unreadable, found its result by lookup/);
    },
    120_000,
  );
});

describe('SIGTERM while an install request is unanswered', () => {
  it.concurrent.each([
    ['pre-run', (sim: Simulator) => install(sim, testing(sim)), /^\/installations\/[^/]+\/install$/],
    [
      'map-file',
      (sim: Simulator) => {
        const mapFile = join(scratchDir('lost-answers'), 'map.yml');
        writeFileSync(mapFile, `TMPL:\n  ${TEMPLATE}:\n    action: CREATE\n`);
        return { ...install(sim, testing(sim)), 'map-file': mapFile };
      },
      /^\/packages\/[^/]+\/install$/,
    ],
  ])(
    '(%s): cancelled, and the log, summary and result say it may have started and how to check',
    async (_n, inputs, path) => {
      const sim = await simulator();
      const given = inputs(sim);
      sim.control.addFault({ method: 'POST', path, kind: 'hang', after: 'respond' });
      const run = await runAction(given, {
        // The request has gone out once the server logged it as landed.
        terminateWhen: /::debug::→ POST \S+\/install /,
        timeoutMs: 30_000,
      });
      expect(run.terminatedAtMs).toBeDefined();
      expect(run.code).toBe(1);
      expect(run.elapsedMs - run.terminatedAtMs!).toBeLessThan(2000);
      expect(run.outputs.outcome).toBe('cancelled');
      const said =
        /it may have landed\. Check before running again: operation: installations, package-id: [\w-]+/;
      expect(
        run.stdout.split('\n').filter((line) => /^::(warning|error)::/.test(line) && said.test(line)),
      ).toHaveLength(2);
      expect(run.summary).toMatch(said);
      expect(JSON.parse(run.outputs.result).error).toMatch(said);
      console.log(
        `SIGTERM during an install request: exited ${run.elapsedMs - run.terminatedAtMs!} ms after it`,
      );
    },
  );
});
