// create and update: a package is built (or re-extracted) from object collections and waited for.
import type { PatchPackageBody, PromotionPackage } from '../api/types.js';
import { StepError } from '../errors.js';
import type { CreateConfig, UpdateConfig } from '../config.js';
import type { ChangeReport } from '../result.js';
import {
  phase,
  reporting,
  type OperationContext,
  type OperationDescriptor,
  type Provenance,
} from './context.js';
import { createdPackage, holdsRunUrl, packagesNamed, sendOnce } from './landed.js';
import { checkExpectedStatus, describePackage, rememberPackage, settledPackage } from './package.js';
import { resolvedCollections } from './names.js';
import { moveToStatus } from './transition.js';

/** Where a package came from, for its description when none is given. */
function provenanceText(p: Provenance): string | undefined {
  if (!p.repository) return undefined;
  const parts = [`Built by workfront-promotion-action from ${p.repository}`];
  if (p.sha) parts.push(`commit ${p.sha.slice(0, 12)}${p.ref ? ` (${p.ref})` : ''}`);
  if (p.workflow) parts.push(`workflow "${p.workflow}"`);
  if (p.runUrl) parts.push(`run ${p.runUrl}`);
  return parts.join(', ');
}

/** The description, ending with the provenance line (on a line of its own after a given description). */
function describedWithProvenance(description: string | undefined, line: string | undefined) {
  if (!line) return description;
  return description ? `${description}\n${line}` : line;
}

/** A package of this name made by an earlier attempt of the same workflow run (its description holds the run URL). */
function madeByThisRun(packages: PromotionPackage[], runUrl: string | undefined) {
  if (!runUrl) return undefined;
  return packages.find((p) => holdsRunUrl(p.description, runUrl) && p.status !== 'ASSEMBLING_FAILED');
}

async function create(ctx: OperationContext<CreateConfig>): Promise<ChangeReport> {
  const report: ChangeReport = { changed: false };
  return reporting(report, () => createPackage(ctx, report));
}

async function createPackage(ctx: OperationContext<CreateConfig>, report: ChangeReport): Promise<void> {
  const { config } = ctx;
  const provenance = await ctx.provenance();
  const objectCollections = (await resolvedCollections(ctx)) ?? [];
  const body = {
    name: config.name,
    description: describedWithProvenance(config.description, provenanceText(provenance)),
    source: config.source,
    objectCollections,
  };
  const created = await phase(ctx, 'Create package', async (entry) => {
    const before = await packagesNamed(ctx, body.name);
    const earlier = madeByThisRun(before, provenance.runUrl);
    if (earlier) {
      // Read by id: a list item may lack fields (version), and its assembly may have ended since.
      const pkg = rememberPackage(ctx, await ctx.api.getPackage(earlier.id));
      entry.detail = `${pkg.id} reused`;
      ctx.progress.note(
        `Reused ${describePackage(pkg)}: an earlier attempt of this workflow run (${provenance.runUrl}) created it; nothing was created`,
      );
      return pkg;
    }
    const pkg = rememberPackage(
      ctx,
      await sendOnce(
        ctx,
        `operation: list, name: ${body.name} (a package whose description holds this run's URL is it; a re-run of this workflow run reuses it)`,
        () => ctx.api.createPackage(body, createdPackage(ctx, body, before, provenance.runUrl)),
      ),
    );
    report.changed = true;
    entry.detail = `${pkg.id}, ${pkg.status ?? 'status not given'}`;
    ctx.log.info(`Created ${describePackage(pkg)} from ${config.source}`);
    return pkg;
  });
  if (!config.wait) {
    if (config.status) {
      ctx.progress.warning(
        `status ${config.status} was not set: with wait false the package is still assembling`,
      );
    }
    return;
  }
  const pkg = await settledPackage(
    ctx,
    created.id,
    report.changed ? { justCreated: true, known: { ...created, status: 'ASSEMBLING' } } : { known: created },
  );
  ctx.log.info(`${report.changed ? 'Assembled' : 'Reused'} ${describePackage(pkg)}: ${pkg.status}`);
  if (config.status && config.status !== pkg.status) await moveToStatus(ctx, report, pkg, config.status);
}

async function update(ctx: OperationContext<UpdateConfig>): Promise<ChangeReport> {
  const report: ChangeReport = { changed: false };
  return reporting(report, () => updatePackage(ctx, report));
}

async function updatePackage(ctx: OperationContext<UpdateConfig>, report: ChangeReport): Promise<void> {
  const { config } = ctx;
  const { packageId } = config;
  const objectCollections = await resolvedCollections(ctx);
  const current = await phase(ctx, 'Read package', async () => settledPackage(ctx, packageId));
  checkExpectedStatus(ctx, current);
  report.previousStatus = current.status;
  if (config.objectCollections && current.status !== 'DRAFT') {
    throw new StepError(
      `${describePackage(current)} is ${current.status}: objects can be added or removed only in DRAFT; move it to DRAFT first (operation transition, status DRAFT); nothing was changed`,
      'guard',
    );
  }
  const body: PatchPackageBody = {};
  if (config.name !== undefined) body.name = config.name;
  if (config.description !== undefined) body.description = config.description;
  if (objectCollections) {
    body.objectCollections = objectCollections;
    body.source = config.source;
  }
  const updated: PromotionPackage = await phase(ctx, 'Update package', async (entry) => {
    const pkg = rememberPackage(ctx, await ctx.api.updatePackage(packageId, body));
    report.changed = true;
    entry.detail = Object.keys(body).join(', ');
    return pkg;
  });
  ctx.log.info(`Updated ${describePackage(updated)}: ${Object.keys(body).join(', ')}`);
  if (config.objectCollections && config.wait) {
    const pkg = await settledPackage(ctx, packageId, { known: { ...updated, status: 'ASSEMBLING' } });
    ctx.log.info(`Re-extracted ${describePackage(pkg)}: ${pkg.status}`);
  }
}

export const createOperation: OperationDescriptor<'create'> = {
  name: 'create',
  needs: ['name', ['object-collections', 'object-collections-file']],
  uses: ['status', 'description', 'source', 'core-api-version'],
  verb: 'Create package',
  run: create,
};

export const updateOperation: OperationDescriptor<'update'> = {
  name: 'update',
  needs: ['package-id'],
  uses: [
    'expected-status',
    'name',
    'description',
    'source',
    'object-collections',
    'object-collections-file',
    'core-api-version',
  ],
  verb: 'Update package',
  check: (input) => [
    ...(input('status')
      ? ['Input "status" is not changed by update; use operation transition, which guards the move']
      : []),
    ...((['name', 'description', 'object-collections', 'object-collections-file'] as const).some(input)
      ? []
      : ['Operation update needs something to change: name, description or object-collections']),
  ],
  run: update,
};
