// A POST that may have landed (create, pre-run, install) is looked up before it is sent again. What it made is
// found as what was not there before it was sent and fits it: no server time is compared with the runner's
// clock, so a server clock that is off by seconds (or minutes) cannot hide it. The lookup is repeated for as
// long as the API may take to show the effect.
import { isWorkfrontError } from '../api/errors.js';
import type { Installation, Lookup, PromotionPackage } from '../api/types.js';
import { StepError } from '../errors.js';
import type { OperationContext } from './context.js';
import { inEnvironment, newestFirst } from './read.js';

/** A new package can take up to 30 s to appear in the package list. */
const PACKAGE_VISIBLE_MS = 30_000;
/** The same bound for a new or started installation in the package's installations. */
const INSTALLATION_VISIBLE_MS = 30_000;
/** List items lacking the fields a lookup needs are read by id, at most this many. */
const MAX_READS = 25;

/** Packages named `name`, not deleted, with their description (list items lacking it are read by id). */
export async function packagesNamed(ctx: OperationContext, name: string): Promise<PromotionPackage[]> {
  const listed = (await ctx.api.listPackages()).filter((p) => !p.deletedAt);
  const candidates = listed.filter((p) => p.name === undefined || p.name === name);
  const partial = candidates.filter((p) => p.name === undefined || p.description === undefined);
  if (partial.length > MAX_READS) {
    throw new StepError(
      `the package list holds ${partial.length} packages without a name or description, too many to read one by one to find "${name}"`,
      'transient',
    );
  }
  const found: PromotionPackage[] = [];
  for (const p of candidates) found.push(partial.includes(p) ? await ctx.api.getPackage(p.id) : p);
  return found.filter((p) => p.name === name && !p.deletedAt);
}

/** Whether a description names the workflow run `runUrl` (as a whole word: run 4242 is not run 42420). */
export function holdsRunUrl(description: string | null | undefined, runUrl: string): boolean {
  return (description ?? '').split(/\s+/).includes(runUrl);
}

/**
 * The package an earlier attempt of this create made: of that name, not among `before`, and described as sent
 * (or, should the server have altered the description, naming this workflow run).
 */
export function createdPackage(
  ctx: OperationContext,
  body: { name: string; description?: string },
  before: PromotionPackage[],
  runUrl: string | undefined,
): Lookup<PromotionPackage> {
  const known = new Set(before.map((p) => p.id));
  const fits = (p: PromotionPackage) =>
    (p.description ?? undefined) === body.description ||
    (runUrl !== undefined && holdsRunUrl(p.description, runUrl));
  return {
    withinMs: PACKAGE_VISIBLE_MS,
    find: async () =>
      (await packagesNamed(ctx, body.name)).filter((p) => !known.has(p.id) && fits(p)).sort(newestFirst)[0],
  };
}

const seen = new WeakMap<OperationContext, Set<string>>();

/** Remembers the installations there before this step sends anything, for the lookups below. */
export function noteInstallations(ctx: OperationContext, installations: Installation[]): void {
  seen.set(ctx, new Set(installations.map((i) => i.id)));
}

async function known(ctx: OperationContext, packageId: string): Promise<Set<string>> {
  if (!seen.has(ctx)) noteInstallations(ctx, await ctx.api.listInstallations(packageId));
  return seen.get(ctx) as Set<string>;
}

/** This package's installations in the target that were not there before (`except`: ids to take as new). */
async function newInstallations(
  ctx: OperationContext,
  packageId: string,
  before: Set<string>,
  except?: string,
) {
  const here = inEnvironment(await ctx.api.listInstallations(packageId), ctx.config.api.host);
  return here.filter((i) => !before.has(i.id) || i.id === except).sort(newestFirst);
}

/** A pre-run an earlier attempt made: a new PREPARING installation of the package in the target. */
export async function preparedInstallation(
  ctx: OperationContext,
  packageId: string,
): Promise<Lookup<Installation>> {
  const before = await known(ctx, packageId);
  return {
    withinMs: INSTALLATION_VISIBLE_MS,
    find: async () => {
      const prerun = (await newInstallations(ctx, packageId, before)).find((i) => i.status === 'PREPARING');
      if (!prerun) return undefined;
      return prerun.translationMap ? prerun : ctx.api.getInstallation(prerun.id);
    },
  };
}

/**
 * Whether the pre-run `installationId` was started: it left PREPARING (read by id, or in the list), or an
 * installation of the package that was not there before runs or ran in the target.
 */
export async function startedPrerun(
  ctx: OperationContext,
  packageId: string,
  installationId: string,
): Promise<Lookup<true>> {
  const before = await known(ctx, packageId);
  const started = (i: Installation) => Boolean(i.status) && i.status !== 'PREPARING';
  return {
    withinMs: INSTALLATION_VISIBLE_MS,
    find: async () => {
      if (started(await ctx.api.getInstallation(installationId))) return true;
      const fresh = await newInstallations(ctx, packageId, before, installationId);
      return fresh.some(started) ? true : undefined;
    },
  };
}

/** An installation an earlier install with a map started: a new one in the target, past PREPARING. */
export async function startedInstallation(ctx: OperationContext, packageId: string): Promise<Lookup<string>> {
  const before = await known(ctx, packageId);
  return {
    withinMs: INSTALLATION_VISIBLE_MS,
    find: async () =>
      (await newInstallations(ctx, packageId, before)).find((i) => i.status !== 'PREPARING')?.id,
  };
}

/**
 * Sends a POST that must not land twice; cancelled while its answer was outstanding, the step says that it
 * may have landed and how to check (`check`), in the log, the summary and `result`.
 */
export async function sendOnce<T>(ctx: OperationContext, check: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    if (isWorkfrontError(error) && error.kind === 'cancelled' && error.mayHaveLanded) {
      const message = `Cancelled while ${error.method} ${error.path} was unanswered: it may have landed. Check before running again: ${check}`;
      ctx.progress.warning(message);
      throw new StepError(message, 'cancelled', 'cancelled');
    }
    throw error;
  }
}
