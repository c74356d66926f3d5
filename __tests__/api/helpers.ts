// A scripted HTTP server on 127.0.0.1 and a fake clock, for the client's tests.
import { expect } from '@jest/globals';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createClient,
  WorkfrontError,
  type ClientOptions,
  type LogLevel,
  type Lookup,
} from '../../src/api/index.js';

export interface Recorded {
  method: string;
  /** Path and query as received. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** A string is sent as it is; anything else as JSON. */
  body?: unknown;
  /** Answer after this many ms (a request timeout shorter than it fires first). */
  delayMs?: number;
  /** Close the connection without answering, after the request was read (and handled). */
  drop?: boolean;
}

export type Script = Reply | Reply[] | ((request: Recorded) => Reply | Promise<Reply>);

export interface TestServer {
  origin: string;
  /** The API base at this server. */
  url: string;
  requests: Recorded[];
  /** Requests to `METHOD /path` (path below the API base, without query). */
  sent(route: string): Recorded[];
  close(): Promise<void>;
}

const API = '/environment-promotion/api/v1';

/**
 * Routes are `METHOD /path` below the API base (no query), or an absolute path for other endpoints (token URLs
 * start with `/ims` or `/integrations`). A list of replies is used in order, its last one repeating.
 */
export async function startServer(routes: Record<string, Script>): Promise<TestServer> {
  const requests: Recorded[] = [];
  const used = new Map<string, number>();
  const keyOf = (method: string, url: string) => `${method} ${url.split('?')[0].replace(API, '')}`;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded = {
        method: req.method!,
        url: req.url!,
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      };
      requests.push(recorded);
      const key = keyOf(recorded.method, recorded.url);
      const script = routes[key];
      const next = (): Reply | Promise<Reply> => {
        if (script === undefined) return { status: 404, body: { error: { message: `no route ${key}` } } };
        if (typeof script === 'function') return script(recorded);
        if (!Array.isArray(script)) return script;
        const n = used.get(key) ?? 0;
        used.set(key, n + 1);
        return script[Math.min(n, script.length - 1)];
      };
      void Promise.resolve(next()).then((reply) => answer(res, reply));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: `${origin}${API}`,
    requests,
    sent: (route) => requests.filter((r) => keyOf(r.method, r.url) === route),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function answer(res: ServerResponse, reply: Reply): void {
  const send = () => {
    if (res.destroyed) return;
    if (reply.drop) {
      res.socket?.destroy();
      return;
    }
    const text =
      reply.body === undefined
        ? ''
        : typeof reply.body === 'string'
          ? reply.body
          : JSON.stringify(reply.body);
    const type = typeof reply.body === 'string' ? 'text/plain' : 'application/json';
    res.writeHead(reply.status ?? 200, { 'Content-Type': type, ...reply.headers });
    res.end(text);
  };
  if (reply.delayMs) setTimeout(send, reply.delayMs).unref();
  else send();
}

/** A clock that sleeps instantly: `sleep` advances `now` and records the wait. */
export function fakeClock(start = Date.now()) {
  let time = start;
  const slept: number[] = [];
  return {
    now: () => time,
    sleep: async (ms: number) => {
      slept.push(ms);
      time += ms;
    },
    advance: (ms: number) => {
      time += ms;
    },
    slept,
  };
}

export interface LogLine {
  level: LogLevel;
  message: string;
}

// Every text a test client produced and every secret it reported, for expectNoLeaks().
const produced: string[] = [];
const reported = new Set<string>();

/** Fails when a secret any test client reported appears in anything logged or in an error message; then resets. */
export function expectNoLeaks(): void {
  const leaks = produced.filter((text) => [...reported].some((secret) => text.includes(secret)));
  produced.length = 0;
  reported.clear();
  expect(leaks).toEqual([]);
}

/** A client on the server with an API key, instant sleeps, no jitter surprises (random 0.5), and a log. */
export function testClient(server: TestServer, options: Partial<ClientOptions> = {}) {
  const clock = fakeClock();
  const logs: LogLine[] = [];
  const secrets: string[] = [];
  const client = createClient({
    baseUrl: server.origin,
    auth: { kind: 'api-key', apiKey: 'key-SECRET-0001' },
    version: '1.2.3',
    requestTimeoutMs: 2_000,
    maxRetries: 3,
    clock,
    random: () => 0.5,
    log: (level, message) => {
      logs.push({ level, message });
      produced.push(message);
    },
    onSecret: (value) => {
      secrets.push(value);
      reported.add(value);
    },
    ...options,
  });
  return { client, clock, logs, secrets };
}

/** The WorkfrontError a promise rejects with, to assert on. */
export async function failure(promise: Promise<unknown>): Promise<WorkfrontError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof WorkfrontError) {
      produced.push(error.message, error.stack ?? '');
      return error;
    }
    throw error;
  }
  throw new Error('expected a failure');
}

/** The lookup of a POST whose answer is not lost in the test: it finds nothing, and is not waited for. */
export const NOTHING_TO_FIND: Lookup<never> = { withinMs: 0, find: async () => undefined };
