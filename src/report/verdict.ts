// The one-line verdict a release manager reads in two seconds: how it ended, what went where, what changed,
// the names that need a look, until when it can be rolled back. Shared by the job summary and the PR comment.
import { resolveApiBase } from '../api/url.js';
import { OPERATIONS } from '../operations/index.js';
import type { OperationResult, Outcome } from '../result.js';
import { actionWords, type MapRecord } from '../translation-map.js';
import { andMore, shortId, when } from './format.js';
import { isId, md, plain } from '../text.js';

/** `markdown`: server text escaped for a summary or comment; `text`: one plain line for a log or a title. */
export type VerdictFormat = 'markdown' | 'text';

export interface VerdictParts {
  mark: string;
  /** What was done where, and how it ended: `Install "Release 7" v3 into acme.my.workfront.com (production)`. */
  title: string;
  /** Records per action, with the names that need a look: `37 created`, `1 overwritten (New Agency Offboarding)`. */
  counts: string[];
  /** Why the step did not succeed: the error's first line. */
  reason?: string;
  /** The rollback deadline, the earlier installation of a skipped run. */
  more: string[];
  /** A plan's hash, cut short: `nothing installed; plan \`59c8d2438e3c\``. */
  plan?: string;
}

export const MARK: Record<Outcome, string> = {
  succeeded: '✅',
  skipped: '⏭️',
  failed: '❌',
  'timed-out': '⏱️',
  cancelled: '🛑',
};

/** Words per action: after an installation, and in a plan. Actions the API adds later are shown as they are. */
const ACTION_WORDS: Record<string, { done: string; plan: string; named?: boolean; always?: boolean }> = {
  CREATE: { done: 'created', plan: 'to create', always: true },
  CREATEWITHALTNAME: {
    done: 'created under another name',
    plan: 'to create under another name',
    named: true,
  },
  USEEXISTING: { done: 'reused', plan: 'to reuse', always: true },
  OVERWRITING: { done: 'overwritten', plan: 'to overwrite', named: true, always: true },
  IGNORE: { done: 'ignored', plan: 'to ignore', named: true, always: true },
};
const FAILED = 'FAILED';

/** `created` after an installation, `to create` in a plan; an action the API adds later as it is. */
export function actionWord(action: string, installed: boolean): string {
  const words = ACTION_WORDS[action];
  if (words) return installed ? words.done : words.plan;
  return installed ? action : `to ${action}`;
}
const NAMES_SHOWN = 3;

function escaper(format: VerdictFormat): (text: unknown, max?: number) => string {
  return format === 'markdown' ? md : plain;
}

function title(result: OperationResult, esc: (text: unknown, max?: number) => string): string {
  const pkg = result.package;
  const what = pkg
    ? `"${esc(pkg.name ?? pkg.id, 120)}"${pkg.version !== undefined ? ` v${esc(pkg.version)}` : ''}`
    : '';
  const where = `${esc(result.target.host)}${result.target.kind !== 'unknown' ? ` (${result.target.kind})` : ''}`;
  const outcome = result.outcome === 'succeeded' ? '' : ` — ${result.outcome}`;
  switch (result.operation) {
    case 'install':
      if (result.skipped) return `${what} is already installed in ${where} — skipped`;
      return `Install ${what} into ${where}${outcome}`;
    case 'prepare':
      return `Plan for ${what} in ${where}${outcome}`;
    case 'transition':
      return result.changed
        ? `${what}: ${esc(result.previousStatus)} → ${esc(pkg?.status)}${outcome}`
        : `${what} is ${esc(pkg?.status ?? '?')}${result.outcome === 'succeeded' ? ', nothing to change' : outcome}`;
    default:
      return `${OPERATIONS[result.operation].verb} ${what}${outcome}`.replace(/\s+/g, ' ').trim();
  }
}

const keyOf = (r: Pick<MapRecord, 'objCode' | 'sourceId'>) => `${r.objCode}\u0000${r.sourceId}`;

/**
 * Records per action (failed ones counted as failed only, so the counts add up to the records), each with the
 * first names of the records worth a look; records the map file changed are named first.
 */
function counts(result: OperationResult, esc: (text: unknown, max?: number) => string): string[] {
  const records = result.records ?? [];
  if (records.length === 0) return [];
  const installed = records.some((r) => r.installationStatus);
  const changed = new Set((result.overrideChanges ?? []).map((c) => keyOf(c.record)));
  const tally = new Map<string, { count: number; first: string[]; rest: string[] }>();
  const actionOf = actionWords();
  for (const record of records) {
    const key = installed && record.installationStatus === FAILED ? FAILED : actionOf(record.action);
    let entry = tally.get(key);
    if (!entry) tally.set(key, (entry = { count: 0, first: [], rest: [] }));
    entry.count++;
    if (key !== FAILED && !ACTION_WORDS[key]?.named) continue;
    const names = changed.has(keyOf(record)) ? entry.first : entry.rest;
    if (names.length < NAMES_SHOWN)
      names.push(record.name ? esc(record.name, 60) : esc(shortId(record.sourceId)));
  }
  const part = (key: string, word: string): string | undefined => {
    const entry = tally.get(key);
    if (!entry) return undefined;
    const names = [...entry.first, ...entry.rest].slice(0, NAMES_SHOWN);
    if (names.length && entry.count > names.length) names.push(andMore(entry.count - names.length));
    const listed = names.length ? ` (${names.join(', ')})` : '';
    return `${entry.count.toLocaleString('en-US')} ${word}${listed}`;
  };
  const out: string[] = [];
  for (const [action, words] of Object.entries(ACTION_WORDS)) {
    const word = actionWord(action, installed);
    out.push(part(action, word) ?? (words.always ? `0 ${word}` : ''));
  }
  for (const action of tally.keys()) {
    if (action !== FAILED && !ACTION_WORDS[action])
      out.push(part(action, actionWord(esc(action, 40), installed)) as string);
  }
  if (installed) out.push(part(FAILED, 'failed') ?? '0 failed');
  return out.filter(Boolean);
}

/** Where the earlier installation can be read: the API's address of it, when its id is a plain id. */
function installationLink(result: OperationResult, id: string, format: VerdictFormat): string {
  const label = `installation ${shortId(id)}`;
  if (format === 'text' || !isId(id)) return format === 'text' ? plain(label) : md(label);
  try {
    const base = resolveApiBase(result.target.url).base.replace(/[()]/g, encodeURIComponent);
    return `[${label}](${base}/installations/${id})`;
  } catch {
    return label;
  }
}

function more(result: OperationResult, format: VerdictFormat): string[] {
  const esc = escaper(format);
  const out: string[] = [];
  const installation = result.installation;
  if (result.skipped && installation) {
    const at = installation.registeredAt ? ` on ${esc(when(installation.registeredAt))}` : '';
    const status = installation.status ? ` (${esc(installation.status)})` : '';
    out.push(`installed earlier by ${installationLink(result, installation.id, format)}${at}${status}`);
  }
  if (result.rollbackUntil) out.push(`rollback in the Workfront UI until ${esc(when(result.rollbackUntil))}`);
  return out;
}

function plan(result: OperationResult, format: VerdictFormat): string | undefined {
  if (result.operation !== 'prepare' || !result.planHash) return undefined;
  const hash = escaper(format)(result.planHash.slice(0, 12));
  return `nothing installed; plan ${format === 'markdown' ? `\`${hash}\`` : hash}`;
}

/** The verdict in parts, for a report that lays them out itself (the summary's heading and first line). */
export function verdictParts(result: OperationResult, format: VerdictFormat = 'markdown'): VerdictParts {
  const esc = escaper(format);
  const failed = result.outcome !== 'succeeded' && result.outcome !== 'skipped';
  const firstLine = failed && result.error ? result.error.split('\n')[0].replace(/[:\s]+$/, '') : '';
  return {
    mark: MARK[result.outcome],
    title: title(result, esc),
    counts: result.skipped ? [] : counts(result, esc),
    reason: firstLine ? esc(firstLine, 300) : undefined,
    more: more(result, format),
    plan: plan(result, format),
  };
}

/**
 * One line: `✅ Install "Release 7" v3 into acme.my.workfront.com (production): 37 created, 15 reused,
 * 1 overwritten (New Agency Offboarding), 1 ignored, 0 failed; rollback in the Workfront UI until …`.
 */
export function verdict(result: OperationResult, format: VerdictFormat = 'markdown'): string {
  const parts = verdictParts(result, format);
  const counted = parts.counts.length ? `: ${parts.counts.join(', ')}` : '';
  const tail = [parts.reason, ...parts.more, parts.plan].filter(Boolean).map((text) => `; ${text}`);
  return `${parts.mark} ${parts.title}${counted}${tail.join('')}`;
}
