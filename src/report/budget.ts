// One byte budget over a report's blocks, for the job summary and the pull-request comment alike: the fixed lines
// first, then each list gets a share of the bytes left, its rows are cut to the share, and `… and N more` says
// what was left out.

/**
 * A list cut to its share of the budget. Rows are made on demand, one at a time, and only as many as could ever
 * fit are made: a table of 50,000 records is never rendered whole.
 */
export interface List {
  count: number;
  row: (index: number) => string;
  /** Lines before the rows (heading, `<details>`, table header) and after them. */
  head: string[];
  foot: string[];
  /** Lines before the cut line instead of `head` when not one row fits; no longer than `head`. */
  bareHead?: string[];
  /** The line after the rows when some are left out (`… and N more`); no longer for fewer left. */
  more: (left: number) => string;
  /** Gets what the other lists leave, not a share. */
  last?: boolean;
}

export type Block = string[] | List;

/** The bytes of lines joined by line breaks, a break counted after each. */
const bytes = (lines: readonly string[]): number =>
  lines.reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0);

/** What a list takes besides its rows, its cut line at the longest (every row left out) included. */
const frame = (list: List): number =>
  Math.max(bytes(list.head), bytes(list.bareHead ?? [])) +
  bytes(list.foot) +
  (list.count ? bytes(['', list.more(list.count)]) : 0);

/** The bytes of a list's rows, counted only until they pass `limit`: no share is larger than that. */
function rowsSize(list: List, limit: number): number {
  let size = 0;
  for (let i = 0; i < list.count && size <= limit; i++) size += bytes([list.row(i)]);
  return size;
}

/**
 * Each list's share of `free` bytes, smallest need first: a list gets what it needs or an equal share of what is
 * still free, whichever is less, so a short list shows whole and passes the rest on. The `last` lists then share
 * what the others leave.
 */
function shares(lists: readonly List[], free: number): Map<List, number> {
  const out = new Map<List, number>();
  let left = Math.max(0, free);
  const give = (list: List, need: number, among: number) => {
    const share = Math.min(need, Math.floor(left / among));
    out.set(list, share);
    left -= share;
  };
  const shared = lists.filter((l) => !l.last).map((list) => ({ list, need: rowsSize(list, free) }));
  shared.sort((a, b) => a.need - b.need);
  shared.forEach(({ list, need }, index) => give(list, need, shared.length - index));
  const last = lists.filter((l) => l.last);
  last.forEach((list, index) => give(list, Infinity, last.length - index));
  return out;
}

/** The rows that fit in `allowance` bytes, then `… and N more` when any are left out. */
function cut(list: List, allowance: number): string[] {
  const rows: string[] = [];
  let used = 0;
  while (rows.length < list.count) {
    const line = list.row(rows.length);
    used += bytes([line]);
    if (used > allowance) break;
    rows.push(line);
  }
  const left = list.count - rows.length;
  const head = !rows.length && left && list.bareHead ? list.bareHead : list.head;
  return [...head, ...rows, ...(left ? ['', list.more(left)] : []), ...list.foot];
}

/**
 * The blocks in order, the lists cut so that the whole stays within `budget` bytes (when the fixed lines alone
 * do).
 */
export function layout(blocks: readonly Block[], budget: number): string {
  const lists = blocks.filter((b): b is List => !Array.isArray(b));
  const fixed =
    bytes(blocks.filter((b): b is string[] => Array.isArray(b)).flat()) +
    lists.reduce((sum, list) => sum + frame(list), 0);
  const allowance = shares(lists, budget - fixed);
  return blocks
    .flatMap((block) => (Array.isArray(block) ? block : cut(block, allowance.get(block) ?? 0)))
    .join('\n');
}
