// A whole release flow, step by step as a workflow runs it: create (to TESTING), install into a sandbox, move to
// ACTIVE, install into production. Requests and wall time beside the least the API allows.
import type { EnvKey, Simulator } from '../simulator/index.js';
import { expectOutcome, runMeasured } from './action.js';

export interface FlowStep {
  name: string;
  requests: string[];
  /** The fewest requests the API allows for this step: each wait needs at least one poll. */
  minimumRequests: number;
  wallMs: number;
  /** The wait the step cannot avoid: the assembly or the installation itself. */
  minimumWallMs: number;
}

export interface FlowOptions {
  assemblyMs: number;
  installMs: number;
  pollInterval: string;
}

export async function measureFlow(sim: Simulator, options: FlowOptions): Promise<FlowStep[]> {
  sim.control.setOption('assemblyMs', options.assemblyMs);
  sim.control.setOption('installMs', options.installMs);
  const generated = sim.control.generateTemplates('preview', 2, 20, 'Release flow');
  const steps: FlowStep[] = [];
  let packageId = '';
  const step = async (
    name: string,
    env: EnvKey,
    inputs: Record<string, string>,
    minimumRequests: number,
    minimumWallMs: number,
  ) => {
    const from = sim.log.length;
    const run = await runMeasured(
      sim,
      env,
      { ...inputs, ...(packageId ? { 'package-id': packageId } : {}) },
      { pollInterval: options.pollInterval },
    );
    expectOutcome(run, 'succeeded', name);
    packageId = run.outputs['package-id'];
    steps.push({
      name,
      // Ids shortened to `{id}`: the table shows which requests, not which records.
      requests: sim.log
        .slice(from)
        .map(
          (entry) =>
            `${entry.method} ${entry.path.replace(/^.*\/v1/, '').replace(/[0-9a-f-]{32,36}/g, '{id}')}`,
        ),
      minimumRequests,
      wallMs: run.exitedAt - run.startedAt,
      minimumWallMs,
    });
  };
  // POST, ≥ 1 GET until assembled, PATCH to TESTING.
  await step(
    'create → TESTING',
    'preview',
    {
      operation: 'create',
      name: `Release flow ${Date.now()}`,
      'object-collections': JSON.stringify(generated.objectCollections),
      status: 'TESTING',
    },
    3,
    options.assemblyMs,
  );
  // Pre-run, install, ≥ 1 GET until installed.
  await step('install into sandbox', 'sandbox', { operation: 'install' }, 3, options.installMs);
  // PATCH.
  await step('transition → ACTIVE', 'preview', { operation: 'transition', status: 'ACTIVE' }, 1, 0);
  await step('install into production', 'production', { operation: 'install' }, 3, options.installMs);
  return steps;
}
