// get, definition, list, installations, replace and delete: one call each, reported plainly.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { hostOfEnvironment } from '../api/parse.js';
import type { Installation, PromotionPackage } from '../api/types.js';
import { plural } from '../report/format.js';
import type { DefinitionConfig, DeleteConfig, GetConfig, ListConfig, ReplaceConfig } from '../config.js';
import type { ChangeReport, Reports } from '../result.js';
import { phase, reporting, tempFile, type OperationContext, type OperationDescriptor } from './context.js';
import { checkExpectedStatus, describePackage, rememberPackage, settledPackage } from './package.js';

/** Writes a JSON file for later steps; says so when it replaces a file that was there. */
function writeJsonFile(ctx: OperationContext, path: string, value: unknown): string {
  if (existsSync(path)) ctx.log.info(`Replacing ${path}`);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
  return path;
}

async function get(ctx: OperationContext<GetConfig>): Promise<Reports['get']> {
  const id = ctx.config.packageId;
  // The client refuses an answer for another package: the outputs never describe it as this one.
  const pkg = await phase(ctx, 'Read package', async () =>
    rememberPackage(ctx, await ctx.api.getPackage(id)),
  );
  ctx.log.info(`${describePackage(pkg)}: ${pkg.status ?? 'status not given'}`);
  return {};
}

async function definition(ctx: OperationContext<DefinitionConfig>): Promise<Reports['definition']> {
  const id = ctx.config.packageId;
  const pkg = await phase(ctx, 'Read package', async () =>
    rememberPackage(ctx, await ctx.api.getPackage(id)),
  );
  return phase(ctx, 'Read definition', async (entry) => {
    const body = await ctx.api.getDefinition(id);
    const path = ctx.config.definitionFile ?? tempFile(ctx, `workfront-package-${id}-definition.json`);
    // With the package's editable fields beside the entities, the file is a body operation replace can PUT back.
    const { name, description, source, status, version } = pkg;
    const definitionFile = writeJsonFile(ctx, path, {
      name,
      description,
      source,
      status,
      version,
      ...body,
    });
    const records = Object.values(body.packageEntities ?? {}).reduce(
      (sum, list) => sum + (list?.length ?? 0),
      0,
    );
    entry.detail = `${plural(records, 'record')} written to ${path}`;
    ctx.log.info(`Wrote the definition of ${describePackage(pkg)} (${plural(records, 'record')}) to ${path}`);
    return { definitionFile };
  });
}

/** `*` matches any run of characters; everything else is literal. */
function nameMatcher(pattern: string): (name: string | undefined) => boolean {
  const regex = new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    // `*` matches any run of characters, line breaks included.
    's',
  );
  return (name) => name !== undefined && regex.test(name);
}

/** Sorts packages and installations newest first (by `createdAt`, or `registeredAt`). */
export const newestFirst = <T extends { createdAt?: string; registeredAt?: string }>(a: T, b: T) =>
  Date.parse(b.createdAt ?? b.registeredAt ?? '') - Date.parse(a.createdAt ?? a.registeredAt ?? '') || 0;

async function list(ctx: OperationContext<ListConfig>): Promise<Reports['list']> {
  const { name, status } = ctx.config;
  const { packages, newest, failed } = await phase(ctx, 'List packages', async (entry) => {
    const all = (await ctx.api.listPackages()).filter((p) => !p.deletedAt);
    const matches = name ? nameMatcher(name) : () => true;
    let found = all.filter((p) => matches(p.name));
    if (status) {
      // List items may lack the status: read those by id.
      const withStatus: PromotionPackage[] = [];
      for (const p of found) withStatus.push(p.status ? p : await ctx.api.getPackage(p.id));
      found = withStatus.filter((p) => p.status === status);
    }
    found.sort(newestFirst);
    const pick = await newestUsable(ctx, found, status);
    entry.detail = `${found.length} of ${plural(all.length, 'package')} match`;
    return { packages: found, ...pick };
  });
  if (newest) rememberPackage(ctx, newest);
  ctx.log.info(
    `${plural(packages.length, 'package')} ${packages.length === 1 ? 'matches' : 'match'}${name ? ` name ${name}` : ''}${status ? ` status ${status}` : ''}${newest ? `; newest: ${describePackage(newest)}` : ''}${failed ? ` (${failed} newer ASSEMBLING_FAILED skipped)` : ''}`,
  );
  return { packages };
}

/**
 * The newest match to hand on as `package-id`: a package whose assembly failed is skipped unless `status` asked
 * for it. List items lacking the status are read by id, newest first, until one is found.
 */
async function newestUsable(
  ctx: OperationContext,
  found: PromotionPackage[],
  status: string | undefined,
): Promise<{ newest?: PromotionPackage; failed: number }> {
  if (status) return { newest: found[0], failed: 0 };
  let failed = 0;
  for (const p of found) {
    const read = p.status ? p : await ctx.api.getPackage(p.id);
    if (read.status !== 'ASSEMBLING_FAILED') return { newest: read, failed };
    failed++;
  }
  return { failed };
}

async function installations(ctx: OperationContext<GetConfig>): Promise<Reports['installations']> {
  const id = ctx.config.packageId;
  const found: Installation[] = await phase(ctx, 'List installations', async (entry) => {
    const all = (await ctx.api.listInstallations(id)).sort(newestFirst);
    entry.detail = plural(all.length, 'installation');
    return all;
  });
  const here = inEnvironment(found, ctx.config.api.host);
  ctx.progress.package({ id });
  if (here[0]) ctx.progress.installation(here[0].id, here[0]);
  ctx.log.info(
    `${plural(found.length, 'installation')} of package ${id}, ${here.length} in ${ctx.config.api.host}`,
  );
  return { installations: found };
}

/** The installations whose `environment` (a host or a URL) names the target host, in their order. */
export function inEnvironment(installations: Installation[], host: string): Installation[] {
  const strip = (h: string | undefined) => h?.replace(/:(443|80)$/, '');
  const target = strip(host.toLowerCase());
  return installations.filter((i) => i.environment && strip(hostOfEnvironment(i.environment)) === target);
}

async function replace(ctx: OperationContext<ReplaceConfig>): Promise<ChangeReport> {
  const id = ctx.config.packageId;
  const report: ChangeReport = { changed: false };
  return reporting(report, async () => {
    const current = await phase(ctx, 'Read package', async () => settledPackage(ctx, id));
    checkExpectedStatus(ctx, current);
    report.previousStatus = current.status;
    await phase(ctx, 'Replace package', async (entry) => {
      const pkg = rememberPackage(ctx, await ctx.api.replacePackage(id, ctx.config.replaceBody));
      report.changed = true;
      entry.detail = `from ${ctx.config.definitionFile}`;
      ctx.log.info(`Replaced ${describePackage(pkg)} with ${ctx.config.definitionFile}`);
    });
  });
}

async function remove(ctx: OperationContext<DeleteConfig>): Promise<ChangeReport> {
  const id = ctx.config.packageId;
  const pkg = await phase(ctx, 'Read package', async () =>
    rememberPackage(ctx, await ctx.api.getPackage(id)),
  );
  checkExpectedStatus(ctx, pkg);
  ctx.log.warning(
    `Deleting ${describePackage(pkg)} cannot be undone; the vendor recommends status DISABLED instead, which keeps the package and its history`,
  );
  return phase(ctx, 'Delete package', async (entry) => {
    await ctx.api.deletePackage(id);
    entry.detail = 'deleted';
    ctx.log.info(`Deleted ${describePackage(pkg)}`);
    return { changed: true };
  });
}

export const getOperation: OperationDescriptor<'get'> = {
  name: 'get',
  needs: ['package-id'],
  uses: [],
  verb: 'Read package',
  run: get,
};

export const definitionOperation: OperationDescriptor<'definition'> = {
  name: 'definition',
  needs: ['package-id'],
  uses: ['definition-file'],
  verb: 'Read package definition',
  run: definition,
};

export const listOperation: OperationDescriptor<'list'> = {
  name: 'list',
  needs: [],
  uses: ['name', 'status'],
  verb: 'List packages',
  run: list,
};

export const installationsOperation: OperationDescriptor<'installations'> = {
  name: 'installations',
  needs: ['package-id'],
  uses: [],
  verb: 'List installations',
  run: installations,
};

export const replaceOperation: OperationDescriptor<'replace'> = {
  name: 'replace',
  needs: ['package-id', 'definition-file'],
  uses: ['expected-status'],
  verb: 'Replace package',
  run: replace,
};

export const deleteOperation: OperationDescriptor<'delete'> = {
  name: 'delete',
  needs: ['package-id'],
  uses: ['expected-status', 'confirm-delete'],
  verb: 'Delete package',
  check: (input) =>
    input('confirm-delete') === input('package-id')
      ? []
      : [
          'Input "confirm-delete" must equal "package-id" for operation delete (deleting is irreversible; consider status DISABLED)',
        ],
  run: remove,
};
