// The steps that look names up before anything changes: object-collections names in the source environment
// (create, update), map-file targets in the target environment (prepare, install).
import { isWorkfrontError } from '../api/errors.js';
import type { ObjectCollection } from '../api/types.js';
import { StepError } from '../errors.js';
import { checkTargets, hasNamedEntries, resolveCollections, type TargetNames } from '../names.js';
import { plain } from '../text.js';
import type { CreateConfig, PlanConfig, UpdateConfig } from '../config.js';
import { phase, type OperationContext } from './context.js';

/** Cut like every list a person reads. */
const MAX_LISTED = 50;

function problemsError(heading: string, problems: string[]): StepError {
  const shown = problems.slice(0, MAX_LISTED).map((p) => `- ${p}`);
  if (problems.length > MAX_LISTED) shown.push(`- … and ${problems.length - MAX_LISTED} more`);
  return new StepError(`${heading}; nothing was changed:\n${shown.join('\n')}`, 'input');
}

/** The object collections with every named entry resolved in the source environment; no request when none is named. */
export async function resolvedCollections(
  ctx: OperationContext<CreateConfig | UpdateConfig>,
): Promise<ObjectCollection[] | undefined> {
  const { config } = ctx;
  const collections = config.objectCollections;
  if (!collections || !hasNamedEntries(collections)) return collections as ObjectCollection[] | undefined;
  const core = ctx.core(new URL(config.source).origin);
  const elsewhere = core.origin !== config.api.origin;
  return phase(ctx, `Names in ${core.host}`, async (entry) => {
    const out = await resolveCollections(core, collections, 'object-collections').catch((error: unknown) => {
      // The credential is the one for url: another source environment may not know it.
      if (elsewhere && isWorkfrontError(error) && (error.kind === 'auth' || error.kind === 'forbidden'))
        throw error.with({
          hint: `names in object-collections are looked up in the source environment ${core.host}, with the credential given for url; if it is not valid there, give those objects by ID`,
        });
      throw error;
    });
    for (const r of out.resolved)
      ctx.log.info(`${r.objCode} "${plain(r.name, 120)}" is ${r.ID} in ${core.host}`);
    ctx.progress.warning(...out.warnings);
    entry.detail = `${out.resolved.length} names resolved, ${out.problems.length} not`;
    if (!out.collections) {
      const count = out.problems.length === 1 ? '1 name' : `${out.problems.length} names`;
      throw problemsError(
        `${count} in object-collections could not be resolved in ${core.host}`,
        out.problems,
      );
    }
    return out.collections;
  });
}

/**
 * Resolves map-file targetNames and checks every targetId in the target; the resolved overrides replace the
 * configured ones, so everything after (skip rule, overrides, plan) sees ids. Answers the targets' names.
 */
export async function checkMapTargets(ctx: OperationContext<PlanConfig>): Promise<TargetNames | undefined> {
  const overrides = ctx.config.overrides;
  const targeted = Object.values(overrides ?? {}).some((byId) =>
    Object.values(byId).some((o) => o.targetId || o.targetName),
  );
  if (!overrides || !targeted) return undefined;
  const core = ctx.core();
  const checked = await phase(ctx, `Map-file targets in ${core.host}`, async (entry) => {
    const out = await checkTargets(core, overrides, 'map-file');
    for (const r of out.resolved) {
      const target =
        r.by === 'name' ? `"${plain(r.name, 120)}" is ${r.ID}` : `${r.ID} is "${plain(r.name, 120)}"`;
      ctx.log.info(`map-file ${r.objCode}.${plain(r.sourceId, 80)}: target ${target} in ${core.host}`);
    }
    const named = out.resolved.filter((r) => r.by === 'name').length;
    entry.detail = `${named} names resolved, ${out.checked} ids checked, ${out.problems.length} problems`;
    return out;
  });
  if (checked.problems.length) {
    const count = checked.problems.length === 1 ? '1 target' : `${checked.problems.length} targets`;
    throw problemsError(
      `map-file ${ctx.config.mapFile}: ${count} not found in ${core.host}`,
      checked.problems,
    );
  }
  ctx.progress.warning(...checked.warnings);
  ctx.config = { ...ctx.config, overrides: checked.overrides };
  return checked.names;
}
