// The job summary as a release manager reads it: the verdict first, then counts per objCode, failures with their
// reasons, what the map file changed, and the long tables folded. One byte budget covers every section.
import { hintForRecordFailure } from '../api/hints.js';
import { formatDuration } from '../duration.js';
import { objCodeLabel } from '../objcodes.js';
import type { OperationResult } from '../result.js';
import { actionWords, type MapRecord } from '../translation-map.js';
import { type Block, layout, type List } from './budget.js';
import { andMore, plural, shortId, when } from './format.js';
import { code, isId, md } from '../text.js';
import { actionWord, MARK, verdictParts } from './verdict.js';

/** GitHub drops a step summary over 1 MiB whole. */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024;
/** What every section shares; the rest is a margin for what GitHub adds around it. */
const BUDGET_BYTES = SUMMARY_LIMIT_BYTES - 64 * 1024;
/** Tables longer than this are folded. */
const FOLD_ROWS = 20;

export type Cell = string | number | undefined;

const row = (cells: Cell[]): string =>
  `| ${cells.map((cell) => (cell === undefined || cell === '' ? ' ' : String(cell))).join(' | ')} |`;
const tableHead = (header: string[]): string[] => [row(header), row(header.map(() => '---'))];

/** An id as a code span, cut short; full ids are in the outputs and the translation map file. */
function id(value: string | undefined, full = false): string {
  if (!value) return '';
  const shown = full ? value : shortId(value);
  return isId(value) ? `\`${shown}\`` : md(shown, 80);
}

/** A text field a later result may carry (target names): read without widening the types here. */
function textField(from: object, key: string): string | undefined {
  const value = (from as Record<string, unknown>)[key];
  return typeof value === 'string' && value ? value : undefined;
}

/** `Campaign Ops (6500c0de…)` when the name is known, else the short id. */
function target(targetId: string | undefined, name: string | undefined): string {
  if (!targetId) return name ? md(name, 80) : '';
  return name ? `${md(name, 80)} (${id(targetId)})` : id(targetId);
}

const recordName = (r: MapRecord): string => (r.name ? md(r.name, 120) : '');

/** A table under a heading, folded when long. */
function table(
  heading: string,
  header: string[],
  count: number,
  cells: (index: number) => Cell[],
  options: { fold?: boolean; rest?: string; last?: boolean; unit?: [string, string] } = {},
): List {
  const fold = options.fold ?? count > FOLD_ROWS;
  const [singular, pluralForm] = options.unit ?? ['row', 'rows'];
  return {
    count,
    row: (index) => row(cells(index)),
    head: [
      `#### ${heading}`,
      '',
      ...(fold ? [`<details><summary>Show ${plural(count, singular, pluralForm)}</summary>`, ''] : []),
      ...tableHead(header),
    ],
    foot: fold ? ['', '</details>', ''] : [''],
    more: (left) => `${andMore(left)}${options.rest ? ` ${options.rest}` : ''}`,
    last: options.last,
  };
}

function detailsTable(result: OperationResult, now: number): string[] {
  const pkg = result.package;
  const rows: Cell[][] = [
    ['Operation', `\`${result.operation}\``],
    ['Environment', `${md(result.target.host)} (${result.target.kind})`],
  ];
  if (pkg) {
    rows.push(['Package', `${pkg.name ? `${md(pkg.name, 120)} ` : ''}${id(pkg.id, true)}`]);
    if (pkg.version !== undefined) rows.push(['Version', md(pkg.version)]);
    if (pkg.status)
      rows.push([
        'Status',
        `${result.previousStatus && result.changed ? `${md(result.previousStatus)} → ` : ''}${md(pkg.status)}`,
      ]);
    if (pkg.publishedAt) rows.push(['Published', md(when(pkg.publishedAt))]);
    if (pkg.retiredAt) rows.push(['Retired', md(when(pkg.retiredAt))]);
  }
  const installationId = result.installationId ?? result.installation?.id;
  if (installationId)
    rows.push(['Installation', `${id(installationId, true)} ${md(result.installation?.status ?? '')}`]);
  if (result.planHash) rows.push(['Plan hash', `${code(result.planHash, 1000)}`]);
  if (result.translationMapFile) rows.push(['Translation map', `${code(result.translationMapFile, 1000)}`]);
  if (result.definitionFile) rows.push(['Definition', `${code(result.definitionFile, 1000)}`]);
  rows.push(['Duration', formatDuration((result.endedAt ?? now) - result.startedAt)]);
  return [...tableHead(['Outcome', `${MARK[result.outcome]} ${result.outcome}`]), ...rows.map(row), ''];
}

function timeline(result: OperationResult, now: number): string[] {
  if (!result.phases.length) return [];
  return [
    '<details><summary>Timeline</summary>',
    '',
    ...tableHead(['phase', 'duration', 'detail']),
    ...result.phases.map((p) =>
      row([md(p.name), formatDuration((p.endedAt ?? now) - p.startedAt), md(p.detail ?? '', 300)]),
    ),
    '',
    '</details>',
    '',
  ];
}

/** The error's first line stands out; the lines after it (lists of records or entries, hints) follow it. */
function errorBlock(result: OperationResult): Block[] {
  if (!result.error) return [];
  const [first, ...rest] = result.error.split('\n');
  const label = result.outcome === 'cancelled' ? 'Cancelled' : 'Error';
  return [
    [`> **${label}:** ${md(first, 2000)}`],
    {
      count: rest.length,
      row: (i) =>
        rest[i].startsWith('- ') ? `> - ${md(rest[i].slice(2), 1000)}` : `>\n> ${md(rest[i], 1000)}`,
      head: [],
      foot: [''],
      more: andMore,
    },
  ];
}

function messages(result: OperationResult): List {
  const ended = result.endsRollbackOf;
  const all = [
    // Logged before the install request; said here too, as it changes what the UI can still undo.
    ...(ended
      ? [
          `> ⚠️ ${result.operation === 'install' ? 'This install ended' : 'Installing this plan would end'} the rollback window of installation ${code(ended.installationId)} (${md(ended.at)}): the Workfront UI rolls back only the latest deployment`,
        ]
      : []),
    ...result.warnings.map((w) => `> ⚠️ ${md(w, 1000)}`),
    // A skipped run's notes say what its second line says; the log keeps them.
    ...(result.skipped ? [] : result.notes).map((n) => `> ℹ️ ${md(n, 1000)}`),
  ];
  // A blank quoted line between two messages keeps each its own paragraph.
  return {
    count: all.length,
    row: (i) => (i ? `>\n${all[i]}` : all[i]),
    head: [],
    foot: [''],
    more: andMore,
  };
}

/**
 * Records per objCode, one column per action that occurs (failed records counted as failed only): the table the
 * summary and the pull-request comment both show, its cells made inert.
 */
export function objCodeCounts(records: MapRecord[]): { header: string[]; rows: Cell[][]; total: Cell[] } {
  const installed = records.some((r) => r.installationStatus);
  const byCode = new Map<string, Map<string, number>>();
  const columns = new Set<string>();
  const actionOf = actionWords();
  for (const r of records) {
    const key = installed && r.installationStatus === 'FAILED' ? 'FAILED' : actionOf(r.action);
    columns.add(key);
    let counts = byCode.get(r.objCode);
    if (!counts) byCode.set(r.objCode, (counts = new Map()));
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const order = ['CREATE', 'CREATEWITHALTNAME', 'USEEXISTING', 'OVERWRITING', 'IGNORE'];
  const keys = [
    ...order.filter((k) => columns.has(k)),
    ...[...columns].filter((k) => !order.includes(k) && k !== 'FAILED').sort(),
    ...(columns.has('FAILED') ? ['FAILED'] : []),
  ];
  const header = [
    'objCode',
    'records',
    ...keys.map((k) => (k === 'FAILED' ? 'failed' : md(actionWord(k, installed), 40))),
  ];
  const totals = new Map<string, number>();
  for (const counts of byCode.values()) for (const [k, n] of counts) totals.set(k, (totals.get(k) ?? 0) + n);
  const cells = (code: string, counts: Map<string, number>): Cell[] => {
    const label = objCodeLabel(code);
    return [
      label === code ? md(code, 40) : `${md(code, 40)} ${md(label)}`,
      [...counts.values()].reduce((a, b) => a + b, 0).toLocaleString('en-US'),
      ...keys.map((k) => counts.get(k)?.toLocaleString('en-US')),
    ];
  };
  const rows = [...byCode.keys()].sort().map((code) => cells(code, byCode.get(code) as Map<string, number>));
  const total = cells('', totals).map((cell, i) => (i === 0 ? '**total**' : cell ? `**${cell}**` : cell));
  return { header, rows, total };
}

function perObjCode(records: MapRecord[]): List {
  const { header, rows, total } = objCodeCounts(records);
  const list = table(
    `Records per objCode (${plural(records.length, 'record')} in ${plural(rows.length, 'objCode')})`,
    header,
    rows.length,
    (i) => rows[i],
    { fold: rows.length > 10, unit: ['objCode', 'objCodes'] },
  );
  // The totals row stays below the rows, cut or not.
  list.foot = [row(total), ...list.foot];
  return list;
}

function failedRecords(records: MapRecord[], rest: string): List | undefined {
  const failed = records.filter((r) => r.installationStatus === 'FAILED');
  if (!failed.length) return undefined;
  return table(
    `Failed records (${failed.length.toLocaleString('en-US')})`,
    ['name', 'objCode', 'source id', 'action', 'reason'],
    failed.length,
    (i) => {
      const r = failed[i];
      const hint = hintForRecordFailure(r.reason ?? '');
      return [
        recordName(r),
        md(r.objCode, 40),
        id(r.sourceId),
        md(r.action, 40),
        `${md(r.reason ?? 'no reason given', 300)}${hint ? ` _Hint: ${md(hint, 300)}_` : ''}`,
      ];
    },
    { rest },
  );
}

function mapChanges(result: OperationResult, rest: string): List | undefined {
  const changes = result.overrideChanges ?? [];
  if (!changes.length) return undefined;
  const side = (action: string, targetId: string | undefined, name: string | undefined) =>
    `${md(action, 40)}${targetId || name ? ` → ${target(targetId, name)}` : ''}`;
  return table(
    `What the map file changes (${changes.length.toLocaleString('en-US')})`,
    ['name', 'objCode', 'source id', 'pre-run', 'map file'],
    changes.length,
    (i) => {
      const c = changes[i];
      return [
        recordName(c.record),
        md(c.record.objCode, 40),
        id(c.record.sourceId),
        side(c.from, c.fromTarget, textField(c, 'fromTargetName')),
        side(c.to, c.toTarget, textField(c, 'toTargetName') ?? textField(c.record, 'targetName')),
      ];
    },
    { rest },
  );
}

function dependants(result: OperationResult, rest: string): List | undefined {
  const list = result.dependents ?? [];
  if (!list.length) return undefined;
  return table(
    `Ignored as dependants of ignored records (${list.length.toLocaleString('en-US')})`,
    ['name', 'objCode', 'source id', 'depends on'],
    list.length,
    (i) => {
      const d = list[i];
      return [
        recordName(d.record),
        md(d.record.objCode, 40),
        id(d.record.sourceId),
        `${md(d.because.objCode, 40)} ${d.because.name ? md(d.because.name, 120) : id(d.because.sourceId)}`,
      ];
    },
    { fold: list.length > 10, rest },
  );
}

function allRecords(records: MapRecord[], rest: string): List {
  const withStatus = records.some((r) => r.installationStatus);
  const withReason = records.some((r) => r.reason);
  const header = [
    'name',
    'objCode',
    'source id',
    'action',
    'target',
    ...(withStatus ? ['result'] : []),
    ...(withReason ? ['reason'] : []),
  ];
  const list = table(
    `All records (${records.length.toLocaleString('en-US')})`,
    header,
    records.length,
    (i) => {
      const r = records[i];
      return [
        recordName(r),
        md(r.objCode, 40),
        id(r.sourceId),
        md(r.action, 40),
        target(r.targetId, textField(r, 'targetName')),
        ...(withStatus ? [md(r.installationStatus ?? '', 40)] : []),
        ...(withReason ? [md(r.reason ?? '', 300)] : []),
      ];
    },
    { fold: true, rest, last: true },
  );
  return list;
}

function listings(result: OperationResult): List[] {
  const out: List[] = [];
  if (result.packages) {
    const packages = result.packages;
    out.push(
      table(
        `Packages (${packages.length.toLocaleString('en-US')})`,
        ['name', 'id', 'status', 'created'],
        packages.length,
        (i) => [
          md(packages[i].name ?? '', 120),
          id(packages[i].id, true),
          md(packages[i].status ?? ''),
          md(when(packages[i].createdAt)),
        ],
      ),
    );
  }
  if (result.installations) {
    const list = result.installations;
    out.push(
      table(
        `Installations (${list.length.toLocaleString('en-US')})`,
        ['id', 'version', 'environment', 'status', 'registered'],
        list.length,
        (i) => [
          id(list[i].id, true),
          md(list[i].environmentPromotionPackageVersion ?? ''),
          md(list[i].environment ?? ''),
          md(list[i].status ?? ''),
          md(when(list[i].registeredAt)),
        ],
      ),
    );
  }
  return out;
}

export function renderSummary(result: OperationResult, now = Date.now()): string {
  const verdict = verdictParts(result, 'markdown');
  const blocks: Block[] = [[`### ${verdict.mark} ${verdict.title}`, '']];
  const line = [
    verdict.counts.length ? `**${verdict.counts.join(', ')}**` : '',
    ...verdict.more.map((text, i) => (i === 0 && !verdict.counts.length ? capitalise(text) : text)),
  ].filter(Boolean);
  if (result.skipped) line.push('to install it again anyway, set `skip-if-installed: false`');
  if (line.length) blocks.push([`${line.join('; ')}.`, '']);
  if (verdict.plan && result.planHash)
    blocks.push([
      `Plan hash ${code(result.planHash, 1000)}: once it is approved, install with ${code(`expected-plan: ${result.planHash}`, 1000)}.`,
      '',
    ]);
  blocks.push(...errorBlock(result), messages(result));

  const records = result.records ?? [];
  // A skipped run points at the earlier installation; its records are that installation's, not this run's.
  const recordCentric = ['install', 'prepare', 'installation'].includes(result.operation);
  if (!result.skipped && records.length) {
    const rest = `to stay under GitHub's 1 MiB limit${result.translationMapFile ? `; every record is in the translation map file ${code(result.translationMapFile, 1000)}` : ''}`;
    blocks.push(perObjCode(records));
    for (const list of [failedRecords(records, rest), mapChanges(result, rest), dependants(result, rest)])
      if (list) blocks.push(list);
    blocks.push(allRecords(records, rest));
  } else if (result.dependents?.length || result.overrideChanges?.length) {
    for (const list of [mapChanges(result, ''), dependants(result, '')]) if (list) blocks.push(list);
  }
  blocks.push(...listings(result));

  if (recordCentric) {
    blocks.push([
      '<details><summary>Package, installation and timing</summary>',
      '',
      ...detailsTable(result, now),
      ...timeline(result, now),
      '</details>',
      '',
    ]);
  } else {
    blocks.splice(1, 0, detailsTable(result, now));
    blocks.push(timeline(result, now));
  }
  return layout(blocks, BUDGET_BYTES);
}

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
