// prepare and install: pre-run or translation map, overrides, guards, install, poll, report every record.
import { HINTS, hintForRecordFailure, installationTimeoutHint } from '../api/hints.js';
import { isWorkfrontError } from '../api/errors.js';
import type { Installation, PackageDefinition, PromotionPackage, TranslationMap } from '../api/types.js';
import { formatDuration } from '../duration.js';
import { StepError } from '../errors.js';
import { andMore, cutList, plural } from '../report/format.js';
import { plain } from '../report/text.js';
import {
  applyOverrides,
  countRecords,
  deniedRecords,
  describeRecord,
  findDependents,
  ignoreRecords,
  planHash,
  recordsOf,
  type MapRecord,
} from '../translation-map.js';
import { pollSchedule, waitFor, type PollState } from '../wait.js';
import { phase, tempFile, type OperationContext } from './context.js';
import {
  noteInstallations,
  preparedInstallation,
  sendOnce,
  startedInstallation,
  startedPrerun,
} from './landed.js';
import { checkExpectedStatus, describePackage, settledPackage, unreadablePolls } from './package.js';
import { inEnvironment, newestFirst, writeJsonFile } from './read.js';

const DONE = new Set(['COMPLETED', 'INSTALLED']);
const FAILED = new Set([
  'FAILED',
  'ERROR',
  'CANCELLED',
  'CANCELED',
  'ABORTED',
  'REJECTED',
  'ROLLED_BACK',
  'ROLLEDBACK',
]);
const RUNNING = new Set([
  'PREPARING',
  'INSTALLING',
  'IN_PROGRESS',
  'RUNNING',
  'PENDING',
  'QUEUED',
  'STARTED',
  'PROCESSING',
]);
/** The vendor calls an installation still running after 10–15 minutes stalled. */
const STALLED_MS = 15 * 60_000;
const ROLLBACK_WINDOW_MS = 24 * 60 * 60_000;
const MAX_RECORD_ANNOTATIONS = 50;
/** Lists in an error stay within what the step's error message keeps (4,000 characters). */
const ERROR_LIST = { max: 50, chars: 3000 };

export function classifyInstallationStatus(status: string): PollState {
  const upper = status.toUpperCase();
  if (DONE.has(upper)) return 'succeeded';
  if (FAILED.has(upper) || upper.includes('FAIL')) return 'failed';
  if (RUNNING.has(upper)) return 'pending';
  return 'unknown';
}

const isRunning = (i: Installation) => {
  const kind = classifyInstallationStatus(i.status ?? '');
  return i.status !== 'PREPARING' && kind !== 'succeeded' && kind !== 'failed';
};

function checkInstallable(ctx: OperationContext, pkg: PromotionPackage): void {
  const status = pkg.status ?? '';
  const refuse = (why: string) => {
    throw new StepError(`${describePackage(pkg)} cannot be installed: ${why}; nothing was changed`, 'guard');
  };
  if (status === 'DRAFT') refuse('it is DRAFT; move it to TESTING (sandboxes) or ACTIVE first');
  if (status === 'DISABLED') refuse('it is DISABLED (retired); move it back to ACTIVE to install it again');
  if (status === 'ASSEMBLING_FAILED')
    refuse('its assembly failed; re-extract it with operation update and object-collections');
  if (status === 'UNASSEMBLED') refuse(HINTS.unassembled);
  if (status === 'TESTING' && ctx.config.environmentKind === 'production') {
    refuse(
      `it is TESTING and ${ctx.config.api.host} is production: a package must be ACTIVE before it is installed into production`,
    );
  }
  if (status === 'TESTING' && ctx.config.environmentKind === 'unknown') {
    ctx.result.warnings.push(
      `The kind of ${ctx.config.api.host} is unknown; a TESTING package installs only into sandboxes. Set environment-kind to make the action check this itself`,
    );
  }
}

interface Plan {
  map: TranslationMap;
  /** The pre-run to install (the pre-run flow), absent in the translation-map flow. */
  prerun?: Installation;
}

async function readDefinition(
  ctx: OperationContext,
  packageId: string,
): Promise<PackageDefinition | undefined> {
  try {
    return await ctx.api.getDefinition(packageId);
  } catch (error) {
    if (
      isWorkfrontError(error) &&
      (error.kind === 'not-found' || error.kind === 'input' || error.kind === 'forbidden')
    ) {
      ctx.result.warnings.push(
        `ignore-dependents: the package definition could not be read (${plain(error.message, 300)}); dependants of ignored records were not looked for`,
      );
      return undefined;
    }
    throw error;
  }
}

async function makePlan(ctx: OperationContext, pkg: PromotionPackage): Promise<Plan> {
  const { config } = ctx;
  if (config.installationId) {
    return phase(ctx, 'Read pre-run', async (entry) => {
      const prerun = await ctx.api.getInstallation(config.installationId as string);
      ctx.result.installationId = prerun.id;
      ctx.result.installation = prerun;
      ctx.publish();
      if (prerun.environmentPromotionPackageId && prerun.environmentPromotionPackageId !== pkg.id) {
        throw new StepError(
          `installation ${prerun.id} belongs to package ${prerun.environmentPromotionPackageId}, not ${pkg.id}`,
          'guard',
        );
      }
      if (prerun.status !== 'PREPARING') {
        throw new StepError(
          `installation ${prerun.id} is ${prerun.status}, not a PREPARING pre-run; to follow it use operation installation, to install again leave installation-id empty`,
          'guard',
        );
      }
      entry.detail = `pre-run ${prerun.id}`;
      return { map: prerun.translationMap ?? {}, prerun };
    });
  }
  if (!config.overrides) {
    return phase(ctx, 'Pre-run', async (entry) => {
      const prerun = await sendOnce(ctx, checkInstallations(ctx, pkg.id), async () =>
        ctx.api.prepareInstallation(pkg.id, await preparedInstallation(ctx, pkg.id)),
      );
      ctx.result.installationId = prerun.id;
      ctx.result.installation = prerun;
      ctx.publish();
      entry.detail = `pre-run ${prerun.id}, ${recordsOf(prerun.translationMap ?? {}).length} records`;
      ctx.log.info(`Pre-run ${prerun.id} compared the package with ${config.api.host}`);
      return { map: prerun.translationMap ?? {}, prerun };
    });
  }
  const overrides = config.overrides;
  return phase(ctx, 'Translation map and overrides', async (entry) => {
    const original = await ctx.api.createTranslationMap(pkg.id);
    const applied = applyOverrides(original, overrides);
    if ('errors' in applied) {
      throw new StepError(
        `map-file ${config.mapFile} does not fit the package's translation map; nothing was installed:\n${cutList(
          applied.errors,
          ERROR_LIST,
        )
          .map((e) => `- ${e}`)
          .join('\n')}`,
        'input',
      );
    }
    let map = applied.map;
    ctx.result.overrideChanges = applied.changes;
    ctx.result.warnings.push(...applied.warnings);
    const ignoredCreates = applied.changes.filter((c) => c.to === 'IGNORE' && c.from === 'CREATE');
    if (ignoredCreates.length) {
      if (config.ignoreDependents) {
        const definition = await readDefinition(ctx, pkg.id);
        if (definition) {
          const dependents = findDependents(original, map, definition);
          map = ignoreRecords(
            map,
            dependents.map((d) => d.record),
          );
          ctx.result.dependents = dependents;
          for (const d of dependents)
            ctx.log.info(`IGNORE ${describeRecord(d.record)}: it depends on ${describeRecord(d.because)}`);
        }
      } else {
        ctx.result.warnings.push(
          `map-file ignores ${plural(ignoredCreates.length, 'record')} the pre-run would CREATE and ignore-dependents is false: their sub-objects must be ignored too, or the installation fails`,
        );
      }
    }
    entry.detail = `${plural(recordsOf(map).length, 'record')}, ${applied.changes.length} overridden, ${plural(ctx.result.dependents?.length ?? 0, 'dependant')} ignored`;
    return { map };
  });
}

function checkGuards(ctx: OperationContext, records: MapRecord[]): void {
  const denied = deniedRecords(records, ctx.config.denyActions);
  if (denied.length) {
    throw new StepError(
      `deny-actions refuses ${plural(denied.length, 'record')} of the plan; nothing was installed:\n${cutList(
        denied.map((r) => `${r.action} ${describeRecord({ ...r, name: r.name && plain(r.name, 120) })}`),
        ERROR_LIST,
      )
        .map((line) => `- ${line}`)
        .join('\n')}`,
      'guard',
    );
  }
  const expected = ctx.config.expectedPlan;
  if (expected && expected !== ctx.result.planHash) {
    throw new StepError(
      `expected-plan ${expected} does not match this plan ${ctx.result.planHash}: the package or the target changed since the plan was approved; nothing was installed. Run prepare again and have the new plan approved`,
      'guard',
    );
  }
}

/** Writes the translation map for later steps. */
function writeMap(ctx: OperationContext, pkg: PromotionPackage, map: TranslationMap, label: string): void {
  const path = tempFile(ctx, `workfront-${pkg.id}-${label}-translation-map.json`);
  ctx.result.translationMapFile = writeJsonFile(ctx, path, map);
}

function setRecords(ctx: OperationContext, map: TranslationMap): MapRecord[] {
  ctx.result.records = undefined; // the records it replaces may be collected meanwhile
  const records = recordsOf(map);
  ctx.result.records = records;
  ctx.result.counts = countRecords(records);
  return records;
}

export async function prepare(ctx: OperationContext): Promise<void> {
  await planInstallation(ctx, 'prepare');
}

export async function install(ctx: OperationContext): Promise<void> {
  // The plan is out of scope once the installation has started: a 50,000-record map is not held during the wait.
  const installationId = await planInstallation(ctx, 'install');
  if (!installationId) return;
  if (!ctx.config.wait) {
    ctx.log.info('wait is false: not waiting for the installation to end');
    return;
  }
  await followInstallation(ctx, installationId);
}

/** Plans, checks the guards, and (for install) starts the installation; answers its id when one started. */
async function planInstallation(
  ctx: OperationContext,
  mode: 'prepare' | 'install',
): Promise<string | undefined> {
  const { config } = ctx;
  const pkg = await phase(ctx, 'Read package', async () => settledPackage(ctx, config.packageId as string));
  checkExpectedStatus(ctx, pkg);
  checkInstallable(ctx, pkg);

  const history = await phase(ctx, 'Installation history', async (entry) => {
    const all = await ctx.api.listInstallations(pkg.id);
    noteInstallations(ctx, all);
    const here = inEnvironment(all, config.api.host).sort(newestFirst);
    entry.detail = `${plural(all.length, 'installation')}, ${here.length} in ${config.api.host}`;
    return here;
  });
  if (mode === 'install' && config.skipIfInstalled) {
    const done = history.find(
      (i) =>
        i.environmentPromotionPackageVersion === pkg.version &&
        classifyInstallationStatus(i.status ?? '') === 'succeeded',
    );
    if (done && pkg.version !== undefined) {
      ctx.result.skipped = true;
      ctx.result.outcome = 'skipped';
      ctx.result.installationId = done.id;
      ctx.result.installation = done;
      setRecords(ctx, done.translationMap ?? {});
      ctx.log.info(
        `${describePackage(pkg)} is already installed in ${config.api.host} (installation ${done.id}, ${done.status}); skipping`,
      );
      ctx.result.notes.push(
        `Skipped: installation ${done.id} of ${done.registeredAt ?? 'an earlier run'} installed version ${pkg.version} here (skip-if-installed)`,
      );
      if (config.environmentKind !== 'production') {
        ctx.result.warnings.push(
          'Installation history survives a sandbox refresh, the installed objects may not: if this sandbox was refreshed since, install with skip-if-installed: false',
        );
      }
      return;
    }
  }
  const running = history.find(isRunning);
  if (mode === 'install' && running) {
    ctx.result.installationId = running.id;
    ctx.result.installation = running;
    ctx.publish();
    throw new StepError(
      `installation ${running.id} of this package is still ${running.status} in ${config.api.host}; nothing was started. Re-attach to it with operation: installation, installation-id: ${running.id}, wait: true`,
      'conflict',
    );
  }

  const plan = await makePlan(ctx, pkg);
  const records = setRecords(ctx, plan.map);
  ctx.result.planHash = planHash(pkg.id, pkg.version, config.api.host, records);
  ctx.log.info(
    `Plan ${ctx.result.planHash}: ${
      Object.entries(ctx.result.counts?.byAction ?? {})
        .map(([a, n]) => `${n} ${a}`)
        .join(', ') || 'no records'
    }`,
  );
  checkGuards(ctx, records);

  const now = ctx.clock.now();
  const previous = history.find(
    (i) =>
      i.status !== 'PREPARING' &&
      !isRunning(i) &&
      now - Date.parse(i.registeredAt ?? '') < ROLLBACK_WINDOW_MS,
  );
  if (previous) {
    ctx.result.warnings.push(
      `${mode === 'install' ? 'This install ends' : 'Installing this plan would end'} the rollback window of installation ${previous.id} (${previous.registeredAt}) in ${config.api.host}: the UI rolls back only the latest deployment`,
    );
  }

  if (mode === 'prepare') {
    writeMap(ctx, pkg, plan.map, plan.prerun ? plan.prerun.id : 'plan');
    ctx.log.info(`Nothing was installed; the plan is in ${ctx.result.translationMapFile}`);
    return;
  }

  return phase(ctx, 'Install', async (entry) => {
    let id: string;
    const check = checkInstallations(ctx, pkg.id);
    if (plan.prerun) {
      const prerunId = plan.prerun.id;
      await sendOnce(ctx, check, () =>
        ctx.api.installInstallation(prerunId, startedPrerun(ctx, pkg.id, prerunId)),
      );
      id = prerunId;
    } else {
      const map = plan.map;
      id = await sendOnce(ctx, check, async () =>
        ctx.api.installPackage(pkg.id, map, await startedInstallation(ctx, pkg.id)),
      );
    }
    ctx.result.installationId = id;
    ctx.result.changed = true;
    ctx.publish();
    entry.detail = `installation ${id}`;
    ctx.log.info(`Installation ${id} of ${describePackage(pkg)} into ${config.api.host} started`);
    return id;
  });
}

/** How to see whether an install request whose answer never came started an installation. */
function checkInstallations(ctx: OperationContext, packageId: string): string {
  return `operation: installations, package-id: ${packageId} (an installation in ${ctx.config.api.host} newer than this run is it; re-attach with operation: installation, installation-id: <its id>, wait: true)`;
}

/** Polls an installation to its end and reports every record; also the `installation` operation's wait. */
export async function followInstallation(ctx: OperationContext, installationId: string): Promise<void> {
  const { config } = ctx;
  let warnedStalled = false;
  const waited = await phase(ctx, 'Wait for installation', async (entry) => {
    const result = await waitFor({
      poll: async () => {
        const current = await ctx.api.getInstallation(installationId);
        if (!warnedStalled && ctx.clock.now() - entry.startedAt > STALLED_MS) {
          warnedStalled = true;
          ctx.log.warning(
            `Installation ${installationId} has run for over 15 minutes: ${HINTS.stalledInstallation}`,
          );
        }
        return current;
      },
      statusOf: (i) => i.status ?? 'UNKNOWN',
      classify: classifyInstallationStatus,
      deadline: ctx.deadline,
      ...pollSchedule(config.pollIntervalMs),
      clock: ctx.clock,
      signal: ctx.signal,
      pollFirst: false,
      tolerate: unreadablePolls(ctx),
      onChange: (status, previous, kind) => {
        ctx.log.info(
          kind === 'unknown'
            ? `Installation status ${plain(status)} is not one the action knows; polling on`
            : `Installation ${installationId}: ${previous ? `${previous} → ` : ''}${status}`,
        );
      },
    });
    entry.detail = `${result.status ?? '?'} after ${formatDuration(result.elapsedMs)}, ${plural(result.polls, 'poll')}`;
    return result;
  });
  if (waited.value) {
    ctx.result.installation = waited.value;
    // Without a final map the plan's records stay the report.
    if (waited.value.translationMap) reportRecords(ctx, waited.value.translationMap);
  }
  if (waited.outcome === 'cancelled') {
    throw new StepError(
      `Cancelled while installation ${installationId} was ${waited.status ?? 'running'}; it goes on in Workfront. Re-attach with operation: installation, installation-id: ${installationId}`,
      'cancelled',
      'cancelled',
    );
  }
  if (waited.outcome === 'timed-out') {
    throw new StepError(
      `installation ${installationId} was still ${waited.status ?? 'running'} when timeout (${formatDuration(config.timeoutMs)}) ran out; it goes on in Workfront. Re-attach with operation: installation, installation-id: ${installationId}, wait: true. ${installationTimeoutHint(config.timeoutMs)}`,
      'timeout',
      'timed-out',
    );
  }
  const registered = waited.value?.registeredAt ?? waited.value?.updatedAt;
  const until = registered ? new Date(Date.parse(registered) + ROLLBACK_WINDOW_MS) : undefined;
  if (until && !Number.isNaN(until.getTime())) {
    ctx.result.rollbackUntil = until.toISOString();
    ctx.result.notes.push(
      `The Workfront UI can roll this deployment back until ${until.toISOString()} (24 h after the installation, latest deployment only; there is no rollback API)`,
    );
  }
  const failed = ctx.result.counts?.byStatus.FAILED ?? 0;
  if (waited.outcome === 'failed') {
    throw new StepError(
      `installation ${installationId} ended ${waited.status}${failed ? ` with ${plural(failed, 'failed record')}` : ''}`,
      'failed',
    );
  }
  if (failed && config.failOnRecordFailure) {
    throw new StepError(
      `installation ${installationId} ended ${waited.status} but ${plural(failed, 'record')} FAILED (set fail-on-record-failure: false to accept that)`,
      'failed',
    );
  }
  if (failed) ctx.result.warnings.push(`${plural(failed, 'record')} FAILED; fail-on-record-failure is false`);
}

function reportRecords(ctx: OperationContext, map: TranslationMap): void {
  const pkg = ctx.result.package;
  const records = setRecords(ctx, map);
  if (pkg) writeMap(ctx, pkg, map, ctx.result.installationId ?? 'installation');
  const failed = records.filter((r) => r.installationStatus === 'FAILED');
  for (const record of failed.slice(0, MAX_RECORD_ANNOTATIONS)) {
    const hint = hintForRecordFailure(record.reason ?? '');
    ctx.log.error(
      `${describeRecord({ ...record, name: record.name && plain(record.name, 120) })}: ${plain(record.reason ?? 'no reason given', 500)}${hint ? ` Hint: ${hint}` : ''}`,
      `${record.objCode} record failed`,
    );
  }
  if (failed.length > MAX_RECORD_ANNOTATIONS)
    ctx.log.info(
      `${andMore(failed.length - MAX_RECORD_ANNOTATIONS)} failed records in ${ctx.result.translationMapFile}`,
    );
}

export async function installation(ctx: OperationContext): Promise<void> {
  const id = ctx.config.installationId as string;
  const current = await phase(ctx, 'Read installation', async () => ctx.api.getInstallation(id));
  ctx.result.installationId = current.id;
  ctx.result.installation = current;
  if (current.environmentPromotionPackageId)
    ctx.result.package = { id: current.environmentPromotionPackageId };
  ctx.publish();
  const kind = classifyInstallationStatus(current.status ?? '');
  ctx.log.info(
    `Installation ${current.id}: ${current.status}${current.environment ? ` in ${plain(current.environment)}` : ''}`,
  );
  if (ctx.config.wait && current.status !== 'PREPARING' && (kind === 'pending' || kind === 'unknown')) {
    await followInstallation(ctx, id);
    return;
  }
  reportRecords(ctx, current.translationMap ?? {});
  if (kind === 'failed') throw new StepError(`installation ${id} ended ${current.status}`, 'failed');
}
