// `npm run bench`: runs the bundled action (dist/index.js, built beforehand: this builds nothing) against the
// simulator, prints the tables and writes them to docs/BENCHMARKS.md. A benchmark, not a test: it asserts no
// timing and CI does not run it. `npm run bench -- scale` runs only the scale table and prints it.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulator } from '../simulator/index.js';
import { pollSchedule } from '../src/wait.js';
import { measureFlow } from './flow.js';
import { jitteredDurations, measureLatency, type LatencyOptions } from './latency.js';
import { describeMachine } from './machine.js';
import { renderReport, scaleSection, type ScaleSeries } from './report.js';
import { measureScale } from './scale.js';
import { evaluate, explore, pollTimes, type Band, type Overheads, type Schedule } from './schedule.js';
import { mean, median } from './stats.js';
import { measureStartup } from './startup.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BUNDLE = join(ROOT, 'dist/index.js');
const REPORT = join(ROOT, 'docs/BENCHMARKS.md');

const LATENCY: LatencyOptions = {
  nominalMs: [2_000, 10_000, 30_000],
  trialsPerDuration: 12,
  jitter: 0.2,
  seed: 10,
  pollIntervalMs: 10_000,
  staggerMs: 250,
};
const SCALE_SIZES = [1_000, 10_000, 50_000];
const SCALE_REPEATS = 3;
const STARTUP_TRIALS = 15;
const FLOW = { assemblyMs: 4_000, installMs: 10_000, pollInterval: '10s' };
/** Beyond the measured bands: where a schedule ends up for long installations. */
const LONG_BANDS_MS = [120_000, 600_000];

/** The schedule the action uses for `poll-interval` (src/wait.ts). */
const ACTION_SCHEDULE = pollSchedule(LATENCY.pollIntervalMs);
const CURRENT: Schedule = {
  initialMs: ACTION_SCHEDULE.initialIntervalMs as number,
  backoff: ACTION_SCHEDULE.backoff as number,
  capMs: ACTION_SCHEDULE.maxIntervalMs as number,
};

const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);

/**
 * GitHub's runners run the action on Node 24: the benchmark re-runs itself there (downloaded by npx on first
 * use), so the action's processes, spawned with the same binary, run on it too.
 */
function rerunOnNode24(): boolean {
  if (Number(process.versions.node.split('.')[0]) >= 24 || process.env.BENCH_NODE_CHECKED) return false;
  let node24: string;
  try {
    node24 = execFileSync('npx', ['-y', 'node@24', '-p', 'process.execPath'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    progress(`Node 24 is not available; measuring on ${process.version}`);
    return false;
  }
  progress(`re-running on Node 24 (${node24})`);
  const child = spawnSync(
    node24,
    ['--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, BENCH_NODE_CHECKED: '1' },
    },
  );
  process.exitCode = child.status ?? 1;
  return true;
}

async function scaleSeries(sim: Awaited<ReturnType<typeof startSimulator>>): Promise<ScaleSeries[]> {
  const scale: ScaleSeries[] = [];
  for (const size of SCALE_SIZES) {
    progress(`scale: ${size} records × ${SCALE_REPEATS}`);
    sim.control.setOption('installMs', 200);
    const runs = [];
    for (let i = 0; i < SCALE_REPEATS; i++) {
      runs.push(await measureScale(sim, size));
      sim.control.clearLog();
    }
    scale.push({ size, runs });
  }
  return scale;
}

/** `npm run bench -- scale`: the scale table alone, printed; docs/BENCHMARKS.md is left as it is. */
async function scaleOnly(): Promise<void> {
  const sim = await startSimulator({ assemblyMs: 300, installMs: 200, seed: 1 });
  try {
    console.log(scaleSection(await scaleSeries(sim)).join('\n'));
  } finally {
    await sim.stop();
  }
}

async function main(): Promise<void> {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run npm run bundle first`);
  if (process.argv.includes('scale')) return scaleOnly();
  const machine = describeMachine();
  const sim = await startSimulator({ assemblyMs: 300, installMs: 200, seed: 1 });
  try {
    // Start-up first, while the machine is quiet.
    progress(`start-up: ${STARTUP_TRIALS} trials`);
    const startup = await measureStartup(sim, BUNDLE, STARTUP_TRIALS);

    progress(`latency: ${LATENCY.nominalMs.length * LATENCY.trialsPerDuration} trial pairs side by side`);
    const latency = await measureLatency(sim, LATENCY);
    sim.control.clearLog();

    progress('poll schedules on a simulated clock');
    const durations = jitteredDurations(LATENCY);
    const bands: Band[] = LATENCY.nominalMs.map((nominalMs) => ({
      nominalMs,
      loMs: nominalMs * (1 - LATENCY.jitter),
      hiMs: nominalMs * (1 + LATENCY.jitter),
      sample: durations.filter((d) => d.nominalMs === nominalMs).map((d) => d.durationMs),
    }));
    const overheads = measuredOverheads(latency, await pollTimes(CURRENT, 60_000));
    const current = await evaluate(CURRENT, bands, LATENCY.pollIntervalMs, overheads);
    const candidates = await explore(bands, LATENCY.pollIntervalMs, overheads);
    const longBands: Band[] = LONG_BANDS_MS.map((nominalMs) => ({
      nominalMs,
      loMs: nominalMs * (1 - LATENCY.jitter),
      hiMs: nominalMs * (1 + LATENCY.jitter),
      sample: [nominalMs],
    }));
    const long = await Promise.all(
      [CURRENT, candidates[0].schedule].map((s) => evaluate(s, longBands, LATENCY.pollIntervalMs, overheads)),
    );

    const scale = await scaleSeries(sim);

    progress('release flow');
    const flow = await measureFlow(sim, FLOW);

    const report = renderReport({
      machine,
      latency,
      latencyOptions: LATENCY,
      current,
      candidates,
      long,
      overheads,
      scale,
      startup,
      flow,
      flowOptions: FLOW,
    });
    mkdirSync(dirname(REPORT), { recursive: true });
    writeFileSync(REPORT, report);
    console.log(report);
    progress(`written to ${REPORT}`);
  } finally {
    await sim.stop();
  }
}

/**
 * What the model leaves out, taken from the real trials: the requests besides polls, and the latency beyond
 * the schedule's (process exit and summary for the action; a round trip for the loop); medians, so a
 * duration that fell right on a poll time does not skew them.
 */
function measuredOverheads(latency: Awaited<ReturnType<typeof measureLatency>>, times: number[]): Overheads {
  const of = (waiter: 'action' | 'loop') => latency.filter((trial) => trial.waiter === waiter);
  const loopTimes = (d: number) => Math.ceil(d / LATENCY.pollIntervalMs) * LATENCY.pollIntervalMs;
  const actionPoll = (d: number) => times.find((t) => t >= d) ?? NaN;
  return {
    actionRequests: mean(of('action').map((t) => t.requests - t.polls)),
    loopRequests: mean(of('loop').map((t) => t.requests - t.polls)),
    actionExtraMs: median(of('action').map((t) => t.latencyMs - (actionPoll(t.durationMs) - t.durationMs))),
    loopExtraMs: median(of('loop').map((t) => t.latencyMs - (loopTimes(t.durationMs) - t.durationMs))),
  };
}

if (!rerunOnNode24()) await main();
