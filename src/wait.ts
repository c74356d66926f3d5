// The one poller for assembly and installation: fast at first, backing off to the poll interval.
import type { Clock } from './clock.js';

export type PollState = 'pending' | 'succeeded' | 'failed' | 'unknown';
export type WaitOutcome = 'succeeded' | 'failed' | 'timed-out' | 'cancelled';

export interface WaitOptions<T> {
  /** One request for the current state. */
  poll(): Promise<T>;
  /** The status word a state change is logged by. */
  statusOf(value: T): string;
  classify(status: string): PollState;
  /** Epoch ms after which the wait gives up. */
  deadline: number;
  /** The longest pause between polls. */
  maxIntervalMs: number;
  /** The first pause; later pauses grow by `backoff` up to `maxIntervalMs`. */
  initialIntervalMs?: number;
  backoff?: number;
  clock: Clock;
  signal?: AbortSignal;
  /** Polls before the first sleep when true (default); false when the caller has just seen the state. */
  pollFirst?: boolean;
  /** A failed poll the wait may survive (e.g. a 404 just after creation): return true to poll on. */
  tolerate?(error: unknown, elapsedMs: number): boolean;
  /** Called once per status change, and once per status that `classify` does not know. */
  onChange?(status: string, previous: string | undefined, kind: PollState): void;
}

export interface WaitResult<T> {
  outcome: WaitOutcome;
  /** The last state seen, when any poll answered. */
  value?: T;
  status?: string;
  polls: number;
  elapsedMs: number;
}

const DEFAULT_INITIAL_INTERVAL_MS = 1000;
const DEFAULT_BACKOFF = 1.5;

/**
 * How a wait polls for a `poll-interval`: a quarter of it first, then ×1.75, never more than half of it. A
 * fixed loop at the interval notices an end half an interval late on average; this notices it in a quarter,
 * for about twice that loop's polls (bench/, docs/BENCHMARKS.md: no schedule does better on both at once).
 */
export function pollSchedule(
  pollIntervalMs: number,
): Pick<WaitOptions<unknown>, 'initialIntervalMs' | 'backoff' | 'maxIntervalMs'> {
  return { initialIntervalMs: pollIntervalMs / 4, backoff: 1.75, maxIntervalMs: pollIntervalMs / 2 };
}

export async function waitFor<T>(options: WaitOptions<T>): Promise<WaitResult<T>> {
  const { clock, signal, deadline } = options;
  const started = clock.now();
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  let interval = Math.min(options.initialIntervalMs ?? DEFAULT_INITIAL_INTERVAL_MS, options.maxIntervalMs);
  let polls = 0;
  let value: T | undefined;
  let status: string | undefined;
  const result = (outcome: WaitOutcome): WaitResult<T> => ({
    outcome,
    value,
    status,
    polls,
    elapsedMs: clock.now() - started,
  });

  let sleepFirst = options.pollFirst === false;
  for (;;) {
    if (sleepFirst) {
      const left = deadline - clock.now();
      if (left <= 0) return result('timed-out');
      await clock.sleep(Math.min(interval, left), signal);
      interval = Math.min(interval * backoff, options.maxIntervalMs);
      // A poll at the deadline would be refused by the client: the wait has run out.
      if (clock.now() >= deadline && !signal?.aborted) return result('timed-out');
    }
    sleepFirst = true;
    if (signal?.aborted) return result('cancelled');
    polls += 1;
    try {
      value = await options.poll();
    } catch (error) {
      if (signal?.aborted) return result('cancelled');
      if (options.tolerate?.(error, clock.now() - started)) continue;
      throw error;
    }
    const next = options.statusOf(value);
    const kind = options.classify(next);
    if (next !== status) options.onChange?.(next, status, kind);
    status = next;
    if (kind === 'succeeded' || kind === 'failed') return result(kind);
    if (clock.now() >= deadline) return result('timed-out');
  }
}
