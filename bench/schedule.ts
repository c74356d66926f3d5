// The poll schedule on a simulated clock: the real poller (src/wait.ts, only its options changed) against the
// fixed loop, over the jittered durations of the latency trials, both as an exact expectation over the jitter
// band and on the very durations the real trials drew.
import type { Clock } from '../src/clock.js';
import { waitFor } from '../src/wait.js';

export interface Schedule {
  initialMs: number;
  backoff: number;
  /** The longest pause. */
  capMs: number;
}

export interface Band {
  nominalMs: number;
  loMs: number;
  hiMs: number;
  /** The durations the real trials drew in this band. */
  sample: number[];
}

/** Expected latency and polls of a waiter over one band. */
export interface BandFigures {
  latencyMs: number;
  polls: number;
}

export interface Overheads {
  /** Requests besides the polls: the action reads the package and the installation history first. */
  actionRequests: number;
  loopRequests: number;
  /** Measured latency beyond the schedule's own: process exit, summary, request round trips. */
  actionExtraMs: number;
  loopExtraMs: number;
}

export interface Verdict {
  nominalMs: number;
  action: BandFigures;
  loop: BandFigures;
  latencyRatio: number;
  pollRatio: number;
  requestRatio: number;
}

export const LATENCY_TARGET = 0.5;
export const REQUEST_TARGET = 2;

/** Poll times (ms after the install request) of the real poller with `schedule`, up to `horizonMs`. */
export async function pollTimes(schedule: Schedule, horizonMs: number): Promise<number[]> {
  let now = 0;
  const times: number[] = [];
  const clock: Clock = {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
  };
  await waitFor({
    poll: async () => {
      times.push(now);
      return now >= horizonMs ? 'done' : 'running';
    },
    statusOf: (status) => status,
    classify: (status) => (status === 'done' ? 'succeeded' : 'pending'),
    deadline: Number.MAX_SAFE_INTEGER,
    maxIntervalMs: schedule.capMs,
    initialIntervalMs: schedule.initialMs,
    backoff: schedule.backoff,
    clock,
    pollFirst: false,
  });
  return times;
}

function loopTimes(intervalMs: number, horizonMs: number): number[] {
  return Array.from({ length: Math.ceil(horizonMs / intervalMs) + 1 }, (_, k) => (k + 1) * intervalMs);
}

/**
 * Exact expectation for a duration uniform on [lo, hi]: a duration in (t[k-1], t[k]] is seen by poll k, late by
 * t[k] − duration.
 */
function expected(times: readonly number[], loMs: number, hiMs: number): BandFigures {
  let latency = 0;
  let polls = 0;
  let previous = 0;
  for (let k = 0; k < times.length && previous < hiMs; k++) {
    const a = Math.max(loMs, previous);
    const b = Math.min(hiMs, times[k]);
    if (b > a) {
      latency += times[k] * (b - a) - (b * b - a * a) / 2;
      polls += (k + 1) * (b - a);
    }
    previous = times[k];
  }
  const width = hiMs - loMs;
  return { latencyMs: latency / width, polls: polls / width };
}

/** The same figures on given durations. */
function sampled(times: readonly number[], durations: readonly number[]): BandFigures {
  let latency = 0;
  let polls = 0;
  for (const duration of durations) {
    const k = times.findIndex((t) => t >= duration);
    latency += times[k] - duration;
    polls += k + 1;
  }
  return { latencyMs: latency / durations.length, polls: polls / durations.length };
}

function verdict(nominalMs: number, action: BandFigures, loop: BandFigures, overheads: Overheads): Verdict {
  return {
    nominalMs,
    action,
    loop,
    latencyRatio: (action.latencyMs + overheads.actionExtraMs) / (loop.latencyMs + overheads.loopExtraMs),
    pollRatio: action.polls / loop.polls,
    requestRatio: (action.polls + overheads.actionRequests) / (loop.polls + overheads.loopRequests),
  };
}

/** How far inside both targets the worst band is: 0.1 means 10 % to spare; negative, a target missed. */
function margin(verdicts: readonly Verdict[]): number {
  return Math.min(
    ...verdicts.flatMap((v) => [
      1 - v.latencyRatio / LATENCY_TARGET,
      1 - v.pollRatio / REQUEST_TARGET,
      1 - v.requestRatio / REQUEST_TARGET,
    ]),
  );
}

export interface Candidate {
  schedule: Schedule;
  expected: Verdict[];
  sampled: Verdict[];
  /** The worse of the two margins. */
  margin: number;
}

export async function evaluate(
  schedule: Schedule,
  bands: readonly Band[],
  loopIntervalMs: number,
  overheads: Overheads,
): Promise<Candidate> {
  const horizon = Math.max(...bands.map((band) => band.hiMs)) + 1;
  const times = await pollTimes(schedule, horizon);
  const loop = loopTimes(loopIntervalMs, horizon);
  const both = (figures: (t: readonly number[], band: Band) => BandFigures) =>
    bands.map((band) => verdict(band.nominalMs, figures(times, band), figures(loop, band), overheads));
  const byExpectation = both((t, band) => expected(t, band.loMs, band.hiMs));
  const bySample = both((t, band) => sampled(t, band.sample));
  return {
    schedule,
    expected: byExpectation,
    sampled: bySample,
    margin: Math.min(margin(byExpectation), margin(bySample)),
  };
}

const range = (from: number, to: number, step: number) =>
  Array.from({ length: Math.round((to - from) / step) + 1 }, (_, i) => from + i * step);

/**
 * Every schedule of a grid of first pauses, factors and caps (the cap at most the loop's interval: it is the
 * same `poll-interval`), best margin first; schedules with the same poll times are kept once.
 */
export async function explore(
  bands: readonly Band[],
  loopIntervalMs: number,
  overheads: Overheads,
): Promise<Candidate[]> {
  const seen = new Set<string>();
  const candidates: Candidate[] = [];
  const horizon = Math.max(...bands.map((band) => band.hiMs)) + 1;
  for (const initialMs of range(500, 8000, 250))
    for (const backoff of range(1, 2, 0.05))
      for (const capMs of range(Math.max(initialMs, 2000), loopIntervalMs, 250)) {
        const schedule = { initialMs, backoff: Math.round(backoff * 100) / 100, capMs };
        const key = (await pollTimes(schedule, horizon)).map((t) => Math.round(t)).join(',');
        if (seen.has(key)) continue;
        seen.add(key);
        candidates.push(await evaluate(schedule, bands, loopIntervalMs, overheads));
      }
  return candidates.sort((a, b) => b.margin - a.margin);
}
