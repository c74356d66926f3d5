// Transport: one HTTP exchange through @actions/http-client (so HTTPS_PROXY, NO_PROXY and NODE_EXTRA_CA_CERTS
// work as on any runner), bounded in time and size, and the retry loop around it.
import type { IncomingHttpHeaders, IncomingMessage, RequestOptions } from 'node:http';
import { HttpClient } from '@actions/http-client';
import type { Authenticator } from './authenticator.js';
import { isRetryableStatus, kindForStatus, WorkfrontError, type WorkfrontErrorDetails } from './errors.js';
import { HINTS, hintFor, networkHint, tooLargeHint, UNRESOLVED_HOST_CODES, type Endpoint } from './hints.js';
import { apiMessageOf, isRecord, readBody, ShapeError, type Body } from './parse.js';
import type { Redactor } from './redact.js';
import { TooLarge, type ReadLimits, type StreamReader } from './split.js';
import { plain } from '../text.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type LogLevel = 'debug' | 'info' | 'warning';
export type Log = (level: LogLevel, message: string) => void;
/** Resolves after `ms`; may end early when `signal` aborts (the transport races it with the signal anyway). */
type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface TransportOptions {
  userAgent: string;
  /** Each request's own limit, from sending to the last byte of the answer. */
  requestTimeoutMs: number;
  /** Retries after the first attempt. */
  maxRetries: number;
  /** Epoch ms the whole operation must end by: no request is sent and no sleep lasts past it. */
  deadline?: number;
  signal?: AbortSignal;
  log: Log;
  sleep: Sleep;
  now: () => number;
  random: () => number;
  /** An answer held whole may be this large; so may each piece of one a reader reads as it arrives. */
  maxBodyBytes: number;
  /** An answer a `largeAnswer` call's reader reads as it arrives may be this large. */
  maxStreamedBytes: number;
  maxJsonDepth: number;
  /** First backoff step; the n-th retry waits a random time up to min(maxDelayMs, baseDelayMs·2ⁿ⁻¹). */
  baseDelayMs: number;
  maxDelayMs: number;
  redactor: Redactor;
}

/** Found by a lookup: what an earlier attempt of a non-repeatable call created. */
export interface Landed<T> {
  value: T;
}

export interface Call<T> {
  endpoint: Endpoint;
  method: Method;
  url: string;
  /** Shown in messages: the path below the API base, or the token URL, without query. */
  path: string;
  body?: string;
  contentType?: string;
  /** Asked for headers on every attempt (so a renewed token is used) and told about a 401. */
  auth?: Authenticator;
  /** Safe to send again after a failure that may have reached the server. */
  repeatable: boolean;
  /**
   * For a call that is not repeatable: looks up whether an earlier attempt landed. Only when it did not is the
   * call sent again.
   */
  landed?: () => Promise<Landed<T> | undefined>;
  /**
   * How long the effect of a landed attempt may take to show in `landed` (a new package can take 30 s to
   * appear in the list): the lookup is repeated until then before the call is taken as not landed.
   */
  landedWithinMs?: number;
  parse: (body: Body) => T;
  /**
   * Reads a 2xx answer as it arrives, in place of `parse`, for an answer too large to hold whole: a fresh reader
   * per attempt. An answer it does not read is asked for again and read whole (`parse`): only for a repeatable
   * call.
   */
  readStream?: (limits: ReadLimits) => StreamReader<T>;
  /**
   * What the reader keeps does not grow with the answer (an installation history, its maps unread): the answer
   * may be as large as `maxStreamedBytes`, not `maxBodyBytes`.
   */
  largeAnswer?: boolean;
  /** Undocumented since November 2023 (for the hint). */
  undocumented?: boolean;
  /** Bodies hold secrets (token requests and answers): debug logs show their size only. */
  secretBodies?: boolean;
}

interface Response {
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  /** The answer's text; only its beginning, for the log and for errors, when a reader read it. */
  text: string;
  bytes: number;
  /** What the call's reader made of it. */
  read?: { value: unknown } | { error: unknown };
}

/** An answer the call's reader did not read: it is asked for again and read whole. */
class ReadWhole extends Error {}

const MAX_RETRY_AFTER_MS = 10 * 60_000;
const LOG_BODY_CHARS = 2_000;
const QUOTE_CHARS = 200;
/** Pauses between repeated lookups of a call that may have landed: 1 s doubling to 5 s. */
const LOOKUP_PAUSE_MS = 1_000;
const MAX_LOOKUP_PAUSE_MS = 5_000;

// Failures before anything was sent: the request certainly did not land.
const UNSENT_CODES = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN'];
const RETRYABLE_CODES = [
  ...UNSENT_CODES,
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTDOWN',
  'ERR_STREAM_PREMATURE_CLOSE',
];
const NOT_PROCESSED_STATUSES = [408, 429, 503];
const TLS_CODE = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/;

export class Transport {
  constructor(private readonly options: TransportOptions) {}

  get redactor(): Redactor {
    return this.options.redactor;
  }

  /** Sends a call, retrying transient failures within the retry count and the deadline. */
  async call<T>(call: Call<T>): Promise<T> {
    const state = { renewed: false };
    // A non-repeatable attempt failed in a way that may have reached the server: cancelling now leaves it unknown.
    let outstanding = false;
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          return await this.attempt(call, state);
        } catch (error) {
          if (!(error instanceof WorkfrontError)) throw error;
          if (error.kind === 'malformed' && error.status !== undefined && call.landed) {
            // A 2xx whose body is not the API's (a lost id, a login page): its effect is looked up, not trusted.
            // Cancelled meanwhile, it may have landed: the report says so.
            outstanding = !call.repeatable;
            const found = await this.lookUp(call, error);
            if (!found)
              throw error.with({ summary: `${error.details.summary}; a lookup found no effect of it` });
            this.options.log(
              'warning',
              `${call.method} ${call.path}: answer unreadable, found its result by lookup`,
            );
            return found.value;
          }
          if (!error.retryable || (!call.repeatable && error.mayHaveLanded && !call.landed)) throw error;
          if (!call.repeatable && error.mayHaveLanded) outstanding = true;
          const wait = this.backoff(attempt, error);
          this.options.log(
            'info',
            `${call.method} ${call.path} ${error.details.summary}; retry ${attempt} of ${this.options.maxRetries} in ${seconds(wait)}`,
          );
          await this.sleep(wait, call);
          if (!call.repeatable && error.mayHaveLanded) {
            const found = await this.lookUp(call, error);
            if (found) {
              this.options.log(
                'info',
                `${call.method} ${call.path}: the earlier attempt landed; not sending it again`,
              );
              return found.value;
            }
            outstanding = false;
          }
        }
      }
    } catch (error) {
      if (error instanceof WorkfrontError && error.kind === 'cancelled' && !call.repeatable) {
        const mayHaveLanded = outstanding || error.mayHaveLanded;
        throw error.with({
          mayHaveLanded,
          summary: mayHaveLanded
            ? 'was cancelled while its answer was outstanding: it may have landed'
            : error.details.summary,
        });
      }
      throw error;
    }
  }

  /**
   * Whether an earlier attempt landed, looked up until its effect would show (`landedWithinMs`). A lookup that
   * fails transiently (after its own retries) is made again while the window lasts; when the window ends on a
   * failed lookup, a lookup is refused, or the deadline comes first, the outcome is unknown and the call ends.
   */
  private async lookUp<T>(call: Call<T>, error: WorkfrontError): Promise<Landed<T> | undefined> {
    const { now, deadline, log } = this.options;
    const within = call.landedWithinMs ?? 0;
    const until = now() + within;
    for (let pause = LOOKUP_PAUSE_MS; ; pause = Math.min(pause * 2, MAX_LOOKUP_PAUSE_MS)) {
      const looked = await this.lookUpOnce(call, error);
      const left = until - now();
      if ('found' in looked && (looked.found || left <= 0)) return looked.found;
      if ('failed' in looked && left <= 0) throw looked.failed;
      const wait = Math.min(pause, left);
      if (deadline !== undefined && now() + wait >= deadline) {
        throw error.with({
          summary: `${error.details.summary}, and whether it took effect is unknown: the deadline came before its effect could show`,
          hint: HINTS.unknownOutcome,
          retryable: false,
          pastDeadline: true,
        });
      }
      if ('failed' in looked)
        log('info', `${call.method} ${call.path}: the lookup ${looked.lookup}; looking again`);
      else if (pause === LOOKUP_PAUSE_MS)
        log(
          'info',
          `${call.method} ${call.path}: not found yet; looking again for up to ${seconds(within)} (the API may take that long to show it) before sending it again`,
        );
      await this.sleep(wait, call);
    }
  }

  /** One lookup: what it found, or, for a lookup that failed transiently, the error the call would end with. */
  private async lookUpOnce<T>(
    call: Call<T>,
    error: WorkfrontError,
  ): Promise<{ found: Landed<T> | undefined } | { failed: WorkfrontError; lookup: string }> {
    try {
      return { found: await call.landed!() };
    } catch (lookupError) {
      if (!(lookupError instanceof WorkfrontError) || lookupError.kind === 'cancelled') throw lookupError;
      const { method, path, summary } = lookupError.details;
      const unknown = error.with({
        summary: `${error.details.summary}, and whether it took effect is unknown: ${method} ${path} ${summary}`,
        hint: HINTS.unknownOutcome,
        retryable: false,
      });
      if (lookupError.kind === 'transient' || lookupError.kind === 'timeout')
        return { failed: unknown, lookup: `${method} ${path} ${summary}` };
      throw unknown;
    }
  }

  /** The wait before retry number `attempt`, or the error itself when no retry is left. */
  private backoff(attempt: number, error: WorkfrontError): number {
    const { maxRetries, baseDelayMs, maxDelayMs, deadline, now, random } = this.options;
    if (attempt > maxRetries) throw error.with({ attempts: attempt, retryable: false });
    // Full jitter, unless the server said when to come back.
    const wait = error.retryAfterMs ?? random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
    const pastDeadline = deadline !== undefined && now() + wait >= deadline;
    if (pastDeadline || wait > MAX_RETRY_AFTER_MS) {
      const why = pastDeadline ? 'would end past the deadline' : 'is too long';
      const summary = `${error.details.summary}; a retry in ${seconds(wait)} ${why}`;
      throw error.with({ summary, attempts: attempt, retryable: false, pastDeadline });
    }
    return wait;
  }

  private async attempt<T>(call: Call<T>, state: { renewed: boolean }): Promise<T> {
    try {
      return await this.attemptOnce(call, state);
    } catch (error) {
      if (!(error instanceof ReadWhole)) throw error;
      this.options.log('debug', `${call.method} ${call.path}: answered in a shape read whole; asking again`);
      return this.attemptOnce({ ...call, readStream: undefined }, state);
    }
  }

  private async attemptOnce<T>(call: Call<T>, state: { renewed: boolean }): Promise<T> {
    const { auth } = call;
    for (;;) {
      const response = await this.send(call, auth ? await authStep(() => auth.headers()) : {});
      if (response.status === 401 && auth?.renew && !state.renewed) {
        state.renewed = true;
        // A 401 means the request did not land: with a fresh token it is sent again at once.
        if (await authStep(() => auth.renew!())) {
          this.options.log(
            'info',
            `${call.method} ${call.path} answered 401; renewed the token, sending again`,
          );
          continue;
        }
      }
      if (response.status < 200 || response.status >= 300) throw this.errorFor(call, response, state.renewed);
      return this.parse(call, response);
    }
  }

  private parse<T>(call: Call<T>, response: Response): T {
    try {
      if (response.read) {
        if ('error' in response.read) {
          if (!(response.read.error instanceof TooLarge)) throw response.read.error;
          throw this.error(call, {
            kind: 'malformed',
            status: response.status,
            summary: `answered ${response.read.error.message}`,
            hint: tooLargeHint(call.endpoint),
          });
        }
        if (response.read.value === undefined) throw new ReadWhole();
        return response.read.value as T;
      }
      const body = readBody(response.text, this.options.maxJsonDepth);
      if (body.type === 'json' && body.repaired) {
        this.options.log(
          'debug',
          `${call.method} ${call.path}: completed a JSON answer missing its closing brackets`,
        );
      }
      return call.parse(body);
    } catch (error) {
      if (!(error instanceof ShapeError)) throw error;
      const quote = call.secretBodies
        ? ''
        : `: ${JSON.stringify(this.redactor.excerpt(response.text, QUOTE_CHARS))}`;
      throw this.error(call, {
        kind: 'malformed',
        status: response.status,
        summary: `answered ${statusLine(response)} with a body the client cannot read (${error.message})${quote}`,
        hint: HINTS.malformed,
      });
    }
  }

  private errorFor(call: Call<unknown>, response: Response, renewed: boolean): WorkfrontError {
    let body: Body;
    try {
      body = readBody(response.text, this.options.maxJsonDepth);
    } catch {
      body = { type: 'text', text: this.redactor.excerpt(response.text, QUOTE_CHARS) };
    }
    const status = response.status;
    const apiMessage = apiMessageOf(body, undefined, (text) => this.redactor.redact(text));
    const value = body.type === 'json' ? body.value : undefined;
    const tokenError = isRecord(value) && typeof value.error === 'string' ? value.error : undefined;
    const retryable = isRetryableStatus(status);
    const location = response.headers.location?.split('?')[0];
    return this.error(call, {
      // A token endpoint refusing the client is a credential problem, whatever its status.
      kind: call.endpoint === 'token' && !retryable && status >= 400 ? 'auth' : kindForStatus(status),
      status,
      summary: `answered ${statusLine(response)}${location ? ` (redirect to ${location})` : ''}`,
      apiMessage,
      hint: hintFor({
        endpoint: call.endpoint,
        status,
        apiMessage,
        undocumented: call.undocumented,
        renewed,
        tokenError,
      }),
      retryable,
      // Refused before any processing: rate-limited, unavailable, or the request not received in time.
      mayHaveLanded: !NOT_PROCESSED_STATUSES.includes(status),
      retryAfterMs: retryable
        ? parseRetryAfter(response.headers['retry-after'], this.options.now())
        : undefined,
    });
  }

  private error(
    call: Call<unknown>,
    details: Omit<WorkfrontErrorDetails, 'method' | 'path'>,
  ): WorkfrontError {
    return new WorkfrontError({ method: call.method, path: call.path, ...details });
  }

  /** Sleeps, ending at once with a 'cancelled' error when the signal aborts. */
  private async sleep(ms: number, call: Call<unknown>): Promise<void> {
    const { signal } = this.options;
    if (signal?.aborted) throw this.cancelled(call);
    let onAbort = (): void => undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(this.cancelled(call));
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    try {
      await Promise.race([this.options.sleep(ms, signal), aborted]);
    } catch (error) {
      throw signal?.aborted ? this.cancelled(call) : error;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** `sent`: the request had gone out, so it may have landed. */
  private cancelled(call: Call<unknown>, sent = false): WorkfrontError {
    return this.error(call, { kind: 'cancelled', summary: 'was cancelled', mayHaveLanded: sent });
  }

  /** One exchange: sent, answered and read within the request timeout and the deadline. */
  private async send(call: Call<unknown>, authHeaders: Record<string, string>): Promise<Response> {
    const { signal, deadline, now, requestTimeoutMs, userAgent } = this.options;
    if (signal?.aborted) throw this.cancelled(call);
    const timeoutMs = Math.min(requestTimeoutMs, deadline === undefined ? Infinity : deadline - now());
    if (timeoutMs <= 0) {
      throw this.error(call, {
        kind: 'timeout',
        summary: 'was not sent: the deadline has passed',
        hint: HINTS.deadline,
      });
    }
    const headers: Record<string, string> = { Accept: 'application/json, text/plain, */*', ...authHeaders };
    if (call.body !== undefined) headers['Content-Type'] = call.contentType ?? 'application/json';
    this.logRequest(call, headers);

    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = (): void => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const started = now();
    /** The most bytes this answer may have: known once its status says whether a reader reads it. */
    let limit = this.options.maxBodyBytes;
    try {
      // One client per request: its handler hands this request's signal to node's http.request.
      const client = new HttpClient(userAgent, [abortHandler(controller.signal)], {
        allowRedirects: false, // the API does not redirect, and a redirect would carry the credential elsewhere
        allowRetries: false,
        socketTimeout: timeoutMs,
      });
      const answer = await client.request(call.method, call.url, call.body ?? null, headers);
      const status = answer.message.statusCode ?? 0;
      const reader =
        call.readStream && call.repeatable && status >= 200 && status < 300
          ? call.readStream({
              maxJsonDepth: this.options.maxJsonDepth,
              maxHeldChars: this.options.maxBodyBytes,
            })
          : undefined;
      limit = reader && call.largeAnswer ? this.options.maxStreamedBytes : this.options.maxBodyBytes;
      const response = {
        status,
        // A reason phrase is server text like any other: it reaches retry lines and error messages.
        statusText: plain(answer.message.statusMessage ?? '', 100),
        headers: answer.message.headers,
        // Of an answer a reader reads, as much text is kept as the log's excerpt redacts (a character is at
        // most 3 bytes per UTF-16 unit): a secret cut at the excerpt's end is still seen whole.
        ...(await readLimited(
          answer.message,
          limit,
          reader && { reader, keep: 3 * this.redactor.reach(LOG_BODY_CHARS) },
        )),
      };
      this.logResponse(call, response, now() - started);
      return response;
    } catch (error) {
      if (error instanceof WorkfrontError) throw error;
      if (error instanceof BodyTooLarge) {
        throw this.error(call, {
          kind: 'malformed',
          summary: `answered more than ${limit} bytes`,
          hint: tooLargeHint(call.endpoint),
        });
      }
      throw this.networkError(call, error, timedOut, timeoutMs);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private networkError(
    call: Call<unknown>,
    error: unknown,
    timedOut: boolean,
    timeoutMs: number,
  ): WorkfrontError {
    if (this.options.signal?.aborted) return this.cancelled(call, true);
    // Not `instanceof Error`: node's errors may come from another realm (vm contexts, test runners).
    const text = (error as { message?: unknown } | undefined)?.message;
    const message = typeof text === 'string' ? text : String(error);
    if (timedOut || message.startsWith('Request timeout')) {
      return this.error(call, {
        kind: 'timeout',
        summary: `timed out after ${seconds(timeoutMs)}`,
        hint: HINTS.timeout,
        retryable: true,
      });
    }
    const code = (error as { code?: unknown }).code;
    const codeText = typeof code === 'string' ? code : undefined;
    const summary = `failed: ${this.redactor.redact(message)}${codeText && !message.includes(codeText) ? ` (${codeText})` : ''}`;
    if (codeText && TLS_CODE.test(codeText)) {
      return this.error(call, { kind: 'input', summary, code: codeText, hint: HINTS.tls, cause: error });
    }
    // A host name that does not resolve is a typo far more often than a hiccup: no five retries before the hint.
    const retryable =
      codeText !== undefined &&
      RETRYABLE_CODES.includes(codeText) &&
      !UNRESOLVED_HOST_CODES.includes(codeText);
    return this.error(call, {
      kind: 'transient',
      summary,
      code: codeText,
      hint: networkHint(codeText, call.endpoint),
      retryable,
      mayHaveLanded: !(codeText && UNSENT_CODES.includes(codeText)),
      cause: error,
    });
  }

  private logRequest(call: Call<unknown>, headers: Record<string, string>): void {
    const { redactor, log } = this.options;
    log(
      'debug',
      `→ ${call.method} ${redactor.redact(call.url)} ${JSON.stringify(redactor.headers(headers))}`,
    );
    if (call.body) log('debug', `  body: ${this.bodyForLog(call, call.body)}`);
  }

  private logResponse(call: Call<unknown>, response: Response, ms: number): void {
    this.options.log(
      'debug',
      `← ${call.method} ${call.path} ${statusLine(response)} in ${ms} ms, ${response.bytes} bytes: ${this.bodyForLog(call, response.text)}`,
    );
  }

  private bodyForLog(call: Call<unknown>, text: string): string {
    return call.secretBodies
      ? '(withheld: holds credentials)'
      : plain(this.redactor.excerpt(text, LOG_BODY_CHARS), LOG_BODY_CHARS + 1);
  }
}

/** Runs an authenticator step; its token requests had their own retries, so its errors end the call. */
async function authStep<R>(step: () => Promise<R>): Promise<R> {
  try {
    return await step();
  } catch (error) {
    throw error instanceof WorkfrontError ? error.with({ retryable: false }) : error;
  }
}

function statusLine(response: Response): string {
  return `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/** `Retry-After` in seconds or as an HTTP date, as a delay from now. */
function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/** Hands the request's abort signal to node's http.request (a documented extension point of http-client). */
function abortHandler(signal: AbortSignal) {
  return {
    prepareRequest: (options: RequestOptions) => {
      options.signal = signal;
    },
    canHandleAuthentication: () => false,
    handleAuthentication: () => Promise.reject(new Error('not used')),
  };
}

class BodyTooLarge extends Error {}

/**
 * Reads a body up to `limit` bytes; a longer one is abandoned, not buffered. A `reader` reads it as it arrives,
 * and only its first `keep` bytes are kept as text. Otherwise, with a Content-Length, the bytes go into one
 * buffer of that size as they arrive: the answer is then held twice (its bytes, its text), not three times (the
 * pieces, their concatenation, the text).
 */
function readLimited(
  message: IncomingMessage,
  limit: number,
  read?: { reader: StreamReader<unknown>; keep: number },
): Promise<Pick<Response, 'text' | 'bytes' | 'read'>> {
  const reader = read?.reader;
  const keep = read?.keep ?? 0;
  return new Promise((resolve, reject) => {
    const declared = Number(message.headers['content-length']);
    if (declared > limit) {
      message.destroy();
      reject(new BodyTooLarge());
      return;
    }
    let whole =
      !reader && Number.isSafeInteger(declared) && declared > 0 ? Buffer.allocUnsafe(declared) : undefined;
    const chunks: Buffer[] = [];
    let size = 0;
    let readError: { error: unknown } | undefined;
    message.on('data', (chunk: Buffer) => {
      const at = size;
      size += chunk.length;
      if (size > limit) {
        message.destroy();
        reject(new BodyTooLarge());
      } else if (reader) {
        if (at < keep) chunks.push(chunk.subarray(0, keep - at));
        if (readError) return;
        try {
          reader.write(chunk);
        } catch (error) {
          // Read no further: the answer is refused whole, as if parsed whole.
          readError = { error };
          message.destroy();
          resolve({ text: Buffer.concat(chunks).toString('utf8'), bytes: size, read: readError });
        }
      } else if (whole && size <= whole.length) chunk.copy(whole, at);
      else {
        // More than the Content-Length said: what came so far and the rest are gathered in pieces.
        if (whole) chunks.push(whole.subarray(0, at));
        whole = undefined;
        chunks.push(chunk);
      }
    });
    message.on('end', () => {
      if (reader) {
        const text = Buffer.concat(chunks).toString('utf8');
        try {
          resolve({ text, bytes: size, read: { value: reader.end() } });
        } catch (error) {
          resolve({ text, bytes: size, read: { error } });
        }
      } else {
        const text = whole ? whole.toString('utf8', 0, size) : Buffer.concat(chunks).toString('utf8');
        resolve({ text, bytes: size });
      }
    });
    message.on('error', reject);
    message.on('close', () => {
      if (!message.complete)
        reject(Object.assign(new Error('the answer ended early'), { code: 'ECONNRESET' }));
    });
  });
}
