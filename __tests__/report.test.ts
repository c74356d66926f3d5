import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { OUTPUT_LIMIT_CHARS, outputsOf, RESULT_LIMIT_CHARS } from '../src/report/outputs.js';
import { renderSummary, SUMMARY_LIMIT_BYTES } from '../src/report/summary.js';
import { md, plain } from '../src/text.js';
import type { OperationResult } from '../src/result.js';
import { countRecords, type MapRecord } from '../src/translation-map.js';
import { installResult } from './results.js';

function result(changes: Partial<OperationResult> = {}): OperationResult {
  return installResult({
    package: {
      id: 'p1',
      name: 'Release 7',
      version: 3,
      status: 'ACTIVE',
      publishedAt: '2026-11-20T10:00:00.000Z',
    },
    installationId: 'i1',
    installation: { id: 'i1', status: 'INSTALLED' },
    phases: [{ name: 'Pre-run', startedAt: 0, endedAt: 1500, detail: 'pre-run i1' }],
    endedAt: 65_000,
    ...changes,
  });
}

function records(n: number): MapRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    objCode: i % 3 ? 'TTSK' : 'TMPL',
    sourceId: `${i}`.padStart(32, '0'),
    name: `Record number ${i} with a reasonably long descriptive name`,
    action: i % 2 ? 'CREATE' : 'USEEXISTING',
    targetId: i % 2 ? `${i}`.padStart(32, 'f') : `${i}`.padStart(32, 'e'),
    installationStatus: i % 97 === 0 ? 'FAILED' : i % 2 ? 'INSTALLED' : 'REGISTERED',
    reason: i % 97 === 0 ? 'Invalid Custom Expression' : undefined,
  }));
}

describe('outputs', () => {
  it('sets exactly the outputs action.yml declares, and counts records', () => {
    const list = records(10);
    const outputs = outputsOf(result({ records: list, counts: countRecords(list), planHash: 'abc' }));
    const action = parse(readFileSync(new URL('../action.yml', import.meta.url), 'utf8')) as {
      outputs: Record<string, unknown>;
    };
    expect(Object.keys(outputs).sort()).toEqual(Object.keys(action.outputs).sort());
    expect(outputs).toMatchObject({
      'package-id': 'p1',
      'package-version': '3',
      'created-count': '5',
      'registered-count': '5',
      'overwritten-count': '0',
      'failed-count': '1',
      'installation-status': 'INSTALLED',
    });
    const json = JSON.parse(outputs.result);
    expect(json['package-id']).toBe('p1');
    expect(json.counts.byObjCode.TMPL.actions).toEqual({ USEEXISTING: 2, CREATE: 2 });
  });
  it('leaves counts empty when there are no records', () => {
    expect(outputsOf(result({ operation: 'get' }))['created-count']).toBe('');
  });
  it('keeps result within its limit: a long package list is cut from the end, and says how many were left out', () => {
    const packages = Array.from({ length: 20_000 }, (_, i) => ({
      id: `${i}`.padStart(32, 'a'),
      name: `Quarterly release ${i} — 名前 with a long name`,
      status: 'ACTIVE',
      createdAt: '2026-11-30T10:00:00Z',
    }));
    const text = outputsOf(result({ operation: 'list', packages })).result;
    expect(text.length).toBeLessThanOrEqual(RESULT_LIMIT_CHARS);
    const json = JSON.parse(text);
    expect(json.packages.length).toBeGreaterThan(1000);
    expect(json.packages.length + json.packagesOmitted).toBe(20_000);
    expect(json.packages[0].id).toBe(packages[0].id);
    // As many as fit: one more would not.
    expect(
      JSON.stringify({ ...json, packages: packages.slice(0, json.packages.length + 1) }).length,
    ).toBeGreaterThan(RESULT_LIMIT_CHARS - 200);
    const short = JSON.parse(outputsOf(result({ operation: 'list', packages: packages.slice(0, 3) })).result);
    expect(short.packages).toHaveLength(3);
    expect(short).not.toHaveProperty('packagesOmitted');
  });
});

describe('a server sending thousands of distinct words', () => {
  // 20,000 records, each with an action, a status and an objCode of its own: 40 characters each.
  const hostile = Array.from({ length: 20_000 }, (_, i) => ({
    objCode: `OBJ${i}`.padEnd(40, 'x'),
    sourceId: `${i}`.padStart(32, '0'),
    name: `Record ${i}`,
    action: `ACTION${i}`.padEnd(40, 'y'),
    installationStatus: i % 2 ? 'FAILED' : `STATUS${i}`.padEnd(40, 'z'),
  }));
  it('names ten of them one by one and counts the rest as other, in counts, the summary and result', () => {
    const counts = countRecords(hostile);
    expect(Object.keys(counts.byAction)).toHaveLength(11);
    expect(counts.byAction.other).toBe(20_000 - 10);
    expect(Object.keys(counts.byStatus).length).toBeLessThanOrEqual(12);
    const text = renderSummary(result({ records: hostile, counts, outcome: 'failed' }));
    expect(Buffer.byteLength(text)).toBeLessThan(SUMMARY_LIMIT_BYTES);
    const outputs = outputsOf(result({ records: hostile, counts, outcome: 'failed' }));
    expect(outputs.result.length).toBeLessThanOrEqual(RESULT_LIMIT_CHARS);
    const json = JSON.parse(outputs.result);
    expect(json.byObjCodeOmitted).toBe(20_000);
    expect(json.counts.byAction.other).toBe(20_000 - 10);
  });
  it('keeps every output within its limit, whatever the length of a name a server sends', () => {
    const outputs = outputsOf(
      result({ package: { id: 'p1', name: 'n'.repeat(3_000_000), status: 'S'.repeat(100_000) } }),
    );
    expect(
      Math.max(
        ...Object.entries(outputs)
          .filter(([n]) => n !== 'result')
          .map(([, v]) => v.length),
      ),
    ).toBe(OUTPUT_LIMIT_CHARS);
    expect(outputs.result.length).toBeLessThanOrEqual(RESULT_LIMIT_CHARS);
  });
});

describe('summary', () => {
  it('leads with what was installed where, and whether it worked', () => {
    const list = records(200);
    const text = renderSummary(
      result({ records: list, counts: countRecords(list), outcome: 'failed', error: 'boom' }),
    );
    expect(text.split('\n')[0]).toBe(
      '### ❌ Install "Release 7" v3 into acme.my.workfront.com (production) — failed',
    );
    expect(text.split('\n')[2]).toBe(
      '**99 created, 98 reused, 0 overwritten, 0 ignored, 3 failed (Record number 0 with a reasonably long descriptive name, Record number 97 with a reasonably long descriptive name, Record number 194 with a reasonably long descriptive name)**.',
    );
    expect(text).toMatch(/#### Failed records \(3\)/);
    expect(text).toMatch(/Invalid Custom Expression/);
    expect(text).toMatch(/#### All records \(200\)\n\n<details><summary>Show 200 rows<\/summary>/);
  });
  it('stays under 1 MiB for 50,000 records and says what it left out', () => {
    const list = records(50_000);
    const text = renderSummary(
      result({ records: list, counts: countRecords(list), translationMapFile: '/tmp/map.json' }),
    );
    expect(Buffer.byteLength(text)).toBeLessThan(SUMMARY_LIMIT_BYTES);
    expect(text).toMatch(
      /… and [\d,]+ more to stay under GitHub's 1 MiB limit; every record is in the translation map file `\/tmp\/map.json`/,
    );
  });
  it('renders hostile names as text', () => {
    const name =
      '<img src=x onerror=alert(1)> | **bold** [link](http://x) \u001b[31mred\n::set-output name=x::y';
    const text = renderSummary(result({ package: { id: 'p1', name } }));
    expect(text).not.toContain('<img');
    expect(text).not.toContain('\u001b');
    expect(text).not.toMatch(/^::/m);
    expect(text).toContain('&lt;img');
  });
});

describe('text', () => {
  it('plain drops control characters, line breaks and workflow commands', () => {
    expect(plain('a\nb\r\n::add-mask::x\u001b[2Jc')).toBe('a b :\u200b:add-mask:\u200b:xc');
  });
  it('md escapes Markdown and HTML', () => {
    expect(md('*a* <b> | c_d')).toBe('\\*a\\* &lt;b&gt; &#124; c\\_d');
  });
});
