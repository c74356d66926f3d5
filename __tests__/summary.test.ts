import { describe, expect, it } from '@jest/globals';
import { marked } from 'marked';
import { renderSummary, SUMMARY_LIMIT_BYTES } from '../src/report/summary.js';
import type { OperationResult } from '../src/result.js';
import { countRecords, type DependentIgnore, type MapRecord } from '../src/translation-map.js';

const id = (prefix: string, i: number) => `${prefix}${i.toString(16)}`.padEnd(32, '0');

function base(changes: Partial<OperationResult>): OperationResult {
  return {
    operation: 'install',
    outcome: 'succeeded',
    changed: true,
    target: { url: 'https://acme.my.workfront.com', host: 'acme.my.workfront.com', kind: 'production' },
    package: { id: 'a'.repeat(32), name: 'Agency onboarding 2026.11', version: 4, status: 'ACTIVE' },
    installationId: 'b'.repeat(32),
    installation: { id: 'b'.repeat(32), status: 'INSTALLED' },
    warnings: [],
    notes: [],
    phases: [],
    startedAt: 0,
    endedAt: 1000,
    ...changes,
  };
}

/**
 * The worst case issue 16 measured, and more: 20,000 records of which 5,000 FAILED with long reasons, 20,000
 * dependants ignored, 5,000 overrides each with a warning, long names everywhere.
 */
function huge(): OperationResult {
  const name = (i: number) =>
    `Template task number ${i} of the agency onboarding template, with its long name`;
  const records: MapRecord[] = Array.from({ length: 20_000 }, (_, i) => ({
    objCode: ['TMPL', 'TTSK', 'TASSGN', 'PTLTAB'][i % 4],
    sourceId: id('1', i),
    name: name(i),
    action: ['CREATE', 'USEEXISTING', 'OVERWRITING', 'IGNORE'][i % 4],
    targetId: i % 4 === 3 ? undefined : id('2', i),
    installationStatus: i % 4 === 0 ? 'FAILED' : 'INSTALLED',
    reason: i % 4 === 0 ? `Invalid Custom Expression in field ${'x'.repeat(200)} ${i}` : undefined,
  }));
  const dependents: DependentIgnore[] = Array.from({ length: 20_000 }, (_, i) => ({
    record: { objCode: 'TTSK', sourceId: id('3', i), name: name(i), action: 'CREATE' },
    because: records[(i * 4 + 3) % records.length],
  }));
  const overrideChanges = Array.from({ length: 5_000 }, (_, i) => ({
    record: { ...records[i * 4 + 2] },
    from: 'USEEXISTING',
    to: 'OVERWRITING',
    fromTarget: id('4', i),
    toTarget: id('2', i * 4 + 2),
  }));
  return base({
    outcome: 'failed',
    error: `installation ${'b'.repeat(32)} ended INSTALLED but 5,000 records FAILED`,
    records,
    counts: countRecords(records),
    dependents,
    overrideChanges,
    warnings: overrideChanges.map(
      (c) =>
        `TTSK ${c.record.sourceId} "${c.record.name}": USEEXISTING → OVERWRITING replaces the target's record`,
    ),
    translationMapFile: '/runner/temp/workfront-map.json',
  });
}

describe('summary byte budget', () => {
  it('stays under 1 MiB with 20,000 records, 20,000 dependants, 5,000 overrides and 5,000 failed records', () => {
    const text = renderSummary(huge());
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(SUMMARY_LIMIT_BYTES);
    // Every section is there and every cut one says how much it left out.
    for (const heading of [
      '#### Records per objCode (20,000 records in 4 objCodes)',
      '#### Failed records (5,000)',
      '#### What the map file changes (5,000)',
      '#### Ignored as dependants of ignored records (20,000)',
      '#### All records (20,000)',
    ])
      expect(text).toContain(heading);
    const cuts = [...text.matchAll(/^… and ([\d,]+) more/gm)].map((m) => Number(m[1].replace(/,/g, '')));
    expect(cuts.length).toBeGreaterThanOrEqual(5);
    // The totals row and the folded details survive the cuts.
    expect(text).toMatch(/^\| \*\*total\*\* \| \*\*20,000\*\* \|/m);
    expect(text).toContain('<details><summary>Package, installation and timing</summary>');
  });

  it('shares the budget: the failed records are not crowded out by the dependants', () => {
    const text = renderSummary(huge());
    const section = (heading: string) => {
      const start = text.indexOf(heading);
      return text.slice(start, text.indexOf('\n#### ', start + 1));
    };
    const rows = (heading: string) =>
      section(heading)
        .split('\n')
        .filter((l) => l.startsWith('| ')).length - 2;
    expect(rows('#### Failed records')).toBeGreaterThan(200);
    expect(rows('#### What the map file changes')).toBeGreaterThan(200);
    expect(rows('#### Ignored as dependants')).toBeGreaterThan(200);
  });

  it('keeps every table whole when it fits, with no cut line', () => {
    const records: MapRecord[] = Array.from({ length: 300 }, (_, i) => ({
      objCode: 'TMPL',
      sourceId: id('1', i),
      name: `Template ${i}`,
      action: 'CREATE',
      targetId: id('2', i),
      installationStatus: 'INSTALLED',
    }));
    const text = renderSummary(base({ records, counts: countRecords(records) }));
    expect(text).not.toMatch(/… and \d+ more/);
    expect(text.match(/^\| Template \d+ \|/gm)).toHaveLength(300);
  });

  it('renders as HTML whose tables have every row of the source', async () => {
    const text = renderSummary(huge());
    const html = await marked.parse(text);
    const markdownRows = text.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| ---')).length;
    expect((html.match(/<tr>/g) ?? []).length).toBe(markdownRows);
  });
});

describe('summary with hostile server text', () => {
  const evil = '<img src=x onerror=alert(1)>|[link](https://evil.example)`code`\n::warning::x **b**';
  it('renders every server string as text, and no cell breaks its table', () => {
    const record = (i: number): MapRecord => ({
      objCode: `${evil}${i}`,
      sourceId: `${evil}${i}`,
      name: evil,
      action: evil,
      targetId: evil,
      installationStatus: i ? evil : 'FAILED',
      reason: evil,
    });
    const records = [record(0), record(1), { ...record(2), targetName: evil } as MapRecord];
    const text = renderSummary(
      base({
        package: { id: evil, name: evil, version: 1, status: evil, publishedAt: evil },
        installationId: evil,
        installation: { id: evil, status: evil, registeredAt: evil },
        records,
        counts: countRecords(records),
        overrideChanges: [
          {
            record: records[2],
            from: evil,
            to: evil,
            fromTarget: evil,
            toTarget: evil,
            toTargetName: evil,
          } as never,
        ],
        dependents: [{ record: records[1], because: records[0] }],
        warnings: [evil],
        notes: [evil],
        error: `${evil}\n- ${evil}\n${evil}`,
        outcome: 'failed',
        rollbackUntil: evil,
      }),
    );
    expect(text).not.toMatch(/<img|\]\(https:\/\/evil|^::/m);
    expect(text).toContain('&lt;img');
    // Every row of a table has as many cells as its header.
    const lines = text.split('\n');
    lines.forEach((line, i) => {
      if (!line.startsWith('| ') || lines[i - 1]?.startsWith('| ')) return;
      const cells = (l: string) => l.replace(/\\\|/g, '').split('|').length;
      for (let j = i; lines[j]?.startsWith('| '); j++) expect([j, cells(lines[j])]).toEqual([j, cells(line)]);
    });
  });
});
