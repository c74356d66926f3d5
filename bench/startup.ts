// Start-up: from spawning `node dist/index.js` to its first request, against the floor of the same Node binary
// doing nothing (`node -e 0`) and doing nothing but one fetch.
import { spawn } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { chunksLoadedBy, runAction } from '../__tests__/e2e/harness.js';
import type { Simulator } from '../simulator/index.js';

export interface StartupFigures {
  node: string;
  /** Per trial, ms. */
  floorExit: number[];
  fetchFirstRequest: number[];
  actionFirstRequest: number[];
  actionExit: number[];
  bundleBytes: number;
}

function spawnToExit(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`node ${args.join(' ')}: ${code}`)),
    );
  });
}

/** ms from `startedAt` to the first request the simulator logged after `from`. */
function firstRequestAfter(sim: Simulator, from: number, startedAt: number): number {
  const entry = sim.log[from];
  if (!entry) throw new Error('no request arrived');
  return Date.parse(entry.time) - startedAt;
}

export async function measureStartup(
  sim: Simulator,
  bundle: string,
  trials: number,
): Promise<StartupFigures> {
  const pkg = sim.control.makePackage({ name: 'Start-up', objectCollections: [], status: 'DRAFT' });
  const env = sim.environments.preview;
  const figures: StartupFigures = {
    node: process.version,
    floorExit: [],
    fetchFirstRequest: [],
    actionFirstRequest: [],
    actionExit: [],
    // What a run loads at start: the entry point and the chunks it loads (Octokit's, for pull requests only, not).
    bundleBytes: [bundle, ...chunksLoadedBy(bundle).map((name) => join(dirname(bundle), name))].reduce(
      (sum, file) => sum + statSync(file).size,
      0,
    ),
  };
  const fetchScript = `fetch(${JSON.stringify(`${env.apiBase}/packages/${pkg.id}`)}, {headers: {apikey: ${JSON.stringify(sim.credentials.apiKey)}}}).then((r) => r.text())`;
  // Interleaved, so a noisy moment of the machine falls on all three alike.
  for (let trial = 0; trial < trials; trial++) {
    let startedAt = Date.now();
    await spawnToExit(['-e', '0']);
    figures.floorExit.push(Date.now() - startedAt);

    let from = sim.log.length;
    startedAt = Date.now();
    await spawnToExit(['-e', fetchScript]);
    figures.fetchFirstRequest.push(firstRequestAfter(sim, from, startedAt));

    from = sim.log.length;
    startedAt = Date.now();
    const run = await runAction({
      operation: 'get',
      url: env.url,
      'api-key': sim.credentials.apiKey,
      'package-id': pkg.id,
    });
    rmSync(dirname(run.temp), { recursive: true, force: true });
    if (run.code !== 0) throw new Error(`get failed: ${run.stdout}\n${run.stderr}`);
    figures.actionFirstRequest.push(firstRequestAfter(sim, from, startedAt));
    figures.actionExit.push(run.elapsedMs);
  }
  return figures;
}
