// The action's entry point: nothing but the run and the signal handlers.
import { run } from './main.js';

const controller = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => controller.abort(new Error(`received ${signal}`)));
}
await run({ signal: controller.signal });
