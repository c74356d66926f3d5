// A simulator and the bundled action, wired the way every end-to-end test needs them.
import {
  startSimulator,
  SEED,
  type EnvKey,
  type Simulator,
  type SimulatorOptions,
} from '../../simulator/index.js';
import { runAction, type ActionRun, type RunOptions } from './harness.js';

export { SEED };

export interface Fixture {
  sim: Simulator;
  /** Runs the action against `env` with the simulator's API key and a 1 s poll interval. */
  run(env: EnvKey, inputs: Record<string, string>, options?: RunOptions): Promise<ActionRun>;
  /** Requests that change something (POST, PUT, PATCH, DELETE) logged since `from`. */
  changes(from?: number): string[];
}

export async function startFixture(options: SimulatorOptions = {}): Promise<Fixture> {
  const sim = await startSimulator({ assemblyMs: 200, installMs: 300, ...options });
  return {
    sim,
    run: (env, inputs, runOptions) =>
      runAction(
        {
          url: sim.environments[env].url,
          'api-key': sim.credentials.apiKey,
          'poll-interval': '1s',
          'environment-kind': sim.environments[env].kind,
          ...inputs,
        },
        runOptions,
      ),
    changes: (from = 0) =>
      sim.log
        .slice(from)
        .filter((entry) => entry.method !== 'GET')
        .map((entry) => `${entry.method} ${entry.path}`),
  };
}

/** The API's array of object collections for the demo's package: a template and a dashboard from Preview. */
/** Runs `test` on a simulator of its own, stopped after it: an installation changes the target's records for
 * every later pre-run, so no test sees another's. */
export async function withSim(
  test: (f: Fixture) => Promise<void>,
  options: SimulatorOptions = {},
): Promise<void> {
  const f = await startFixture(options);
  try {
    await test(f);
  } finally {
    await f.sim.stop();
  }
}

export const COLLECTIONS = JSON.stringify({
  TMPL: [SEED.preview.newAgencyOnboardingTemplate],
  PTLTAB: [SEED.preview.agencyPerformanceDashboard],
});

/** The lines of the log the runner would show (masks and debug lines left out). */
export function visibleLog(run: ActionRun): string {
  return run.stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::') && !line.startsWith('::debug::'))
    .join('\n');
}
