// transition: move a package to a status, exactly once, guarded by expected-status.
import type { PromotionPackage, UserStatus } from '../api/types.js';
import type { TransitionConfig } from '../config.js';
import type { ChangeReport } from '../result.js';
import { phase, reporting, type OperationContext, type OperationDescriptor } from './context.js';
import { checkExpectedStatus, describePackage, rememberPackage, settledPackage } from './package.js';

/** PATCHes the status and records the move on the report. */
export async function moveToStatus(
  ctx: OperationContext,
  report: ChangeReport,
  pkg: PromotionPackage,
  status: UserStatus,
) {
  return phase(ctx, `Move to ${status}`, async (entry) => {
    report.previousStatus = pkg.status;
    const moved = rememberPackage(ctx, await ctx.api.updatePackage(pkg.id, { status }));
    report.changed = true;
    entry.detail = `${pkg.status} → ${moved.status ?? status}`;
    ctx.log.info(`Moved ${describePackage(moved)} from ${pkg.status} to ${moved.status ?? status}`);
    if (status === 'ACTIVE' && moved.publishedAt) ctx.log.info(`Published at ${moved.publishedAt}`);
    return moved;
  });
}

async function transition(ctx: OperationContext<TransitionConfig>): Promise<ChangeReport> {
  const { status, packageId } = ctx.config;
  const report: ChangeReport = { changed: false };
  return reporting(report, async () => {
    const pkg = await phase(ctx, 'Read package', async () => settledPackage(ctx, packageId));
    checkExpectedStatus(ctx, pkg);
    report.previousStatus = pkg.status;
    if (pkg.status === status) {
      ctx.log.info(`${describePackage(pkg)} is already ${status}; nothing to change`);
      return;
    }
    await moveToStatus(ctx, report, pkg, status);
  });
}

export const transitionOperation: OperationDescriptor<'transition'> = {
  name: 'transition',
  needs: ['package-id', 'status'],
  uses: ['expected-status'],
  verb: 'Transition package',
  run: transition,
};
