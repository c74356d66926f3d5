// A scripted Workfront stand-in for one hostile case, on 127.0.0.1: each route answers what the case says,
// and the server closes itself after `lifetimeMs`, so a case that goes wrong cannot keep it open. Also the
// checker of the runner's command grammar that every hostile case applies to the action's real stdout.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const API_PATH = '/environment-promotion/api/v1';

export interface Answer {
  status?: number;
  /** The HTTP reason phrase (server text like any other). */
  reason?: string;
  headers?: Record<string, string>;
  /** JSON unless a string. */
  body?: unknown;
}

export interface Seen {
  method: string;
  /** Below the API base when under it, without the query. */
  path: string;
  body: string;
}

/** One answer, answers in turn (the last repeated), or a function of the request. */
export type Route = Answer | Answer[] | ((request: Seen) => Answer);

export interface Scripted {
  url: string;
  requests: Seen[];
  close(): Promise<void>;
}

/** Routes are keyed `METHOD /path`; `*` in a key matches any run of characters. Unscripted: 404. */
export async function scriptedServer(routes: Record<string, Route>, lifetimeMs = 60_000): Promise<Scripted> {
  const requests: Seen[] = [];
  const turns = new Map<string, number>();
  const table = Object.entries(routes).map(([key, route]) => ({
    key,
    pattern: new RegExp(`^${key.split('*').map(escapeRegExp).join('.*')}$`),
    route,
  }));
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = (req.url ?? '').split('?')[0];
      const path = raw.startsWith(API_PATH) ? raw.slice(API_PATH.length) : raw;
      const seen = { method: req.method ?? '', path, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(seen);
      const match = table.find((entry) => entry.pattern.test(`${seen.method} ${seen.path}`));
      let answer: Answer = { status: 404, body: { error: { message: 'not scripted' } } };
      if (match && typeof match.route === 'function') answer = match.route(seen);
      else if (Array.isArray(match?.route)) {
        const turn = turns.get(match.key) ?? 0;
        turns.set(match.key, turn + 1);
        answer = match.route[Math.min(turn, match.route.length - 1)];
      } else if (match) answer = match.route as Answer;
      const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? null);
      const type = typeof answer.body === 'string' ? 'text/plain' : 'application/json';
      const headers = { 'content-type': type, ...answer.headers };
      if (answer.reason === undefined) res.writeHead(answer.status ?? 200, headers);
      else res.writeHead(answer.status ?? 200, answer.reason, headers);
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () =>
    new Promise<void>((resolve) => {
      clearTimeout(timer);
      server.closeAllConnections();
      server.close(() => resolve());
    });
  const timer = setTimeout(() => void close(), lifetimeMs);
  timer.unref();
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, close };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const OWN_COMMAND = /^::(add-mask|debug|group|endgroup|error|warning|notice)( [^:\r\n]*)?::(.*)$/;

/**
 * Where the action's stdout breaks the runner's command grammar: `##[` anywhere (the runner's older form,
 * recognised mid-line), a `::` that is not at the start of one of the action's own commands, a command inside
 * another's data, and a line that begins with one of `serverTexts` (zero-width breaks ignored).
 */
export function grammarViolations(stdout: string, serverTexts: string[] = []): string[] {
  const violations: string[] = [];
  for (const line of stdout.split(/\r?\n|\r/)) {
    if (line.includes('##[')) violations.push(`##[ in: ${line}`);
    if (line.startsWith('::')) {
      const command = OWN_COMMAND.exec(line);
      if (!command) violations.push(`not one of the action's commands: ${line}`);
      else if (command[3].includes('::')) violations.push(`:: inside a command's data: ${line}`);
    } else if (line.includes('::')) violations.push(`:: after the start of: ${line}`);
    const start = line.replace(/\u200b/g, '').trimStart();
    for (const text of serverTexts)
      if (start.startsWith(text)) violations.push(`server text starts the line: ${line}`);
  }
  return violations;
}
