// Scale: big packages through the translation map, overrides from a map file, install, wait and report, with
// the action's own CPU time, peak RSS and summary size.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Simulator } from '../simulator/index.js';
import { expectOutcome, recordCount, requestsNaming, runMeasured } from './action.js';

export interface ScaleRun {
  records: number;
  cpuMs: number;
  maxRssBytes: number;
  summaryBytes: number;
  wallMs: number;
  requests: number;
}

const TASKS_PER_TEMPLATE = 99;

/**
 * A few overrides, as a map file would hold them: one template created under another name, one ignored (its
 * tasks then follow as dependants, which reads the package definition), one task ignored.
 */
function overridesFor(templateIds: string[], taskId: string): object {
  return {
    TMPL: { [templateIds[0]]: 'CREATEWITHALTNAME', [templateIds[1]]: { action: 'IGNORE' } },
    TTSK: { [taskId]: 'IGNORE' },
  };
}

export async function measureScale(sim: Simulator, size: number): Promise<ScaleRun> {
  const templates = Math.round(size / (TASKS_PER_TEMPLATE + 1));
  const generated = sim.control.generateTemplates('preview', templates, TASKS_PER_TEMPLATE, `Scale ${size}`);
  const pkg = sim.control.makePackage({
    name: `Scale ${size}`,
    objectCollections: generated.objectCollections,
    status: 'ACTIVE',
  });
  const lastTemplate = generated.templateIds[generated.templateIds.length - 1];
  const task = pkg.entities.TTSK.find((record) =>
    record.references.some((ref) => ref.relation === 'parent' && ref.id === lastTemplate),
  );
  if (!task) throw new Error('the generated package has no task');
  const scratch = mkdtempSync(join(tmpdir(), 'bench-map-'));
  const mapFile = join(scratch, 'overrides.json');
  writeFileSync(mapFile, JSON.stringify(overridesFor(generated.templateIds, task.id)));
  const run = await runMeasured(
    sim,
    'sandbox',
    { operation: 'install', 'package-id': pkg.id, 'map-file': mapFile },
    { pollInterval: '1s' },
  );
  rmSync(scratch, { recursive: true, force: true });
  expectOutcome(run, 'succeeded', `install of ${size} records`);
  return {
    records: recordCount(pkg.entities),
    cpuMs: run.cpuMs,
    maxRssBytes: run.maxRssBytes,
    summaryBytes: run.summaryBytes,
    wallMs: run.exitedAt - run.startedAt,
    requests: requestsNaming(sim.log, [pkg.id, run.outputs['installation-id']]).length,
  };
}
