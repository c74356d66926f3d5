// Hostile answers: names holding Markdown, HTML, ANSI escapes, line breaks and workflow commands; huge and
// deeply nested bodies. Nothing reaches the log's commands, the outputs or the summary; big answers are capped.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '../../simulator/index.js';
import { runAction, type ActionRun } from '../e2e/harness.js';
import { scratchDir } from '../scratch.js';

/** Every trick at once; each line break would start a workflow command if the text reached the log raw. */
const HOSTILE = [
  'Evil **bold** <img src=x onerror=alert(1)> | cell | [link](javascript:alert(1)) `code`',
  '::set-output name=outcome::skipped',
  '::add-mask::visible-words',
  '::stop-commands::pwned',
  '\u001b[31mred\u001b[0m %0A::error::injected\r::warning::carriage',
  '# heading',
].join('\n');

const OUTPUT_NAMES = [
  'outcome',
  'package-id',
  'package-name',
  'package-status',
  'previous-status',
  'changed',
  'package-version',
  'published-at',
  'installation-id',
  'installation-status',
  'created-count',
  'registered-count',
  'overwritten-count',
  'ignored-count',
  'failed-count',
  'skipped',
  'plan-hash',
  'translation-map-file',
  'definition-file',
  'result',
];

const ESC = String.fromCharCode(0x1b);
const COMMAND = /^::(add-mask|debug|group|endgroup|error|warning|notice)( [^:]*)?::/;

/** The log's commands are the action's own; the masks only the credential's. */
function expectNoInjection(run: ActionRun, credential: string, outcome = 'failed'): void {
  const lines = run.stdout.split(/\r?\n|\r/);
  const commands = lines.filter((line) => line.startsWith('::'));
  expect(commands.filter((line) => !COMMAND.test(line))).toEqual([]);
  expect(commands.filter((line) => line.startsWith('::add-mask::'))).toEqual([`::add-mask::${credential}`]);
  expect(run.stdout).not.toContain(ESC);
  expect(Object.keys(run.outputs).sort()).toEqual([...OUTPUT_NAMES].sort());
  expect(run.outputs.outcome).toBe(outcome);
  expect(() => JSON.parse(run.outputs.result)).not.toThrow();
  for (const [name, value] of Object.entries(run.outputs))
    if (name !== 'package-name' && name !== 'result') expect(value).not.toMatch(/::|\n|\[31m/);
  expect(run.summary).not.toContain(ESC);
  expect(run.summary).not.toMatch(/<img|<script|^::|\[link\]\(javascript/m);
  for (const text of Object.values(run.files)) expect(() => JSON.parse(text)).not.toThrow();
}

describe('hostile names from the server', () => {
  let sim: Simulator;
  let packageId: string;
  let templateId: string;
  const inputs = (extra: Record<string, string>) => ({
    url: sim.environments.sandbox.url,
    'api-key': sim.credentials.apiKey,
    'environment-kind': 'sandbox',
    'poll-interval': '1s',
    ...extra,
  });

  beforeAll(async () => {
    sim = await startSimulator({ assemblyMs: 50, installMs: 50 });
    const templates = sim.control.generateTemplates('preview', 1, 2, HOSTILE);
    templateId = templates.templateIds[0];
    packageId = sim.control.makePackage({
      name: HOSTILE,
      description: HOSTILE,
      objectCollections: templates.objectCollections,
      status: 'TESTING',
    }).id;
  });
  afterAll(async () => sim.stop());

  it('get, list and installations: the name is data, never a command', async () => {
    const runs = await Promise.all([
      runAction(inputs({ operation: 'get', 'package-id': packageId })),
      runAction(inputs({ operation: 'list', name: 'Evil*' })),
      runAction(inputs({ operation: 'installations', 'package-id': packageId })),
    ]);
    for (const run of runs) {
      expect(run.code).toBe(0);
      expectNoInjection(run, sim.credentials.apiKey, 'succeeded');
    }
    // The name is kept as data, on one line: an output never breaks its line.
    expect(runs[0].outputs['package-name']).toBe(
      HOSTILE.replace(/\r\n|[\r\n\t]/g, ' ')
        .replaceAll(`${ESC}[31m`, '')
        .replaceAll(`${ESC}[0m`, ''),
    );
    expect(runs[1].outputs['package-id']).toBe(packageId);
  });

  it('install with a map file ignoring the template (and its dependants): records named by the server', async () => {
    const mapFile = join(scratchDir('hostile'), `map-${packageId}.yml`);
    writeFileSync(mapFile, `TMPL:\n  ${templateId}: {action: IGNORE}\n`);
    const run = await runAction(
      inputs({ operation: 'install', 'package-id': packageId, 'map-file': mapFile }),
    );
    const error = run.stdout.split('\n').filter((line) => line.startsWith('::error'));
    expect({ code: run.code, outcome: run.outputs.outcome, error }).toEqual({
      code: 0,
      outcome: 'succeeded',
      error: [],
    });
    expect(run.stdout).toMatch(/IGNORE TTSK \w+ "Task 1": it depends on TMPL/);
    expectNoInjection(run, sim.credentials.apiKey, 'succeeded');
  });

  it('install without a map, then skipped: the records table holds the names, escaped', async () => {
    const other = sim.control.makePackage({
      name: HOSTILE,
      objectCollections: sim.control.generateTemplates('preview', 1, 2, HOSTILE).objectCollections,
      status: 'TESTING',
    }).id;
    const first = await runAction(inputs({ operation: 'install', 'package-id': other }));
    const again = await runAction(inputs({ operation: 'install', 'package-id': other }));
    expect([first.outputs.outcome, again.outputs.outcome]).toEqual(['succeeded', 'skipped']);
    expectNoInjection(first, sim.credentials.apiKey, 'succeeded');
    expectNoInjection(again, sim.credentials.apiKey, 'skipped');
    expect(first.summary).toContain('&lt;img');
  });
});

interface Hostile {
  url: string;
  close(): Promise<void>;
}

/** A server whose every answer to GET /packages/p1 is `answer`'s. */
async function hostileServer(answer: (res: import('node:http').ServerResponse) => void): Promise<Hostile> {
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => answer(res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('hostile bodies', () => {
  const KEY = 'hostile-body-api-key-000111';
  const get = (url: string) => runAction({ operation: 'get', url, 'api-key': KEY, 'package-id': 'p1' });

  /** Sends `total` bytes of a JSON string in 1 MiB chunks, without announcing the length. */
  const stream = (total: number) => (res: import('node:http').ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(1024 * 1024, 'x');
    let sent = 0;
    res.write('{"data":{"id":"p1","name":"');
    const pump = () => {
      while (sent < total && !res.destroyed) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      if (!res.destroyed) res.end('"}}');
    };
    res.on('error', () => undefined);
    pump();
  };

  it.each([
    ['a streamed body past the 64 MiB cap', stream(80 * 1024 * 1024), /answered more than 67108864 bytes/],
    [
      'a Content-Length of 10 GB',
      (res: import('node:http').ServerResponse) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(10 * 1024 ** 3) });
        res.write('{"data":');
      },
      /answered more than 67108864 bytes/,
    ],
    [
      'JSON nested 100,000 deep',
      (res: import('node:http').ServerResponse) => res.end('['.repeat(100_000) + ']'.repeat(100_000)),
      /nested at most 64 levels/,
    ],
    [
      'a package whose field is nested 10,000 deep',
      (res: import('node:http').ServerResponse) =>
        res.end(`{"data":{"id":"p1","status":"DRAFT","x":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}}`),
      /nested at most 64 levels/,
    ],
    [
      'an error whose message is hostile',
      (res: import('node:http').ServerResponse) => {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: HOSTILE } }));
      },
      /GET \/packages\/p1 answered 400/,
    ],
  ])('%s: refused, named, nothing injected', async (_name, answer, message) => {
    const server = await hostileServer(answer);
    try {
      const run = await get(server.url);
      expect(run.code).toBe(1);
      const error = run.stdout.split('\n').find((line) => line.startsWith('::error::')) ?? '';
      expect(error).toMatch(/GET \/packages\/p1/);
      expect(error).toMatch(message);
      // Refused on what arrived, not after waiting out a request timeout (a time limit would fail on a busy machine).
      expect(run.stdout).not.toMatch(/timed out/);
      expectNoInjection(run, KEY);
    } finally {
      await server.close();
    }
  });
});
