// Keeps credentials out of every text the client logs or puts into an error.

const MASK = '***';

/** Header names and body fields that carry credentials, lower case. */
const SENSITIVE_NAMES = [
  'apikey',
  'api_key',
  'sessionid',
  'authorization',
  'client_secret',
  'jwt_token',
  'access_token',
  'refresh_token',
  'id_token',
  'password',
];

// `"access_token": "…"`, `access_token=…`, `apikey: …` in any text; plus any Bearer token.
const FIELD_PATTERN = new RegExp(
  `(["']?(?:${SENSITIVE_NAMES.join('|')})["']?\\s*[:=]\\s*["']?)((?:Bearer\\s+)?[^"'&\\s,;}]+)`,
  'gi',
);
const BEARER_PATTERN = /(\bBearer\s+)[^\s"',;]+/gi;
// A JWT (header.payload[.signature], base64url, the header starting `{"`) wherever it appears: a server may echo one.
const JWT_PATTERN = /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*)?/g;
/** An excerpt redacts this much past its cut, so a token or JWT that is not registered is still seen whole. */
const TOKEN_REACH = 4096;

/** Shorter strings are not credentials and would blank out ordinary words. */
const MIN_SECRET_LENGTH = 4;

/**
 * The forms a secret shows in: whole, URL-encoded, and each line of a multi-line one (a PEM key, with real or
 * literal `\n`), without the PEM armour lines. What the client's redactor removes and the runner is told to mask.
 */
export function secretForms(secret: string | undefined): string[] {
  const text = secret?.trim();
  if (!text) return [];
  const forms = [text, encodeURIComponent(text), ...text.split(/\r?\n|\\n/)].map((form) => form.trim());
  return [
    ...new Set(
      forms.filter(
        (form) => form.length >= MIN_SECRET_LENGTH && !/^-----(BEGIN|END) [A-Z ]+-----$/.test(form),
      ),
    ),
  ];
}

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Registers a secret: every later text loses it, in each of its forms (secretForms). */
  add(secret: string | undefined): void {
    for (const form of secretForms(secret)) this.secrets.add(form);
    // A server may echo a credential base64-encoded (a Basic header, a decoded token). Only the action's own
    // texts need this: everything it prints passes through here first, so the runner is not told these forms.
    const text = secret?.trim();
    if (text && text.length >= MIN_SECRET_LENGTH) {
      const base64 = Buffer.from(text).toString('base64');
      for (const form of [base64, base64.replace(/=+$/, ''), Buffer.from(text).toString('base64url')])
        this.secrets.add(form);
    }
  }

  /** Length of the longest registered secret, so a caller cutting a text can redact enough of it first. */
  get longest(): number {
    let max = 0;
    for (const secret of this.secrets) max = Math.max(max, secret.length);
    return max;
  }

  redact(text: string): string {
    let out = text;
    // Longest first, so a secret containing another is masked whole.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length))
      out = out.split(secret).join(MASK);
    return out
      .replace(FIELD_PATTERN, `$1${MASK}`)
      .replace(BEARER_PATTERN, `$1${MASK}`)
      .replace(JWT_PATTERN, MASK);
  }

  /** Headers for a debug log: credential headers masked whatever their case. */
  headers(headers: Record<string, string | number | string[] | undefined>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      if (value === undefined) continue;
      out[name] = SENSITIVE_NAMES.includes(name.toLowerCase()) ? MASK : this.redact(String(value));
    }
    return out;
  }

  /** How many characters an excerpt of `limit` reads: a text kept for one must keep at least as many. */
  reach(limit: number): number {
    return limit + Math.max(this.longest, TOKEN_REACH);
  }

  /** The first `limit` characters of a text, redacted before it is cut so no part of a secret survives. */
  excerpt(text: string, limit: number): string {
    const redacted = this.redact(text.slice(0, this.reach(limit)));
    return redacted.length > limit ? `${redacted.slice(0, limit)}…` : redacted;
  }
}
