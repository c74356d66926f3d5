// The action's entry point: the young generation capped (heap.ts), then nothing but the run and the signal
// handlers. The run is loaded only after the cap: re-executed, node would otherwise load it twice.
import { capYoungGeneration } from './heap.js';

capYoungGeneration();
const { reportCrash, run } = await import('./main.js');

/** The runner waits a few seconds after SIGTERM; the step must have reported and exited well before. */
const EXIT_AFTER_SIGNAL_MS = 1800;

const controller = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    controller.abort(new Error(`received ${signal}`));
    setTimeout(() => process.exit(1), EXIT_AFTER_SIGNAL_MS).unref();
  });
}
// An error thrown outside the run's own promise (a stray callback) still ends in a report, not a stack trace.
for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.once(event, (error: unknown) => void reportCrash(error).finally(() => process.exit(1)));
}
await run({ signal: controller.signal });
// Open keep-alive sockets must not hold a cancelled step past its report.
if (controller.signal.aborted) process.exit(1);
