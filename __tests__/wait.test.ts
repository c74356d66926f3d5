import { describe, expect, it } from '@jest/globals';
import type { Clock } from '../src/clock.js';
import { waitFor, type PollState } from '../src/wait.js';

/** A clock that only moves when the poller sleeps; records every pause. */
function fakeClock(start = 1_000_000) {
  let now = start;
  const sleeps: number[] = [];
  const clock: Clock = {
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
  return { clock, sleeps, advance: (ms: number) => (now += ms), elapsed: () => now - start };
}

const classify = (status: string): PollState =>
  status === 'DONE'
    ? 'succeeded'
    : status === 'BROKEN'
      ? 'failed'
      : status === 'RUNNING'
        ? 'pending'
        : 'unknown';

/** Answers `statuses` in order; the last one repeats. */
function script(statuses: string[]) {
  let index = 0;
  return async () => statuses[Math.min(index++, statuses.length - 1)];
}

describe('waitFor', () => {
  it('backs off from the first pause to the poll interval and stops at a terminal state', async () => {
    const { clock, sleeps } = fakeClock();
    const changes: string[] = [];
    const result = await waitFor({
      poll: script(['RUNNING', 'RUNNING', 'RUNNING', 'RUNNING', 'RUNNING', 'RUNNING', 'RUNNING', 'DONE']),
      statusOf: (s) => s,
      classify,
      deadline: clock.now() + 600_000,
      maxIntervalMs: 5000,
      clock,
      onChange: (status, previous) => changes.push(`${previous ?? '-'}→${status}`),
    });
    expect(result).toMatchObject({ outcome: 'succeeded', status: 'DONE', polls: 8 });
    expect(sleeps).toEqual([1000, 1500, 2250, 3375, 5000, 5000, 5000]);
    expect(changes).toEqual(['-→RUNNING', 'RUNNING→DONE']);
  });

  it('never sleeps after a terminal state', async () => {
    const { clock, sleeps } = fakeClock();
    const result = await waitFor({
      poll: script(['BROKEN']),
      statusOf: (s) => s,
      classify,
      deadline: clock.now() + 60_000,
      maxIntervalMs: 10_000,
      clock,
    });
    expect(result).toMatchObject({ outcome: 'failed', polls: 1 });
    expect(sleeps).toEqual([]);
  });

  it('sleeps first when asked, for a state the caller has just seen', async () => {
    const { clock, sleeps } = fakeClock();
    await waitFor({
      poll: script(['DONE']),
      statusOf: (s) => s,
      classify,
      deadline: clock.now() + 60_000,
      maxIntervalMs: 10_000,
      clock,
      pollFirst: false,
    });
    expect(sleeps).toEqual([1000]);
  });

  it('does not sleep past the deadline and reports timed-out', async () => {
    const { clock, sleeps, elapsed } = fakeClock();
    const result = await waitFor({
      poll: script(['RUNNING']),
      statusOf: (s) => s,
      classify,
      deadline: clock.now() + 7000,
      maxIntervalMs: 4000,
      clock,
    });
    expect(result.outcome).toBe('timed-out');
    expect(elapsed()).toBe(7000);
    expect(sleeps).toEqual([1000, 1500, 2250, 2250]);
    expect(result.polls).toBe(4);
  });

  it('reports an unknown status once and polls on', async () => {
    const { clock } = fakeClock();
    const changes: Array<[string, PollState]> = [];
    const result = await waitFor({
      poll: script(['RUNNING', 'QUEUED_SOMEWHERE', 'QUEUED_SOMEWHERE', 'QUEUED_SOMEWHERE', 'DONE']),
      statusOf: (s) => s,
      classify,
      deadline: clock.now() + 600_000,
      maxIntervalMs: 10_000,
      clock,
      onChange: (status, _previous, kind) => changes.push([status, kind]),
    });
    expect(result.outcome).toBe('succeeded');
    expect(changes).toEqual([
      ['RUNNING', 'pending'],
      ['QUEUED_SOMEWHERE', 'unknown'],
      ['DONE', 'succeeded'],
    ]);
  });

  it('stops at once when cancelled', async () => {
    const { clock } = fakeClock();
    const controller = new AbortController();
    let polls = 0;
    const result = await waitFor({
      poll: async () => {
        polls += 1;
        if (polls === 2) controller.abort();
        return 'RUNNING';
      },
      statusOf: (s) => s,
      classify,
      deadline: clock.now() + 600_000,
      maxIntervalMs: 10_000,
      clock,
      signal: controller.signal,
    });
    expect(result).toMatchObject({ outcome: 'cancelled', status: 'RUNNING', polls: 2 });
  });

  it('survives errors it is told to tolerate, and throws the others', async () => {
    const { clock } = fakeClock();
    let calls = 0;
    const result = await waitFor({
      poll: async () => {
        calls += 1;
        if (calls < 3) throw new Error('not visible yet');
        return 'DONE';
      },
      statusOf: (s) => s,
      classify,
      deadline: clock.now() + 600_000,
      maxIntervalMs: 10_000,
      clock,
      tolerate: (_error, elapsedMs) => elapsedMs < 10_000,
    });
    expect(result).toMatchObject({ outcome: 'succeeded', polls: 3 });
    await expect(
      waitFor({
        poll: async () => {
          throw new Error('gone');
        },
        statusOf: (s: string) => s,
        classify,
        deadline: clock.now() + 600_000,
        maxIntervalMs: 10_000,
        clock,
      }),
    ).rejects.toThrow('gone');
  });

  it('the real clock sleep ends early on abort', async () => {
    const { systemClock } = await import('../src/clock.js');
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 20);
    await systemClock.sleep(10_000, controller.signal);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('pollSchedule', () => {
  it('starts at a quarter of poll-interval and never pauses longer than half of it', async () => {
    const { pollSchedule } = await import('../src/wait.js');
    const { clock, sleeps } = fakeClock();
    await waitFor({
      poll: script(['RUNNING', 'RUNNING', 'RUNNING', 'RUNNING', 'RUNNING', 'DONE']),
      statusOf: (s) => s,
      classify,
      deadline: clock.now() + 600_000,
      clock,
      pollFirst: false,
      ...pollSchedule(10_000),
    });
    expect(sleeps).toEqual([2500, 4375, 5000, 5000, 5000, 5000]);
  });
});
