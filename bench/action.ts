// Runs the bundled action as the runner does (through the end-to-end harness), and reads back what the
// benchmark needs: when the process ended, its own CPU time and peak RSS, and which requests were its own.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runAction, type ActionRun } from '../__tests__/e2e/harness.js';
import type { EnvKey, RequestLogEntry, Simulator } from '../simulator/index.js';

/**
 * Loaded into the action's process before dist/index.js: on exit it writes that process's own resource usage,
 * so the simulator (which lives in the benchmark's process) is never counted.
 */
const USAGE_HOOK =
  "--import=data:text/javascript,import{writeFileSync}from'node:fs';" +
  "process.on('exit',()=>writeFileSync(process.env.BENCH_USAGE_FILE,JSON.stringify(process.resourceUsage())))";

export interface MeasuredRun extends ActionRun {
  /** Epoch ms just before the spawn and when the process had ended. */
  startedAt: number;
  exitedAt: number;
  /** User + system CPU time of the action's process. */
  cpuMs: number;
  /** Peak resident set size of the action's process. */
  maxRssBytes: number;
  summaryBytes: number;
}

export interface MeasureOptions {
  /** The poll-interval input; the fixture's default of the runner is 10s. */
  pollInterval?: string;
  timeoutMs?: number;
}

/** Runs one step of the action against an environment of the simulator with its API key. */
export async function runMeasured(
  sim: Simulator,
  env: EnvKey,
  inputs: Record<string, string>,
  options: MeasureOptions = {},
): Promise<MeasuredRun> {
  const scratch = mkdtempSync(join(tmpdir(), 'bench-usage-'));
  const usageFile = join(scratch, 'usage.json');
  const startedAt = Date.now();
  const run = await runAction(
    {
      url: sim.environments[env].url,
      'api-key': sim.credentials.apiKey,
      'environment-kind': sim.environments[env].kind,
      'poll-interval': options.pollInterval ?? '10s',
      ...inputs,
    },
    {
      env: { NODE_OPTIONS: USAGE_HOOK, BENCH_USAGE_FILE: usageFile },
      timeoutMs: options.timeoutMs ?? 5 * 60_000,
    },
  );
  const exitedAt = Date.now();
  const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as NodeJS.ResourceUsage;
  // The harness leaves its temporary directory (outputs, summary, translation maps) behind: a 50,000-record
  // run writes several MB there.
  rmSync(scratch, { recursive: true, force: true });
  rmSync(dirname(run.temp), { recursive: true, force: true });
  return {
    ...run,
    startedAt,
    exitedAt,
    cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
    maxRssBytes: usage.maxRSS * 1024,
    summaryBytes: Buffer.byteLength(run.summary),
  };
}

/** Fails loudly: a benchmark of a failing step measures nothing. */
export function expectOutcome(run: ActionRun, outcome: string, what: string): void {
  if (run.outputs.outcome !== outcome)
    throw new Error(
      `${what}: outcome ${run.outputs.outcome ?? '(none)'}, expected ${outcome}\n${run.stdout.slice(-3000)}\n${run.stderr}`,
    );
}

/** Requests that name one of `ids` (a package or installation) in their path or query: one trial's own. */
export function requestsNaming(log: readonly RequestLogEntry[], ids: readonly string[]): RequestLogEntry[] {
  return log.filter((entry) =>
    ids.some((id) => entry.path.includes(id) || Object.values(entry.query).includes(id)),
  );
}

/** A poll of an installation's state: `GET /installations/{id}`. */
export const isInstallationPoll = (entry: RequestLogEntry, installationId: string): boolean =>
  entry.method === 'GET' && entry.path.endsWith(`/installations/${installationId}`);

/** The number of records a package of the simulator holds. */
export const recordCount = (entities: Record<string, unknown[]>): number =>
  Object.values(entities).reduce((sum, list) => sum + list.length, 0);
