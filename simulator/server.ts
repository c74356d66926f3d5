// HTTP plumbing for one environment (or the IMS token host): body, log, faults, authentication, routing.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError, errorBody, OAuthError } from './errors.js';
import type { ActiveFault, Faults } from './faults.js';
import { redactBody, redactHeaders, type RequestLog, type RequestLogEntry } from './log.js';
import type { Tokens, TokenCheck } from './oauth.js';
import { API_ROUTES, type Reply } from './routes.js';
import type { EnvKey, Store } from './store.js';

export const API_BASE = '/environment-promotion/api/v1';
export const LEGACY_API_BASE = '/environment-promotion/v1';
const JWT_EXCHANGE_PATH = '/integrations/oauth2/api/v1/jwt/exchange';
export const IMS_TOKEN_PATH = '/ims/token/v3';
const ADMIN_PREFIX = '/__simulator';

export interface StaticCredentials {
  apiKey: string;
  sessionId: string;
  /** A static token accepted as `Authorization: Bearer` (the older revision's header), besides IMS tokens. */
  bearerToken: string;
}

export interface ServerContext {
  store: Store;
  tokens: Tokens;
  faults: Faults;
  log: RequestLog;
  credentials: StaticCredentials;
  /** The admin endpoints, served unauthenticated, unlogged and fault-free. */
  admin(method: string, path: string, query: URLSearchParams, body: unknown): Reply;
}

/** Far more than the 50,000-record benchmark needs. */
const MAX_BODY_BYTES = 256 * 1024 * 1024;
/** Kinds that change the processing or the answer rather than replacing the request. */
const PASS_THROUGH = new Set(['latency', 'slow-assembly', 'slow-install']);

class PayloadTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new PayloadTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function isForm(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded');
}

interface ParsedBody {
  /** JSON, form fields, or (not parsable) the start of the text. */
  value: unknown;
  /** Why the text is not JSON. */
  malformed?: string;
}

/** Parsed once, for the log and the handler alike: a 50,000-record map is 8 MB. */
function parseBody(req: IncomingMessage, text: string): ParsedBody {
  if (!text.trim()) return { value: undefined };
  if (isForm(req)) return { value: Object.fromEntries(new URLSearchParams(text)) };
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return { value: text.slice(0, 2000), malformed: (error as Error).message };
  }
}

function jsonBody(body: ParsedBody): unknown {
  if (body.malformed !== undefined) throw new ApiError(400, `Malformed JSON body: ${body.malformed}`);
  return body.value;
}

function serialize(reply: Reply): { text: string; type: string } {
  if (reply.body === undefined) return { text: '', type: 'text/plain; charset=utf-8' };
  if (typeof reply.body === 'string') return { text: reply.body, type: 'text/plain; charset=utf-8' };
  return { text: JSON.stringify(reply.body), type: 'application/json; charset=utf-8' };
}

function send(res: ServerResponse, reply: Reply, entry?: RequestLogEntry): void {
  const { text, type } = serialize(reply);
  res.writeHead(reply.status, {
    'content-type': type,
    'content-length': String(Buffer.byteLength(text)),
    ...reply.headers,
  });
  res.end(text);
  if (entry) entry.status = reply.status;
}

const apiError = (status: number, message: string, headers?: Record<string, string>): Reply => ({
  status,
  body: errorBody(status, message),
  headers,
});

function toReply(error: unknown): Reply {
  if (error instanceof ApiError) return apiError(error.status, error.message);
  if (error instanceof OAuthError)
    return { status: error.status, body: { error: error.code, error_description: error.message } };
  return apiError(500, `Internal error: ${error instanceof Error ? error.message : String(error)}`);
}

function formBody(req: IncomingMessage, text: string): URLSearchParams {
  if (!isForm(req))
    throw new OAuthError(400, 'invalid_request', 'the body must be application/x-www-form-urlencoded');
  return new URLSearchParams(text);
}

function authenticate(ctx: ServerContext, req: IncomingMessage, env: EnvKey): void {
  const { apiKey, sessionId, bearerToken } = ctx.credentials;
  const header = (name: string) => {
    const value = req.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const checks: TokenCheck[] = [];
  const key = header('apikey');
  if (key !== undefined) checks.push(key === apiKey ? 'valid' : 'unknown');
  const session = header('sessionid');
  if (session !== undefined)
    checks.push(session === sessionId ? 'valid' : ctx.tokens.check(session, 'sessionID', env));
  const authorization = header('authorization');
  if (authorization !== undefined) {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
    checks.push(
      token === undefined
        ? 'unknown'
        : token === bearerToken
          ? 'valid'
          : ctx.tokens.check(token, 'bearer', env),
    );
  }
  if (checks.includes('valid')) return;
  if (checks.length === 0)
    throw new ApiError(
      401,
      'You are not currently logged in: send an apikey, sessionID or Authorization header',
    );
  if (checks.includes('expired')) throw new ApiError(401, 'The access token has expired; obtain a new one');
  throw new ApiError(401, 'Invalid credentials: the API key, session or token is not valid here');
}

/** Everything below an API base, through the route table. */
function dispatchApi(
  ctx: ServerContext,
  req: IncomingMessage,
  env: EnvKey,
  base: { legacy: boolean; rest: string },
  query: URLSearchParams,
  body: ParsedBody,
  extraDelayMs: number,
): Reply {
  const route = API_ROUTES.find((candidate) => candidate.pattern.test(base.rest));
  if (!route) throw new ApiError(404, `No endpoint ${req.method} ${base.rest}`);
  authenticate(ctx, req, env);
  const method = req.method ?? 'GET';
  const handler = route.methods[method];
  if (!handler) {
    const allow = Object.keys(route.methods).join(', ');
    return apiError(405, `Method ${method} is not allowed on ${base.rest}; allowed: ${allow}`, { allow });
  }
  const params = (route.pattern.exec(base.rest) ?? []).slice(1).map(decodeURIComponent);
  return handler(ctx.store, { env, legacy: base.legacy, params, query, body: jsonBody(body), extraDelayMs });
}

function splitBase(path: string): { legacy: boolean; rest: string } | undefined {
  for (const [prefix, legacy] of [
    [API_BASE, false],
    [LEGACY_API_BASE, true],
  ] as const)
    if (path === prefix || path.startsWith(`${prefix}/`))
      return { legacy, rest: path.slice(prefix.length) || '/' };
  return undefined;
}

/**
 * A fault replacing the answer. `reply` is the real answer when the request was processed first
 * (`after: 'respond'`); `malformed` and `truncated` then garble it.
 */
async function applyFault(
  fault: ActiveFault,
  res: ServerResponse,
  entry: RequestLogEntry,
  reply?: Reply,
): Promise<void> {
  const retryAfter = fault.retryAfter === undefined ? undefined : { 'retry-after': String(fault.retryAfter) };
  switch (fault.kind) {
    case 'latency':
      await sleep(fault.delayMs ?? 0);
      return send(res, reply ?? apiError(500, 'latency fault without an answer'), entry);
    case 'error': {
      const status = fault.status ?? 500;
      return send(res, apiError(status, `Simulated ${status} error`, retryAfter), entry);
    }
    case 'rate-limit':
      return send(
        res,
        apiError(429, 'Too many requests; retry later', { 'retry-after': String(fault.retryAfter ?? 1) }),
        entry,
      );
    case 'drop':
      res.socket?.destroy();
      return;
    case 'malformed': {
      const real = reply && serialize(reply).text;
      const text = real
        ? `${real.slice(0, Math.ceil(real.length / 2))}<!-- garbled -->`
        : '<html><body><h1>Service Unavailable</h1></body></html>';
      return send(
        res,
        {
          status: reply?.status ?? fault.status ?? 200,
          body: text,
          headers: { 'content-type': 'application/json' },
        },
        entry,
      );
    }
    case 'truncated': {
      const whole = reply
        ? serialize(reply).text
        : JSON.stringify({ data: { id: 'truncated', status: 'DRAFT' } });
      const status = reply?.status ?? fault.status ?? 200;
      res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': String(Buffer.byteLength(whole)),
      });
      entry.status = status;
      res.write(whole.slice(0, Math.floor(whole.length / 2)), () => res.socket?.destroy());
      return;
    }
    case 'hang':
      if (fault.delayMs !== undefined) setTimeout(() => res.socket?.destroy(), fault.delayMs).unref();
      return;
  }
}

/**
 * One listening host. `env` is an environment (API, JWT exchange, admin) or `ims` (the IMS token endpoint
 * and admin).
 */
export function createSimServer(ctx: ServerContext, env: EnvKey | 'ims'): Server {
  const route = (
    req: IncomingMessage,
    path: string,
    query: URLSearchParams,
    text: string,
    body: ParsedBody,
    extraDelayMs: number,
  ) => {
    const method = req.method ?? 'GET';
    const base = env === 'ims' ? undefined : splitBase(path);
    if (base && env !== 'ims') return dispatchApi(ctx, req, env, base, query, body, extraDelayMs);
    const tokenPath = env === 'ims' ? IMS_TOKEN_PATH : JWT_EXCHANGE_PATH;
    if (path !== tokenPath) throw new ApiError(404, `No endpoint ${method} ${path}`);
    if (method !== 'POST')
      return apiError(405, `Method ${method} is not allowed on ${path}`, { allow: 'POST' });
    const form = formBody(req, text);
    const answer = env === 'ims' ? ctx.tokens.clientCredentials(form) : ctx.tokens.exchangeJwt(form, env);
    return { status: 200, body: answer };
  };

  return createServer((req, res) => {
    const started = Date.now();
    // The server's own clock, skewed as configured (Node would send the real time).
    res.setHeader('date', new Date(started + ctx.store.settings.clockSkewMs).toUTCString());
    const url = new URL(req.url ?? '/', 'http://simulator.invalid');
    const method = req.method ?? 'GET';
    readBody(req)
      .then(async (text) => {
        if (url.pathname === ADMIN_PREFIX || url.pathname.startsWith(`${ADMIN_PREFIX}/`)) {
          let reply: Reply;
          try {
            reply = ctx.admin(
              method,
              url.pathname.slice(ADMIN_PREFIX.length),
              url.searchParams,
              jsonBody(parseBody(req, text)),
            );
          } catch (error) {
            reply = toReply(error);
          }
          return send(res, reply);
        }
        const body = parseBody(req, text);
        const entry = ctx.log.add({
          time: new Date(started).toISOString(),
          env,
          method,
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          headers: redactHeaders(req.headers),
          body: redactBody(body.value),
          status: null,
          landed: false,
          durationMs: 0,
        });
        res.on('close', () => (entry.durationMs = Date.now() - started));
        const faultPath = (env !== 'ims' && splitBase(url.pathname)?.rest) || url.pathname;
        const fault = ctx.faults.pick(env, method, faultPath);
        if (fault) entry.fault = fault.kind;
        if (fault && !fault.after && !PASS_THROUGH.has(fault.kind)) return applyFault(fault, res, entry);
        if (fault?.kind === 'latency' && !fault.after) await sleep(fault.delayMs ?? 0);
        const slow = fault?.kind === 'slow-assembly' || fault?.kind === 'slow-install';
        let reply: Reply;
        try {
          reply = route(req, url.pathname, url.searchParams, text, body, slow ? (fault.delayMs ?? 0) : 0);
          entry.landed = reply.status < 400;
        } catch (error) {
          reply = toReply(error);
        }
        if (fault?.after === 'respond' && !slow) return applyFault(fault, res, entry, reply);
        send(res, reply, entry);
      })
      .catch((error: unknown) => {
        if (res.headersSent) return res.socket?.destroy();
        const status = error instanceof PayloadTooLarge ? 413 : 400;
        send(res, apiError(status, status === 413 ? 'Request body too large' : 'Could not read the request'));
      });
  });
}
