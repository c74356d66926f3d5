// The job summary: a headline a person reads in two seconds, then the details, folded where long.
import { formatDuration } from '../duration.js';
import { objCodeLabel } from '../objcodes.js';
import type { OperationResult, Outcome } from '../result.js';
import type { MapRecord } from '../translation-map.js';
import { md } from './text.js';

/** GitHub refuses a step summary over 1 MiB; stay well below it. */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024;
const BUDGET_BYTES = SUMMARY_LIMIT_BYTES - 64 * 1024;
const MAX_FAILED_ROWS = 500;

const MARK: Record<Outcome, string> = {
  succeeded: '✅',
  skipped: '⏭️',
  failed: '❌',
  'timed-out': '⏱️',
  cancelled: '🛑',
};

const VERB: Record<string, string> = {
  create: 'Create package',
  update: 'Update package',
  transition: 'Transition package',
  prepare: 'Plan installation',
  install: 'Install package',
  get: 'Read package',
  definition: 'Read package definition',
  list: 'List packages',
  installations: 'List installations',
  installation: 'Read installation',
  replace: 'Replace package',
  delete: 'Delete package',
};

const ACTIONS = ['CREATE', 'CREATEWITHALTNAME', 'USEEXISTING', 'OVERWRITING', 'IGNORE'];
const STATUSES = ['INSTALLED', 'REGISTERED', 'FAILED'];

function headline(result: OperationResult): string {
  const pkg = result.package;
  const what = pkg
    ? `"${md(pkg.name ?? pkg.id, 120)}"${pkg.version !== undefined ? ` v${pkg.version}` : ''}`
    : '';
  const where = `${md(result.target.host)}${result.target.kind !== 'unknown' ? ` (${result.target.kind})` : ''}`;
  const outcome = result.outcome === 'succeeded' ? '' : ` — ${result.outcome}`;
  const failed = result.counts?.byStatus.FAILED;
  switch (result.operation) {
    case 'install':
      if (result.skipped) return `${what} is already installed in ${where} — skipped`;
      return `Install ${what} into ${where}${outcome}${failed ? `, ${failed} records failed` : ''}`;
    case 'prepare':
      return `Plan for ${what} in ${where}${outcome}`;
    case 'transition':
      return result.changed
        ? `${what}: ${md(result.previousStatus)} → ${md(pkg?.status)}${outcome}`
        : `${what} is ${md(pkg?.status ?? '?')}${result.outcome === 'succeeded' ? ', nothing to change' : outcome}`;
    default:
      return `${VERB[result.operation]} ${what}${outcome}`.replace(/\s+/g, ' ').trim();
  }
}

function row(cells: unknown[]): string {
  return `| ${cells.map((cell) => (cell === undefined || cell === '' ? ' ' : String(cell))).join(' | ')} |`;
}

function table(header: string[], rows: unknown[][]): string[] {
  return [row(header), row(header.map(() => '---')), ...rows.map(row)];
}

function recordRow(record: MapRecord): unknown[] {
  return [
    record.objCode,
    md(record.sourceId),
    md(record.name ?? '', 120),
    record.action,
    md(record.targetId ?? ''),
    md(record.installationStatus ?? ''),
    md(record.reason ?? '', 300),
  ];
}

const RECORD_HEADER = ['objCode', 'source id', 'name', 'action', 'target id', 'result', 'reason'];
const time = (value: string | number | null | undefined) =>
  value === undefined || value === null || value === '' ? '' : md(new Date(value).toISOString());

export function renderSummary(result: OperationResult, now = Date.now()): string {
  const out: string[] = [];
  const pkg = result.package;
  out.push(`### ${MARK[result.outcome]} ${headline(result)}`, '');
  if (result.error)
    out.push(
      `> **${result.outcome === 'cancelled' ? 'Cancelled' : 'Error'}:** ${md(result.error, 2000)}`,
      '',
    );

  const details: unknown[][] = [
    ['Outcome', `${MARK[result.outcome]} ${result.outcome}`],
    ['Operation', `\`${result.operation}\``],
    ['Environment', `${md(result.target.host)} (${result.target.kind})`],
  ];
  if (pkg) {
    details.push(['Package', `${md(pkg.name ?? '')} \`${md(pkg.id)}\``]);
    if (pkg.version !== undefined) details.push(['Version', pkg.version]);
    if (pkg.status)
      details.push([
        'Status',
        `${result.previousStatus && result.changed ? `${md(result.previousStatus)} → ` : ''}${md(pkg.status)}`,
      ]);
    if (pkg.publishedAt) details.push(['Published', time(pkg.publishedAt)]);
    if (pkg.retiredAt) details.push(['Retired', time(pkg.retiredAt)]);
  }
  const installationId = result.installationId ?? result.installation?.id;
  if (installationId) {
    details.push(['Installation', `\`${md(installationId)}\` ${md(result.installation?.status ?? '')}`]);
  }
  if (result.planHash) details.push(['Plan hash', `\`${result.planHash}\``]);
  if (result.translationMapFile) details.push(['Translation map', `\`${md(result.translationMapFile)}\``]);
  if (result.definitionFile) details.push(['Definition', `\`${md(result.definitionFile)}\``]);
  details.push(['Duration', formatDuration((result.endedAt ?? now) - result.startedAt)]);
  // The first row heads the table: an empty header would render as a blank row.
  const [head, ...rest] = details;
  out.push(...table(head.map(String), rest), '');

  for (const warning of result.warnings) out.push(`> [!WARNING]\n> ${md(warning, 1000)}`, '');
  for (const note of result.notes) out.push(`> [!NOTE]\n> ${md(note, 1000)}`, '');

  if (result.counts && result.counts.total > 0) {
    const codes = Object.keys(result.counts.byObjCode).sort();
    const usedActions = ACTIONS.filter((a) => result.counts?.byAction[a]);
    const usedStatuses = STATUSES.filter((s) => result.counts?.byStatus[s]);
    const other = Object.keys(result.counts.byAction).filter((a) => !ACTIONS.includes(a));
    const columns = [...usedActions, ...other, ...usedStatuses];
    const rows = codes.map((code) => {
      const c = result.counts!.byObjCode[code];
      return [
        `${code} ${md(objCodeLabel(code) === code ? '' : objCodeLabel(code))}`,
        ...[...usedActions, ...other].map((a) => c.actions[a] ?? ''),
        ...usedStatuses.map((s) => c.statuses[s] ?? ''),
      ];
    });
    const totals = [
      '**total**',
      ...columns.map((k) => `**${result.counts!.byAction[k] ?? result.counts!.byStatus[k] ?? 0}**`),
    ];
    out.push(
      `#### Records per objCode (${result.counts.total})`,
      '',
      ...table(['objCode', ...columns], [...rows, totals]),
      '',
    );
  }

  if (result.overrideChanges?.length) {
    out.push(`#### What the map file changes (${result.overrideChanges.length})`, '');
    out.push(
      ...table(
        ['objCode', 'source id', 'name', 'pre-run', 'now'],
        result.overrideChanges.map((c) => [
          c.record.objCode,
          md(c.record.sourceId),
          md(c.record.name ?? '', 120),
          `${c.from}${c.fromTarget ? ` → \`${md(c.fromTarget)}\`` : ''}`,
          `${c.to}${c.toTarget ? ` → ${c.toTargetName ? `${md(c.toTargetName, 120)} (\`${md(c.toTarget.slice(0, 8))}…\`)` : `\`${md(c.toTarget)}\``}` : ''}`,
        ]),
      ),
      '',
    );
  }
  if (result.dependents?.length) {
    out.push(`#### Ignored as dependants of ignored records (${result.dependents.length})`, '');
    out.push(
      ...table(
        ['objCode', 'source id', 'name', 'depends on'],
        result.dependents.map((d) => [
          d.record.objCode,
          md(d.record.sourceId),
          md(d.record.name ?? '', 120),
          `${d.because.objCode} ${md(d.because.name ?? d.because.sourceId, 120)}`,
        ]),
      ),
      '',
    );
  }

  const failed = (result.records ?? []).filter((r) => r.installationStatus === 'FAILED');
  if (failed.length) {
    out.push(`#### Failed records (${failed.length})`, '');
    out.push(...table(RECORD_HEADER, failed.slice(0, MAX_FAILED_ROWS).map(recordRow)), '');
    if (failed.length > MAX_FAILED_ROWS)
      out.push(
        `_${failed.length - MAX_FAILED_ROWS} more failed records are in the translation map file._`,
        '',
      );
  }

  if (result.packages) {
    out.push(`#### Packages (${result.packages.length})`, '');
    out.push(
      ...table(
        ['id', 'name', 'status', 'created'],
        result.packages
          .slice(0, 1000)
          .map((p) => [`\`${md(p.id)}\``, md(p.name ?? '', 120), md(p.status ?? ''), time(p.createdAt)]),
      ),
      '',
    );
  }
  if (result.installations) {
    out.push(`#### Installations (${result.installations.length})`, '');
    out.push(
      ...table(
        ['id', 'version', 'environment', 'status', 'registered'],
        result.installations
          .slice(0, 1000)
          .map((i) => [
            `\`${md(i.id)}\``,
            i.environmentPromotionPackageVersion ?? '',
            md(i.environment ?? ''),
            md(i.status ?? ''),
            time(i.registeredAt),
          ]),
      ),
      '',
    );
  }

  if (result.phases.length) {
    out.push('<details><summary>Timeline</summary>', '');
    out.push(
      ...table(
        ['phase', 'duration', 'detail'],
        result.phases.map((p) => [
          md(p.name),
          formatDuration((p.endedAt ?? now) - p.startedAt),
          md(p.detail ?? '', 300),
        ]),
      ),
      '',
      '</details>',
      '',
    );
  }

  const records = result.records ?? [];
  if (records.length) {
    const head = [
      `<details><summary>All records (${records.length})</summary>`,
      '',
      ...table(RECORD_HEADER, []),
    ];
    let size = Buffer.byteLength(out.join('\n')) + Buffer.byteLength(head.join('\n')) + 512;
    const rows: string[] = [];
    for (const record of records) {
      const line = row(recordRow(record));
      size += Buffer.byteLength(line) + 1;
      if (size > BUDGET_BYTES) break;
      rows.push(line);
    }
    out.push(...head, ...rows, '');
    if (rows.length < records.length) {
      out.push(
        `_The summary shows ${rows.length} of ${records.length} records to stay under GitHub's 1 MiB limit; every record is in the translation map file${result.translationMapFile ? ` \`${md(result.translationMapFile)}\`` : ''}._`,
        '',
      );
    }
    out.push('</details>', '');
  }
  return out.join('\n');
}
