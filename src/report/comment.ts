// The pull-request comment: the plan and, after an install, its result, as one comment found again by a hidden
// marker. Pure: src/github.ts posts it.
import type { OperationResult } from '../result.js';
import { deniedRecords, type DependentIgnore, type MapRecord } from '../translation-map.js';
import { md } from '../text.js';
import { layout, type List } from './budget.js';
import { objCodeCounts } from './summary.js';
import { verdict } from './verdict.js';

/** GitHub refuses a comment body over 65,536 characters. */
export const COMMENT_LIMIT = 65_536;
/**
 * Counted in UTF-8 bytes, never fewer than characters however GitHub counts them. Every line is counted, cut
 * lines and footer too; 4 KiB are kept spare.
 */
const BUDGET_BYTES = COMMENT_LIMIT - 4_096;
/** Warnings and notes shown; with the error and the deny-actions line they stay far below the budget. */
const MAX_NOTICES = 8;

const RISKY = ['OVERWRITING', 'CREATEWITHALTNAME', 'IGNORE'];
const WHY_RISKY: Record<string, string> = {
  OVERWRITING: 'replaces the target record',
  CREATEWITHALTNAME: 'a second copy under another name',
  IGNORE: 'left out; what refers to it falls back to defaults',
};

export interface CommentContext {
  /** The package id the step was given: with the target host it names the comment. */
  packageId: string;
  /** The run's page, where the job summary is. */
  runUrl?: string;
  denyActions: readonly string[];
  expectedPlan?: string;
  now: number;
}

/** The hidden first line that finds the comment again: one per package and target. */
export function commentMarker(packageId: string, host: string): string {
  const safe = (text: string) => text.replace(/[^A-Za-z0-9._:[\]-]/g, '');
  return `<!-- workfront-promotion-action:${safe(packageId)}:${safe(host.toLowerCase())} -->`;
}

/**
 * Server text for the comment: md() (no markup, link, mention or emoji), and no issue reference either (`#12`
 * links an issue in a comment), broken by a zero-width space so that it reads the same.
 */
export function inert(text: unknown, max = 300): string {
  return md(String(text ?? '').replace(/#/g, '#\u200b'), max);
}

/** An id in a code span when it is plain (escapes would show inside one), inert text otherwise. */
function code(id: unknown): string {
  const text = String(id ?? '');
  return /^[A-Za-z0-9._-]{1,80}$/.test(text) ? `\`${text}\`` : inert(text, 120);
}

const safeUrl = (url?: string) => (url && /^https?:\/\/[^\s()<>"'`]+$/.test(url) ? url : undefined);
const keyOf = (r: Pick<MapRecord, 'objCode' | 'sourceId'>) => `${r.objCode}\t${r.sourceId}`;
const label = (r: MapRecord) =>
  `${inert(r.objCode, 40)} ${r.name ? `"${inert(r.name, 120)}"` : code(r.sourceId)}`;

function row(cells: unknown[]): string {
  return `| ${cells.map((cell) => (cell === undefined || cell === '' ? ' ' : String(cell))).join(' | ')} |`;
}

/** A list of the comment: a heading and a table; when not one row fits, the heading and the cut line alone. */
function section<T>(
  heading: string,
  header: string[],
  items: readonly T[],
  render: (item: T) => unknown[],
  more: (left: number) => string,
): List[] {
  if (!items.length) return [];
  return [
    {
      count: items.length,
      row: (index) => row(render(items[index])),
      head: [heading, '', row(header), row(header.map(() => '---'))],
      bareHead: [heading],
      foot: [''],
      more,
    },
  ];
}

/**
 * The verdict the job summary leads with, made inert for GitHub: its plain-text form, then escaped, so no
 * name in it mentions, references or links anything.
 */
function commentVerdict(result: OperationResult): string {
  return inert(verdict(result, 'text'), 2000);
}

function riskyRows(result: OperationResult): Array<{ record: MapRecord; note: string }> {
  const records = result.records ?? [];
  const dependents = result.dependents ?? [];
  const dependentKeys = new Set(dependents.map((d) => keyOf(d.record)));
  const byRoot = new Map<string, DependentIgnore[]>();
  for (const d of dependents) {
    const list = byRoot.get(keyOf(d.because));
    if (list) list.push(d);
    else byRoot.set(keyOf(d.because), [d]);
  }
  const rows: Array<{ record: MapRecord; note: string }> = [];
  for (const action of RISKY) {
    for (const record of records) {
      if (record.action !== action || dependentKeys.has(keyOf(record))) continue;
      const own = byRoot.get(keyOf(record)) ?? [];
      rows.push({
        record,
        note: `${WHY_RISKY[action]}${own.length ? `; ${own.length} dependants ignored with it` : ''}`,
      });
      for (const d of own) rows.push({ record: d.record, note: `dependant of ${label(d.because)}` });
    }
  }
  return rows;
}

export function renderComment(result: OperationResult, context: CommentContext): string {
  const runUrl = safeUrl(context.runUrl);
  const { targetNames } = result;
  const target = (objCode: string, id?: string) => {
    if (!id) return '';
    const name = targetNames?.[objCode]?.[id];
    return name ? `${code(id)} "${inert(name, 120)}"` : code(id);
  };
  const more = (n: number) =>
    `… and ${n} more${runUrl ? ` in [the job summary](${runUrl})` : ' in the job summary of this run'}`;
  const records = result.records ?? [];
  const counts = result.counts;

  // Fixed, bounded parts first: they are never cut.
  const head = [commentMarker(context.packageId, result.target.host), `### ${commentVerdict(result)}`, ''];
  if (result.error) {
    head.push(
      `> **${result.outcome === 'cancelled' ? 'Cancelled' : 'Error'}:** ${inert(result.error, 2000)}`,
      '',
    );
  }

  const guards: string[] = [];
  if (context.denyActions.length) {
    const list = context.denyActions.map((a) => inert(a, 40)).join(', ');
    if (!result.records) guards.push(`- **deny-actions** ${list}: not checked, there is no plan`);
    else {
      const denied = deniedRecords(records, context.denyActions);
      guards.push(
        denied.length
          ? `- ❌ **deny-actions** ${list}: ${denied.length} records of the plan are refused, ${denied
              .slice(0, 10)
              .map((r) => `${inert(r.action, 40)} ${label(r)}`)
              .join(', ')}${denied.length > 10 ? `, ${more(denied.length - 10)}` : ''}`
          : `- ✅ **deny-actions** ${list}: no record of the plan has them`,
      );
    }
  } else guards.push('- **deny-actions** not set: every action is allowed');
  if (context.expectedPlan && result.planHash) {
    guards.push(
      context.expectedPlan === result.planHash
        ? '- ✅ **expected-plan** matches: this is the plan that was pinned'
        : `- ❌ **expected-plan** \`${inert(context.expectedPlan, 130)}\` does not match this plan`,
    );
  }
  guards.push('');
  if (result.planHash && result.operation === 'install' && result.changed) {
    guards.push(`**plan-hash** \`${result.planHash}\`: the plan this run installed.`, '');
  } else if (result.planHash) {
    guards.push(
      `**plan-hash** \`${result.planHash}\`. To install exactly this plan and nothing else, add to the install step:`,
      '',
      '```yaml',
      `expected-plan: ${result.planHash}`,
      '```',
      '',
    );
  }

  const outcome: string[] = [];
  if (result.operation === 'prepare') {
    outcome.push(
      `Nothing was installed${result.installationId ? ` (pre-run ${code(result.installationId)})` : ''}.`,
      '',
    );
  } else {
    const installation = result.installationId ?? result.installation?.id;
    const status = result.installation?.status;
    // Refused by a guard after the pre-run: the pre-run is all there is, and nothing was installed.
    const prerunOnly = status === 'PREPARING' && !result.changed;
    if (installation)
      outcome.push(
        `#### Result`,
        '',
        prerunOnly
          ? `Nothing was installed (pre-run ${code(installation)}).`
          : `Installation ${code(installation)}${status ? `: **${inert(status, 60)}**` : ''}${result.skipped ? ' (an earlier one: skipped)' : ''}`,
        '',
      );
  }
  const notices = [
    ...result.warnings.map((w) => `> [!WARNING]\n> ${inert(w, 400)}`),
    ...result.notes.map((n) => `> [!NOTE]\n> ${inert(n, 400)}`),
  ];
  for (const notice of notices.slice(0, MAX_NOTICES)) outcome.push(notice, '');
  if (notices.length > MAX_NOTICES) outcome.push(more(notices.length - MAX_NOTICES), '');

  const footer = [
    '---',
    `<sub>${runUrl ? `[Run](${runUrl}) · ` : ''}every record is in the job summary and the translation map file of the run · updated ${new Date(context.now).toISOString()} by workfront-promotion-action</sub>`,
  ];
  const failed = records.filter((r) => r.installationStatus === 'FAILED');
  const failedSection = section(
    `#### Failed records (${failed.length})`,
    ['objCode', 'name', 'source id', 'action', 'reason'],
    failed,
    (r) => [
      inert(r.objCode, 40),
      inert(r.name ?? '', 120),
      code(r.sourceId),
      inert(r.action, 40),
      inert(r.reason ?? '', 300),
    ],
    more,
  );
  const risky = riskyRows(result);
  const riskySection = section(
    `#### Risky actions (${risky.length})`,
    ['action', 'objCode', 'name', 'source id', 'target id', 'why'],
    risky,
    ({ record: r, note }) => [
      `**${inert(r.action, 40)}**`,
      inert(r.objCode, 40),
      inert(r.name ?? '', 120),
      code(r.sourceId),
      target(r.objCode, r.targetId),
      note,
    ],
    more,
  );
  const changes = result.overrideChanges ?? [];
  const changesSection = section(
    `#### What the map file changes (${changes.length})`,
    ['objCode', 'name', 'source id', 'pre-run', 'map file'],
    changes,
    (c) => [
      inert(c.record.objCode, 40),
      inert(c.record.name ?? '', 120),
      code(c.record.sourceId),
      `${inert(c.from, 40)}${c.fromTarget ? ` → ${target(c.record.objCode, c.fromTarget)}` : ''}`,
      `**${inert(c.to, 40)}**${c.toTarget ? ` → ${target(c.record.objCode, c.toTarget)}` : ''}`,
    ],
    more,
  );
  // The summary's table, so both read alike; the totals row comes last.
  const perCode = objCodeCounts(records);
  const perCodeSection = section(
    `#### Records per objCode (${counts?.total ?? 0})`,
    perCode.header,
    perCode.rows.length ? [...perCode.rows, perCode.total] : [],
    (cells) => cells,
    more,
  );

  return layout(
    [head, ...perCodeSection, ...changesSection, ...riskySection, guards, outcome, ...failedSection, footer],
    BUDGET_BYTES,
  );
}
