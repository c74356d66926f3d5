// prepare and install: pre-run or translation map, overrides, guards, install, poll, report every record.
import { closeSync, existsSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { HINTS, hintForRecordFailure, installationTimeoutHint } from '../api/hints.js';
import { isWorkfrontError } from '../api/errors.js';
import { withoutMap } from '../api/history.js';
import type { DefinitionIndex, Installation, PromotionPackage, TranslationMap } from '../api/types.js';
import { formatDuration } from '../duration.js';
import { StepError } from '../errors.js';
import { andMore, cutList, plural } from '../report/format.js';
import { plain } from '../text.js';
import {
  applyOverrides,
  countRecords,
  deniedRecords,
  describeRecord,
  failedRecordCount,
  findDependents,
  ignoreRecords,
  installedDifferently,
  planHash,
  recordsOf,
  recordsSetByMapFile,
  translationMapJson,
  type AppliedOverrides,
  type MapOverrides,
  type MapRecord,
  type RecordDifference,
} from '../translation-map.js';
import { pollSchedule, waitFor, type PollState } from '../wait.js';
import type { InstallationConfig, PlanConfig } from '../config.js';
import type { PlanReport } from '../result.js';
import { phase, reporting, tempFile, type OperationContext, type OperationDescriptor } from './context.js';
import {
  noteInstallations,
  preparedInstallation,
  sendOnce,
  startedInstallation,
  startedPrerun,
} from './landed.js';
import { checkExpectedStatus, describePackage, settledPackage, unreadablePolls } from './package.js';
import { nameTargets, withTargetNames } from '../names.js';
import { checkMapTargets } from './names.js';
import { inEnvironment, newestFirst } from './read.js';

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

type PlanContext = OperationContext<PlanConfig>;

function classifyInstallationStatus(status: string): PollState {
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

/**
 * A package as prepare and install keep it: its entities (50,000 at scale) are the translation map's records.
 * They are set to undefined rather than left out, so that the package reported so far loses them too.
 */
function withoutEntities(pkg: PromotionPackage): PromotionPackage {
  return { ...pkg, packageEntities: undefined, displayEntities: undefined };
}

function checkInstallable(ctx: PlanContext, pkg: PromotionPackage): void {
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
    ctx.progress.warning(
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
): Promise<DefinitionIndex | undefined> {
  try {
    return await ctx.api.getDefinitionIndex(packageId);
  } catch (error) {
    if (
      isWorkfrontError(error) &&
      (error.kind === 'not-found' || error.kind === 'input' || error.kind === 'forbidden')
    ) {
      ctx.progress.warning(
        `ignore-dependents: the package definition could not be read (${plain(error.message, 300)}); dependants of ignored records were not looked for`,
      );
      return undefined;
    }
    throw error;
  }
}

async function makePlan(ctx: PlanContext, report: PlanReport, pkg: PromotionPackage): Promise<Plan> {
  const { config } = ctx;
  const { installationId } = config;
  if (installationId) {
    return phase(ctx, 'Read pre-run', async (entry) => {
      const prerun = await ctx.api.getInstallation(installationId);
      ctx.progress.installation(prerun.id, withoutMap(prerun));
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
      ctx.progress.installation(prerun.id, withoutMap(prerun));
      entry.detail = `pre-run ${prerun.id}, ${recordsOf(prerun.translationMap ?? {}).length} records`;
      ctx.log.info(`Pre-run ${prerun.id} compared the package with ${config.api.host}`);
      return { map: prerun.translationMap ?? {}, prerun };
    });
  }
  const overrides = config.overrides;
  return phase(ctx, 'Translation map and overrides', async (entry) => {
    const original = await ctx.api.createTranslationMap(pkg.id);
    const applied = checkedOverrides(ctx, original, overrides);
    let map = applied.map;
    report.overrideChanges = applied.changes;
    ctx.progress.warning(...applied.warnings);
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
          report.dependents = dependents;
          for (const d of dependents)
            ctx.log.info(`IGNORE ${describeRecord(d.record)}: it depends on ${describeRecord(d.because)}`);
        }
      } else {
        ctx.progress.warning(
          `map-file ignores ${plural(ignoredCreates.length, 'record')} the pre-run would CREATE and ignore-dependents is false: their sub-objects must be ignored too, or the installation fails`,
        );
      }
    }
    entry.detail = `${plural(recordsOf(map).length, 'record')}, ${applied.changes.length} overridden, ${plural(report.dependents?.length ?? 0, 'dependant')} ignored`;
    return { map };
  });
}

/**
 * Every check of the map file's overrides against the package's translation map. prepare and install both plan
 * through here, so a plan prepare accepts is one install accepts: a check of the overrides belongs here.
 */
function checkedOverrides(
  ctx: PlanContext,
  original: TranslationMap,
  overrides: MapOverrides,
): AppliedOverrides {
  const applied = applyOverrides(original, overrides);
  if ('errors' in applied) {
    throw new StepError(
      `map-file ${ctx.config.mapFile} does not fit the package's translation map; nothing was installed:\n${cutList(
        applied.errors,
        ERROR_LIST,
      )
        .map((e) => `- ${e}`)
        .join('\n')}`,
      'input',
    );
  }
  return applied;
}

function checkGuards(ctx: PlanContext, report: PlanReport, records: MapRecord[]): void {
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
  if (expected && expected !== report.planHash) {
    throw new StepError(
      `expected-plan ${expected} does not match this plan ${report.planHash}: the package or the target changed since the plan was approved; nothing was installed. Run prepare again and have the new plan approved`,
      'guard',
    );
  }
}

/** Writes the translation map for later steps, in pieces: a 50,000-record map never becomes one string. */
function writeMap(
  ctx: OperationContext,
  report: PlanReport,
  packageId: string,
  map: TranslationMap,
  label: string,
): void {
  const path = tempFile(ctx, `workfront-${packageId}-${label}-translation-map.json`);
  if (existsSync(path)) ctx.log.info(`Replacing ${path}`);
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'w');
  try {
    for (const chunk of translationMapJson(withTargetNames(map, report.targetNames))) writeSync(fd, chunk);
    writeSync(fd, '\n');
  } finally {
    closeSync(fd);
  }
  report.translationMapFile = path;
}

function setRecords(report: PlanReport, map: TranslationMap): MapRecord[] {
  report.records = undefined; // the records it replaces may be collected meanwhile
  const records = recordsOf(map);
  nameTargets(records, report.targetNames);
  report.records = records;
  report.counts = countRecords(records);
  return records;
}

async function prepare(ctx: PlanContext): Promise<PlanReport> {
  const report: PlanReport = {};
  return reporting(report, () => planInstallation(ctx, report, 'prepare'));
}

async function install(ctx: PlanContext): Promise<PlanReport> {
  const report: PlanReport = {};
  return reporting(report, async () => {
    // The plan is out of scope once the installation has started: a 50,000-record map is not held during the wait.
    const started = await planInstallation(ctx, report, 'install');
    if (!started) return;
    if (!ctx.config.wait) {
      ctx.log.info('wait is false: not waiting for the installation to end');
      return;
    }
    // The installation's own map replaces the plan's records; until then the counts say what was planned.
    report.records = undefined;
    await followInstallation(ctx, report, started, started.requestedAt);
  });
}

/** The newest installation of this package version in the target that has ended: what a skip is measured by. */
function lastOfVersion(history: Installation[], version: number | undefined): Installation | undefined {
  if (version === undefined) return undefined;
  return history.find(
    (i) => i.environmentPromotionPackageVersion === version && i.status !== 'PREPARING' && !isRunning(i),
  );
}

const MAX_LISTED_DIFFERENCES = 10;

function describeDifference(d: RecordDifference): string {
  const installed = d.installed ? `installed ${plain(d.installed, 100)}` : 'not in it';
  return `${describeRecord(d.record)} ${installed}, now ${d.now ? plain(d.now, 100) : 'not overridden'}`;
}

/**
 * skip-if-installed (Install, step 2): skips when `earlier` ended INSTALLED/COMPLETED without a FAILED record and
 * installed every record the map file decides (`set`, as `map` has them) the way this run would; otherwise says
 * in a notice why it installs. Answers whether it skipped.
 */
function skipWhenInstalled(
  ctx: PlanContext,
  report: PlanReport,
  pkg: PromotionPackage,
  earlier: Installation,
  map: TranslationMap,
  set: ReturnType<typeof recordsSetByMapFile>,
): boolean {
  const { config } = ctx;
  const installed = earlier.translationMap ?? {};
  const ended = classifyInstallationStatus(earlier.status ?? '');
  const failedRecords = failedRecordCount(installed);
  const differences =
    ended === 'succeeded' && !failedRecords ? installedDifferently(installed, map, set) : [];
  const which = `installation ${earlier.id} (${plain(earlier.registeredAt ?? 'date unknown', 40)}) of version ${pkg.version}`;
  if (ended === 'succeeded' && !failedRecords && !differences.length) {
    report.skipped = true;
    ctx.progress.installation(earlier.id, withoutMap(earlier));
    setRecords(report, installed);
    ctx.log.info(
      `${describePackage(pkg)} is already installed in ${config.api.host} (installation ${earlier.id}, ${earlier.status}) the way this run would install it; skipping`,
    );
    ctx.progress.note(
      `Skipped: installation ${earlier.id} of ${earlier.registeredAt ?? 'an earlier run'} installed version ${pkg.version} here (skip-if-installed)`,
    );
    if (config.environmentKind !== 'production') {
      ctx.progress.warning(
        'Installation history survives a sandbox refresh, the installed objects may not: if this sandbox was refreshed since, install with skip-if-installed: false',
      );
    }
    return true;
  }
  report.notSkipped = { installationId: earlier.id, status: earlier.status, failedRecords, differences };
  const why =
    ended !== 'succeeded'
      ? `${which} ended ${plain(earlier.status ?? 'without a status', 40)} in ${config.api.host}`
      : failedRecords
        ? `${which} left ${plural(failedRecords, 'record')} FAILED in ${config.api.host}`
        : `${config.overrides && !config.installationId ? 'the map file treats' : 'without a map file this run treats'} ${plural(differences.length, 'record')} differently from ${which}: ${differences
            .slice(0, MAX_LISTED_DIFFERENCES)
            .map(describeDifference)
            .join(
              '; ',
            )}${differences.length > MAX_LISTED_DIFFERENCES ? `; … and ${differences.length - MAX_LISTED_DIFFERENCES} more` : ''}`;
  ctx.progress.note(`Not skipped: ${why}; installing again (skip-if-installed)`);
  return false;
}

function refuseWhileRunning(ctx: OperationContext, history: Installation[]): void {
  const running = history.find(isRunning);
  if (!running) return;
  ctx.progress.installation(running.id, withoutMap(running));
  throw new StepError(
    `installation ${running.id} of this package is still ${running.status} in ${ctx.config.api.host}; nothing was started. Re-attach to it with operation: installation, installation-id: ${running.id}, wait: true`,
    'conflict',
  );
}

/** When an installation's rollback window began, as well as the API tells: the later of its two times. */
function deployedAt(i: Installation): number {
  const times = [i.registeredAt, i.updatedAt ?? undefined]
    .map((t) => Date.parse(t ?? ''))
    .filter((t) => !Number.isNaN(t));
  return times.length ? Math.max(...times) : NaN;
}

/**
 * The latest deployment in the target, when its rollback window (24 h, latest deployment only) is still open:
 * installing ends it. Said at once, before the install request is sent.
 */
function warnRollbackEnds(
  ctx: OperationContext,
  report: PlanReport,
  mode: 'prepare' | 'install',
  history: Installation[],
): void {
  const latest = history.find((i) => i.status !== 'PREPARING' && !isRunning(i));
  if (!latest || !(ctx.clock.now() - deployedAt(latest) < ROLLBACK_WINDOW_MS)) return;
  const at = plain(latest.updatedAt ?? latest.registeredAt ?? '', 40);
  report.endsRollbackOf = { installationId: latest.id, at };
  ctx.log.warning(
    `${mode === 'install' ? 'This install ends' : 'Installing this plan would end'} the rollback window of installation ${latest.id} (${at}) in ${ctx.config.api.host}: the UI rolls back only the latest deployment`,
  );
}

/** Plans, checks the guards, and (for install) starts the installation; answers it when one started. */
async function planInstallation(
  ctx: PlanContext,
  report: PlanReport,
  mode: 'prepare' | 'install',
): Promise<{ id: string; packageId: string; requestedAt: number } | undefined> {
  // Before anything else: map-file names resolved and target ids checked, for every later step to see.
  report.targetNames = await checkMapTargets(ctx);
  const { config } = ctx;
  const pkg = withoutEntities(
    await phase(ctx, 'Read package', async () => settledPackage(ctx, config.packageId)),
  );
  // The result keeps the package without its entities: the translation map's records are those.
  ctx.progress.package(pkg);
  checkExpectedStatus(ctx, pkg);
  checkInstallable(ctx, pkg);

  const history = await phase(ctx, 'Installation history', async (entry) => {
    const all = await ctx.api.listInstallations(pkg.id);
    noteInstallations(ctx, all);
    const here = inEnvironment(all, config.api.host).sort(newestFirst);
    entry.detail = `${plural(all.length, 'installation')}, ${here.length} in ${config.api.host}`;
    return here;
  });
  const latest =
    mode === 'install' && config.skipIfInstalled ? lastOfVersion(history, pkg.version) : undefined;
  // The skip rule compares with that installation's map; the list carries none (each is as large as the package).
  const earlier =
    latest &&
    (await phase(ctx, 'Earlier installation', async (entry) => {
      const read = await ctx.api.getInstallation(latest.id);
      entry.detail = `${read.id}, ${plain(read.status ?? 'no status', 40)}`;
      return read;
    }));
  // A given pre-run is installed as it is: the map file decides nothing then.
  const overrides = config.installationId ? undefined : config.overrides;
  if (!overrides) {
    if (earlier && skipWhenInstalled(ctx, report, pkg, earlier, {}, [])) return;
    if (mode === 'install') refuseWhileRunning(ctx, history);
  }

  const plan = await makePlan(ctx, report, pkg);
  if (overrides) {
    const set = recordsSetByMapFile(plan.map, overrides, report.dependents);
    if (earlier && skipWhenInstalled(ctx, report, pkg, earlier, plan.map, set)) {
      // The report is the earlier installation's, not this plan's.
      report.overrideChanges = undefined;
      report.dependents = undefined;
      return;
    }
    if (mode === 'install') refuseWhileRunning(ctx, history);
  }
  const records = setRecords(report, plan.map);
  report.planHash = planHash(pkg.id, pkg.version, config.api.host, records);
  ctx.log.info(
    `Plan ${report.planHash}: ${
      Object.entries(report.counts?.byAction ?? {})
        .map(([a, n]) => `${n} ${a}`)
        .join(', ') || 'no records'
    }`,
  );
  checkGuards(ctx, report, records);
  warnRollbackEnds(ctx, report, mode, history);

  if (mode === 'prepare') {
    writeMap(ctx, report, pkg.id, plan.map, plan.prerun ? plan.prerun.id : 'plan');
    ctx.log.info(`Nothing was installed; the plan is in ${report.translationMapFile}`);
    return;
  }

  return phase(ctx, 'Install', async (entry) => {
    // The rollback window runs from the install request, not from the pre-run.
    const requestedAt = ctx.clock.now();
    let id: string;
    const check = checkInstallations(ctx, pkg.id);
    if (plan.prerun) {
      const prerunId = plan.prerun.id;
      await sendOnce(ctx, check, async () =>
        ctx.api.installInstallation(prerunId, await startedPrerun(ctx, pkg.id, prerunId)),
      );
      id = prerunId;
    } else {
      const map = plan.map;
      id = await sendOnce(ctx, check, async () =>
        ctx.api.installPackage(pkg.id, map, await startedInstallation(ctx, pkg.id)),
      );
    }
    report.changed = true;
    ctx.progress.installation(id);
    entry.detail = `installation ${id}`;
    ctx.log.info(`Installation ${id} of ${describePackage(pkg)} into ${config.api.host} started`);
    return { id, packageId: pkg.id, requestedAt };
  });
}

/** How to see whether an install request whose answer never came started an installation. */
function checkInstallations(ctx: OperationContext, packageId: string): string {
  return `operation: installations, package-id: ${packageId} (an installation in ${ctx.config.api.host} newer than this run is it; re-attach with operation: installation, installation-id: <its id>, wait: true)`;
}

/** Polls an installation to its end and reports every record; also the `installation` operation's wait. */
async function followInstallation(
  ctx: OperationContext<PlanConfig | InstallationConfig>,
  report: PlanReport,
  { id: installationId, packageId }: { id: string; packageId?: string },
  /** When this step sent the install request (epoch ms); unknown when re-attaching. */
  requestedAt?: number,
): Promise<void> {
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
        // Only the final map is reported: a running installation's is dropped at once, not held to the next poll.
        const kind = classifyInstallationStatus(current.status ?? '');
        return kind === 'succeeded' || kind === 'failed' ? current : withoutMap(current);
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
    ctx.progress.installation(installationId, withoutMap(waited.value));
    // Without a final map the plan's records stay the report.
    if (waited.value.translationMap)
      reportRecords(ctx, report, waited.value.translationMap, { id: installationId, packageId });
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
  // Re-attached, the request time is unknown: the installation's registration, at or before it, is the safe side.
  const from = requestedAt ?? Date.parse(waited.value?.registeredAt ?? waited.value?.updatedAt ?? '');
  if (!Number.isNaN(from)) {
    report.rollbackUntil = new Date(from + ROLLBACK_WINDOW_MS).toISOString();
    // The summary's verdict states the deadline: in the log only, so that it is not said twice there.
    ctx.log.info(
      `The Workfront UI can roll this deployment back until ${report.rollbackUntil} (24 h after the install request, latest deployment only; there is no rollback API)`,
    );
  }
  const failed = report.counts?.byStatus.FAILED ?? 0;
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
  if (failed) ctx.progress.warning(`${plural(failed, 'record')} FAILED; fail-on-record-failure is false`);
}

/** The installation's records on the report, its map written for later steps, and each failed one annotated. */
function reportRecords(
  ctx: OperationContext,
  report: PlanReport,
  map: TranslationMap,
  installation: { id: string; packageId?: string },
): void {
  const records = setRecords(report, map);
  if (installation.packageId) writeMap(ctx, report, installation.packageId, map, installation.id);
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
      `${andMore(failed.length - MAX_RECORD_ANNOTATIONS)} failed records in ${report.translationMapFile}`,
    );
}

async function installation(ctx: OperationContext<InstallationConfig>): Promise<PlanReport> {
  const report: PlanReport = {};
  return reporting(report, async () => {
    const id = ctx.config.installationId;
    const current = await phase(ctx, 'Read installation', async () => ctx.api.getInstallation(id));
    const packageId = current.environmentPromotionPackageId;
    if (packageId) ctx.progress.package({ id: packageId });
    ctx.progress.installation(current.id, withoutMap(current));
    const kind = classifyInstallationStatus(current.status ?? '');
    ctx.log.info(
      `Installation ${current.id}: ${current.status}${current.environment ? ` in ${plain(current.environment)}` : ''}`,
    );
    if (ctx.config.wait && current.status !== 'PREPARING' && (kind === 'pending' || kind === 'unknown')) {
      await followInstallation(ctx, report, { id, packageId });
      return;
    }
    reportRecords(ctx, report, current.translationMap ?? {}, { id, packageId });
    if (kind === 'failed') throw new StepError(`installation ${id} ended ${current.status}`, 'failed');
  });
}

/** Both plan: a pre-run, or the translation map with the map file's overrides. */
const PLAN_INPUTS = [
  // prepare plans from that pre-run instead of making one; install installs it.
  'installation-id',
  'expected-status',
  'map-file',
  // prepare compares its plan too: a different one fails the step (nothing is installed either way).
  'expected-plan',
  'deny-actions',
  'core-api-version',
] as const;

/** A given pre-run is used as it is: the map file's overrides would silently not apply. */
const prerunOrMap = (verb: string) => (input: (name: 'installation-id' | 'map-file') => string) =>
  input('installation-id') && input('map-file')
    ? [
        `Inputs "installation-id" and "map-file" are both set: that pre-run is ${verb} as it is, without the map file's overrides; drop one (without installation-id the map file's overrides are applied to a fresh translation map)`,
      ]
    : [];

export const prepareOperation: OperationDescriptor<'prepare'> = {
  name: 'prepare',
  needs: ['package-id'],
  uses: PLAN_INPUTS,
  verb: 'Plan installation',
  check: prerunOrMap('planned'),
  run: prepare,
};

export const installOperation: OperationDescriptor<'install'> = {
  name: 'install',
  needs: ['package-id'],
  uses: PLAN_INPUTS,
  verb: 'Install package',
  check: prerunOrMap('installed'),
  run: install,
};

export const installationOperation: OperationDescriptor<'installation'> = {
  name: 'installation',
  needs: ['installation-id'],
  uses: [],
  verb: 'Read installation',
  run: installation,
};
