// The request log tests assert on. Credentials never enter it: secret headers and form fields are redacted
// before the entry is stored.
import type { IncomingHttpHeaders } from 'node:http';
import type { FaultKind } from './faults.js';

export interface RequestLogEntry {
  seq: number;
  /** ISO time the request arrived. */
  time: string;
  /** `production`, `preview`, `sandbox` or `ims`. */
  env: string;
  method: string;
  /** The whole path, API base included. */
  path: string;
  query: Record<string, string>;
  /** Lower-case names; credentials as `[REDACTED]` (`Bearer [REDACTED]` keeps the scheme visible). */
  headers: Record<string, string>;
  /** Parsed JSON, form fields, or text; undefined when empty. */
  body: unknown;
  /** null when no answer was sent (dropped or hung connection). */
  status: number | null;
  fault?: FaultKind;
  /** Whether the request was processed (a POST that landed), whatever the client received. */
  landed: boolean;
  durationMs: number;
}

const REDACTED = '[REDACTED]';
const SECRET_HEADERS = new Set([
  'apikey',
  'sessionid',
  'authorization',
  'proxy-authorization',
  'cookie',
  'x-api-key',
]);
const SECRET_FIELDS = new Set([
  'apikey',
  'sessionid',
  'client_secret',
  'jwt_token',
  'access_token',
  'refresh_token',
  'password',
  'assertion',
]);

export function redactHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    if (!SECRET_HEADERS.has(name)) out[name] = text;
    else if (name === 'authorization' && /^\w+\s/.test(text))
      out[name] = `${text.split(/\s/)[0]} ${REDACTED}`;
    else out[name] = REDACTED;
  }
  return out;
}

/** Redacts secret fields at the top of a JSON or form body (token requests are flat). */
export function redactBody(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const entries = Object.entries(body as Record<string, unknown>);
  if (!entries.some(([field]) => SECRET_FIELDS.has(field.toLowerCase()))) return body;
  return Object.fromEntries(
    entries.map(([field, value]) => [field, SECRET_FIELDS.has(field.toLowerCase()) ? REDACTED : value]),
  );
}

export class RequestLog {
  /** Live: tests read it as requests arrive. */
  readonly entries: RequestLogEntry[] = [];
  private seq = 0;

  add(entry: Omit<RequestLogEntry, 'seq'>): RequestLogEntry {
    const stored = { seq: ++this.seq, ...entry };
    this.entries.push(stored);
    return stored;
  }

  clear(): void {
    this.entries.length = 0;
  }
}
