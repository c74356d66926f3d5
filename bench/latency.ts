// Detection latency: how long after an installation finished each waiter notices, and how many requests it
// spends on the way. The action and a plain fixed-interval loop run side by side on the same jittered durations.
import { setTimeout as sleep } from 'node:timers/promises';
import type { EnvironmentInfo, SimPackage, Simulator } from '../simulator/index.js';
import { expectOutcome, isInstallationPoll, recordCount, requestsNaming, runMeasured } from './action.js';
import { seededRandom } from './stats.js';

export type Waiter = 'action' | 'loop';

export interface LatencyTrial {
  waiter: Waiter;
  /** The nominal duration class (2 s, 10 s, 30 s) and this trial's jittered duration. */
  nominalMs: number;
  durationMs: number;
  /** From the installation's end (its `updatedAt`) to the waiter's end (process exit, or the loop's return). */
  latencyMs: number;
  /** Every request of the step, and the `GET /installations/{id}` polls among them. */
  requests: number;
  polls: number;
}

export interface LatencyOptions {
  nominalMs: readonly number[];
  trialsPerDuration: number;
  /** ± this fraction, uniform: no poll schedule lines up with the durations by luck. */
  jitter: number;
  seed: number;
  pollIntervalMs: number;
  /** Between the starts of two trial pairs: the action's start-up is CPU-bound and the machine has few cores. */
  staggerMs: number;
}

/** The jittered durations of every trial, in a stable order: the schedule exploration reuses them. */
export function jitteredDurations(options: LatencyOptions): { nominalMs: number; durationMs: number }[] {
  const random = seededRandom(options.seed);
  return options.nominalMs.flatMap((nominalMs) =>
    Array.from({ length: options.trialsPerDuration }, () => ({
      nominalMs,
      durationMs: Math.round(nominalMs * (1 - options.jitter + 2 * options.jitter * random())),
    })),
  );
}

const TERMINAL = new Set(['INSTALLED', 'COMPLETED', 'FAILED']);

/**
 * The way people script it today: pre-run, install, then `sleep 10; GET` until the status is final. Answers the
 * installation and the moment the loop saw it end.
 */
async function fixedIntervalLoop(
  env: EnvironmentInfo,
  apiKey: string,
  packageId: string,
  intervalMs: number,
): Promise<{ installationId: string; sawEndAt: number }> {
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${env.apiBase}${path}`, {
      method,
      headers: { apikey: apiKey, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<{ id: string; status: string }>;
  };
  const prerun = await call('POST', `/packages/${packageId}/prepare-installation`, {});
  await call('POST', `/installations/${prerun.id}/install`, {});
  for (;;) {
    await sleep(intervalMs);
    const { status } = await call('GET', `/installations/${prerun.id}`);
    if (TERMINAL.has(status)) return { installationId: prerun.id, sawEndAt: Date.now() };
  }
}

/**
 * The simulator's install time is a function of the record count only, so each trial gets a package of its own
 * size and the function looks its duration up: trials can then run side by side.
 */
function packageOfDuration(sim: Simulator, durations: Map<number, number>, durationMs: number): SimPackage {
  const tasks = durations.size + 1;
  const generated = sim.control.generateTemplates('preview', 1, tasks, `Latency ${tasks}`);
  const pkg = sim.control.makePackage({
    name: `Latency trial ${tasks}`,
    objectCollections: generated.objectCollections,
    status: 'ACTIVE',
  });
  const count = recordCount(pkg.entities);
  if (durations.has(count)) throw new Error(`two latency packages hold ${count} records`);
  durations.set(count, durationMs);
  return pkg;
}

function finishedAt(sim: Simulator, installationId: string): number {
  const installation = sim.store.installation(installationId);
  if (installation?.status !== sim.settings.completedWord || !installation.updatedAt)
    throw new Error(`installation ${installationId} is ${installation?.status}, not finished`);
  return Date.parse(installation.updatedAt);
}

function trialOf(
  sim: Simulator,
  waiter: Waiter,
  trial: { nominalMs: number; durationMs: number },
  pkg: SimPackage,
  installationId: string,
  endedAt: number,
): LatencyTrial {
  const own = requestsNaming(sim.log, [pkg.id, installationId]);
  return {
    waiter,
    ...trial,
    latencyMs: endedAt - finishedAt(sim, installationId),
    requests: own.length,
    polls: own.filter((entry) => isInstallationPoll(entry, installationId)).length,
  };
}

export async function measureLatency(sim: Simulator, options: LatencyOptions): Promise<LatencyTrial[]> {
  const durations = new Map<number, number>();
  sim.control.setOption('installMs', (count) => durations.get(count) ?? 200);
  const trials = jitteredDurations(options);
  // Round-robin over the duration classes, so start-up contention falls on every class alike.
  const order = trials
    .map((trial, index) => ({ trial, rank: index % options.trialsPerDuration }))
    .sort((a, b) => a.rank - b.rank)
    .map(({ trial }) => trial);
  const env = sim.environments.sandbox;
  const runs = order.map(async (trial, index) => {
    const forAction = packageOfDuration(sim, durations, trial.durationMs);
    const forLoop = packageOfDuration(sim, durations, trial.durationMs);
    await sleep(index * options.staggerMs);
    const action = (async () => {
      const run = await runMeasured(
        sim,
        'sandbox',
        { operation: 'install', 'package-id': forAction.id },
        { pollInterval: `${options.pollIntervalMs / 1000}s` },
      );
      expectOutcome(run, 'succeeded', `install of ${forAction.id}`);
      return trialOf(sim, 'action', trial, forAction, run.outputs['installation-id'], run.exitedAt);
    })();
    const loop = (async () => {
      const seen = await fixedIntervalLoop(env, sim.credentials.apiKey, forLoop.id, options.pollIntervalMs);
      return trialOf(sim, 'loop', trial, forLoop, seen.installationId, seen.sawEndAt);
    })();
    return Promise.all([action, loop]);
  });
  return (await Promise.all(runs)).flat();
}
