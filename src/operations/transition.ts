// transition: move a package to a status, exactly once, guarded by expected-status.
import type { PromotionPackage, UserStatus } from '../api/types.js';
import { phase, type OperationContext } from './context.js';
import { checkExpectedStatus, describePackage, rememberPackage, settledPackage } from './package.js';

/** PATCHes the status and records the move on the result. */
export async function moveToStatus(ctx: OperationContext, pkg: PromotionPackage, status: UserStatus) {
  return phase(ctx, `Move to ${status}`, async (entry) => {
    ctx.result.previousStatus = pkg.status;
    const moved = rememberPackage(ctx, await ctx.api.updatePackage(pkg.id, { status }));
    ctx.result.changed = true;
    entry.detail = `${pkg.status} → ${moved.status ?? status}`;
    ctx.log.info(`Moved ${describePackage(moved)} from ${pkg.status} to ${moved.status ?? status}`);
    if (status === 'ACTIVE' && moved.publishedAt) ctx.log.info(`Published at ${moved.publishedAt}`);
    return moved;
  });
}

export async function transition(ctx: OperationContext): Promise<void> {
  const status = ctx.config.status as UserStatus;
  const pkg = await phase(ctx, 'Read package', async () =>
    settledPackage(ctx, ctx.config.packageId as string),
  );
  checkExpectedStatus(ctx, pkg);
  ctx.result.previousStatus = pkg.status;
  if (pkg.status === status) {
    ctx.log.info(`${describePackage(pkg)} is already ${status}; nothing to change`);
    return;
  }
  await moveToStatus(ctx, pkg, status);
}
