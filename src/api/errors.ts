// One error class for everything the client reports, so callers branch on `kind`, never on text.

export const ERROR_KINDS = [
  'input',
  'auth',
  'forbidden',
  'not-found',
  'conflict',
  'transient',
  'timeout',
  'malformed',
  'cancelled',
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

export interface WorkfrontErrorDetails {
  kind: ErrorKind;
  /** HTTP method of the failed call. */
  method: string;
  /** Path below the API base without query (`/packages/123`), or the token URL without query. */
  path: string;
  /** What happened, without method and path: `answered 400 Bad Request`, `timed out after 30 s`. */
  summary: string;
  status?: number;
  /** The API's own message, extracted from whatever error body shape it used. */
  apiMessage?: string;
  hint?: string;
  /** Node's error code for network failures (`ECONNRESET`, `ENOTFOUND`, …). */
  code?: string;
  /** Worth sending again (408, 429, 5xx, network failures, request timeouts). */
  retryable?: boolean;
  /** False when the request certainly never reached the server (connection refused, DNS). */
  mayHaveLanded?: boolean;
  /** From `Retry-After`, already converted to a delay. */
  retryAfterMs?: number;
  /** How many times the request was sent before giving up. */
  attempts?: number;
  /** Given up because the step's deadline came first (a retry or a lookup would have ended past it). */
  pastDeadline?: boolean;
  cause?: unknown;
}

export class WorkfrontError extends Error {
  readonly kind: ErrorKind;
  readonly method: string;
  readonly path: string;
  readonly status?: number;
  readonly apiMessage?: string;
  readonly hint?: string;
  readonly code?: string;
  readonly retryable: boolean;
  readonly mayHaveLanded: boolean;
  readonly retryAfterMs?: number;
  readonly attempts?: number;
  /** Kept so that a copy with more context keeps every field. */
  readonly details: WorkfrontErrorDetails;

  constructor(details: WorkfrontErrorDetails) {
    super(formatMessage(details), details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'WorkfrontError';
    this.details = details;
    this.kind = details.kind;
    this.method = details.method;
    this.path = details.path;
    this.status = details.status;
    this.apiMessage = details.apiMessage;
    this.hint = details.hint;
    this.code = details.code;
    this.retryable = details.retryable ?? false;
    this.mayHaveLanded = details.mayHaveLanded ?? true;
    this.retryAfterMs = details.retryAfterMs;
    this.attempts = details.attempts;
  }

  /** The same error with some details replaced (e.g. the attempt count once retries end). */
  with(changes: Partial<WorkfrontErrorDetails>): WorkfrontError {
    return new WorkfrontError({ ...this.details, ...changes });
  }
}

export function isWorkfrontError(value: unknown): value is WorkfrontError {
  return value instanceof WorkfrontError;
}

function formatMessage(d: WorkfrontErrorDetails): string {
  let text = `${d.method} ${d.path} ${d.summary}`;
  if (d.apiMessage) text += `: ${d.apiMessage.replace(/[.\s]+$/, '')}`;
  if (d.attempts && d.attempts > 1) text += ` (gave up after ${d.attempts} attempts)`;
  text += '.';
  if (d.hint) text += ` Hint: ${d.hint}`;
  return text;
}

/** The kind an HTTP status stands for; 3xx means the URL points somewhere else (redirects are not followed). */
export function kindForStatus(status: number): ErrorKind {
  if (status === 401) return 'auth';
  if (status === 403) return 'forbidden';
  // 405: the tenant does not offer this (undocumented) endpoint at all.
  if (status === 404 || status === 405 || status === 410) return 'not-found';
  if (status === 409 || status === 412) return 'conflict';
  if (isRetryableStatus(status)) return 'transient';
  return 'input';
}

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}
