// The byte budget the job summary and the pull-request comment share: how the lists divide it, and that the whole
// never passes it.
import { describe, expect, it } from '@jest/globals';
import { type Block, layout, type List } from '../src/report/budget.js';

/** Rows of 10 bytes with their line break: `A0000000.`. */
const tenBytes = (name: string) => (i: number) => `${name}${String(i).padStart(7, '0')}.`;

function list(name: string, count: number, options: Partial<List> = {}): List {
  return {
    count,
    row: tenBytes(name),
    head: [`## ${name}`],
    foot: [''],
    more: (left) => `… and ${left} more`,
    ...options,
  };
}

/** How many rows a list shows and how many its cut line says it left out (0 when it has none). */
function shown(text: string, name: string): { rows: number; more: number } {
  const lines = text.split('\n');
  const start = lines.indexOf(`## ${name}`) + 1;
  expect(start).toBeGreaterThan(0);
  const end = lines.indexOf('', start);
  const cut = /^… and (\d+) more$/.exec(lines[end + 1] ?? '');
  return { rows: end - start, more: cut ? Number(cut[1]) : 0 };
}

describe('layout', () => {
  it('gives long lists equal shares and uses the budget', () => {
    const budget = 20_000;
    const text = layout([['# Report', ''], list('A', 5_000), list('B', 5_000)], budget);
    const a = shown(text, 'A');
    const b = shown(text, 'B');
    expect(Math.abs(a.rows - b.rows)).toBeLessThanOrEqual(1);
    expect(a.rows).toBeGreaterThan(900);
    expect([a.rows + a.more, b.rows + b.more]).toEqual([5_000, 5_000]);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(budget);
    // Left over: less than a row of each list.
    expect(Buffer.byteLength(text)).toBeGreaterThan(budget - 2 * 10 - 1);
  });

  it('shows a short list whole and passes what it leaves to the others', () => {
    const budget = 20_000;
    const text = layout([list('A', 5_000), list('S', 5), list('B', 5_000)], budget);
    expect(shown(text, 'S')).toEqual({ rows: 5, more: 0 });
    const a = shown(text, 'A');
    const b = shown(text, 'B');
    expect(Math.abs(a.rows - b.rows)).toBeLessThanOrEqual(1);
    expect(a.rows).toBeGreaterThan(900);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(budget);
    // Left over: less than a row of each long list, and the cut line kept for the short one.
    expect(Buffer.byteLength(text)).toBeGreaterThan(
      budget - 2 * 10 - Buffer.byteLength('\n… and 5 more\n') - 1,
    );
  });

  it('gives the last list what the others leave, and nothing before they have their share', () => {
    const budget = 20_000;
    const rest = layout([list('S', 100), list('L', 5_000, { last: true })], budget);
    expect(shown(rest, 'S')).toEqual({ rows: 100, more: 0 });
    const l = shown(rest, 'L');
    expect(l.rows).toBeGreaterThan(1_800);
    expect(l.rows + l.more).toBe(5_000);
    expect(Buffer.byteLength(rest)).toBeGreaterThan(
      budget - 10 - Buffer.byteLength('\n… and 100 more\n') - 1,
    );

    // Placed first, the last list still waits for the others.
    const crowded = layout([list('L', 5_000, { last: true }), list('A', 5_000)], budget);
    expect(shown(crowded, 'L')).toEqual({ rows: 0, more: 5_000 });
    expect(shown(crowded, 'A').rows).toBeGreaterThan(1_900);
  });

  it('says how many rows it left out, each list with its own words', () => {
    const text = layout(
      [list('A', 12_345, { more: (left) => `… and ${left.toLocaleString('en-US')} more in the summary` })],
      1_000,
    );
    const lines = text.split('\n');
    const rows = lines.filter((line) => line.startsWith('A')).length;
    expect(rows).toBeGreaterThan(50);
    expect(lines).toContain(`… and ${(12_345 - rows).toLocaleString('en-US')} more in the summary`);
  });

  it('shows the bare head and the cut line when not one row fits', () => {
    const wide = list('W', 3, {
      row: (i) => `${i}`.repeat(5_000),
      head: ['## W', '', '| header |', '| --- |'],
      bareHead: ['## W'],
    });
    const text = layout([wide], 1_000);
    expect(text).toBe('## W\n\n… and 3 more\n');
  });

  it('never passes the budget, whatever the rows hold', () => {
    // Rows of 1 to 300 characters of 1, 2, 3 and 4 bytes each, the cut lines and heads multi-byte too.
    let seed = 7;
    const random = (n: number) => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % n;
    const chars = ['a', 'é', '漢', '😀', '|', '&'];
    const rows = Array.from({ length: 3_000 }, () =>
      Array.from({ length: 1 + random(300) }, () => chars[random(chars.length)]).join(''),
    );
    // From a budget the heads and cut lines alone nearly fill, to one that holds nearly every row.
    for (const budget of [1_000, 4_096, 20_000, 65_536, 300_000, 2_000_000]) {
      const blocks: Block[] = [
        ['# 報告 😀', ''],
        list('漢A', 3_000, { row: (i) => rows[i] }),
        list('B', 40, { row: (i) => rows[(i * 7) % rows.length], more: (left) => `… 😀 ${left} 漢字` }),
        ['plain 😀'.repeat(20), ''],
        list('C', 2_000, { row: (i) => rows[2_999 - i], bareHead: ['## C'], last: true }),
      ];
      const text = layout(blocks, budget);
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(budget);
      for (const [name, count] of [
        ['漢A', 3_000],
        ['C', 2_000],
      ] as const) {
        const { rows: shownRows, more } = shown(text, name);
        expect(shownRows + more).toBe(count);
      }
    }
  });

  it('renders rows on demand, never more than could fit', () => {
    let rendered = 0;
    const huge = list('H', 50_000_000, {
      row: (i) => {
        rendered++;
        return tenBytes('H')(i);
      },
    });
    const text = layout([huge, list('S', 10)], 10_000);
    expect(shown(text, 'H').more).toBeGreaterThan(49_000_000);
    // Measured up to the budget, then cut to its share: about 1,000 and 1,000 rows of 10 bytes.
    expect(rendered).toBeLessThan(2_100);
  });
});
