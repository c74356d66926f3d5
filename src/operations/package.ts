// Reading a package and waiting out its assembly: shared by every operation that needs a settled package.
import { isWorkfrontError } from '../api/errors.js';
import type { PromotionPackage } from '../api/types.js';
import { formatDuration } from '../duration.js';
import { plural } from '../report/format.js';
import { StepError } from '../errors.js';
import { plain } from '../text.js';
import { pollSchedule, waitFor, type PollState } from '../wait.js';
import type { Config, Guarded } from '../config.js';
import { phase, type OperationContext } from './context.js';

/** A package just created may not be visible for a few seconds: a 404 then means "not yet", not "gone". */
const NOT_YET_VISIBLE_MS = 30_000;

/** Polls are repeated anyway: this many unreadable answers (a cut body, a proxy's page) are polled past. */
const MAX_UNREADABLE_POLLS = 3;

/** A `tolerate` for waits: an unreadable poll answer is logged and polled again, a few times per wait. */
export function unreadablePolls(ctx: OperationContext): (error: unknown) => boolean {
  let seen = 0;
  return (error) => {
    if (!isWorkfrontError(error) || error.kind !== 'malformed' || ++seen > MAX_UNREADABLE_POLLS) return false;
    ctx.log.warning(`${plain(error.message, 300)} Polling again (${seen} of ${MAX_UNREADABLE_POLLS}).`);
    return true;
  };
}

function classifyPackageStatus(status: string): PollState {
  if (status === 'ASSEMBLING') return 'pending';
  if (status === 'ASSEMBLING_FAILED') return 'failed';
  if (['DRAFT', 'TESTING', 'ACTIVE', 'DISABLED', 'UNASSEMBLED'].includes(status)) return 'succeeded';
  return 'unknown';
}

export function describePackage(pkg: PromotionPackage): string {
  return `package "${plain(pkg.name ?? pkg.id, 120)}" (${pkg.id}${pkg.version !== undefined ? `, v${pkg.version}` : ''})`;
}

export function rememberPackage(ctx: OperationContext, pkg: PromotionPackage): PromotionPackage {
  ctx.progress.package(pkg);
  return pkg;
}

/** Reads the package; when it is ASSEMBLING (or `justCreated`), waits until assembly ends. */
export async function settledPackage(
  ctx: OperationContext,
  packageId: string,
  options: { justCreated?: boolean; known?: PromotionPackage } = {},
): Promise<PromotionPackage> {
  let pkg = options.known ?? rememberPackage(ctx, await ctx.api.getPackage(packageId));
  if (classifyPackageStatus(pkg.status ?? '') !== 'pending') return pkg;
  if (!ctx.config.wait) {
    throw new StepError(
      `${describePackage(pkg)} is still ASSEMBLING and wait is false; run again later or set wait: true`,
      'guard',
    );
  }
  const unreadable = unreadablePolls(ctx);
  pkg = await phase(ctx, 'Wait for assembly', async (entry) => {
    const waited = await waitFor({
      poll: () => ctx.api.getPackage(packageId),
      statusOf: (p) => p.status ?? 'UNKNOWN',
      classify: classifyPackageStatus,
      deadline: ctx.deadline,
      ...pollSchedule(ctx.config.pollIntervalMs),
      clock: ctx.clock,
      signal: ctx.signal,
      pollFirst: false,
      tolerate: (error, elapsed) =>
        unreadable(error) ||
        (Boolean(options.justCreated) &&
          isWorkfrontError(error) &&
          error.kind === 'not-found' &&
          elapsed < NOT_YET_VISIBLE_MS),
      onChange: (status, previous, kind) =>
        ctx.log.info(
          kind === 'unknown'
            ? `Package status ${plain(status)} is not one the action knows; polling on`
            : `Package status: ${previous ? `${previous} → ` : ''}${status}`,
        ),
    });
    if (waited.value) rememberPackage(ctx, waited.value);
    entry.detail = `${waited.status ?? '?'} after ${formatDuration(waited.elapsedMs)}, ${plural(waited.polls, 'poll')}`;
    if (waited.outcome === 'cancelled')
      throw new StepError('Cancelled while the package was assembling', 'cancelled', 'cancelled');
    if (waited.outcome === 'timed-out') {
      throw new StepError(
        `${describePackage(pkg)} was still ${waited.status ?? 'ASSEMBLING'} when timeout (${formatDuration(ctx.config.timeoutMs)}) ran out; assembly may take minutes for large packages: raise timeout, or read it later with operation get`,
        'timeout',
        'timed-out',
      );
    }
    if (waited.outcome === 'failed') {
      throw new StepError(
        `${describePackage(pkg)} ended ASSEMBLING_FAILED: a requested record could not be extracted from the source (check the IDs in object-collections and source). Re-extract with operation update and object-collections`,
        'failed',
      );
    }
    return waited.value as PromotionPackage;
  });
  return pkg;
}

/** Fails before any change when the package's status is not one of `expected-status`. */
export function checkExpectedStatus(ctx: OperationContext<Config & Guarded>, pkg: PromotionPackage): void {
  const expected = ctx.config.expectedStatus;
  if (!expected?.length) return;
  if (!expected.includes(pkg.status as never)) {
    throw new StepError(
      `${describePackage(pkg)} is ${pkg.status ?? 'of unknown status'}, not ${expected.join(' or ')} as expected-status requires; nothing was changed`,
      'guard',
    );
  }
}
