export const id = 683;
export const ids = [683];
export const modules = {

/***/ 7683:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  reportCrash: () => (/* binding */ reportCrash),
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 12 modules
var core = __webpack_require__(143);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
;// CONCATENATED MODULE: ./src/api/redact.ts
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
const FIELD_PATTERN = new RegExp(`(["']?(?:${SENSITIVE_NAMES.join('|')})["']?\\s*[:=]\\s*["']?)((?:Bearer\\s+)?[^"'&\\s,;}]+)`, 'gi');
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
function secretForms(secret) {
    const text = secret?.trim();
    if (!text)
        return [];
    const forms = [text, encodeURIComponent(text), ...text.split(/\r?\n|\\n/)].map((form) => form.trim());
    return [
        ...new Set(forms.filter((form) => form.length >= MIN_SECRET_LENGTH && !/^-----(BEGIN|END) [A-Z ]+-----$/.test(form))),
    ];
}
class Redactor {
    secrets = new Set();
    /** Registers a secret: every later text loses it, in each of its forms (secretForms). */
    add(secret) {
        for (const form of secretForms(secret))
            this.secrets.add(form);
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
    get longest() {
        let max = 0;
        for (const secret of this.secrets)
            max = Math.max(max, secret.length);
        return max;
    }
    redact(text) {
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
    headers(headers) {
        const out = {};
        for (const [name, value] of Object.entries(headers)) {
            if (value === undefined)
                continue;
            out[name] = SENSITIVE_NAMES.includes(name.toLowerCase()) ? MASK : this.redact(String(value));
        }
        return out;
    }
    /** How many characters an excerpt of `limit` reads: a text kept for one must keep at least as many. */
    reach(limit) {
        return limit + Math.max(this.longest, TOKEN_REACH);
    }
    /** The first `limit` characters of a text, redacted before it is cut so no part of a secret survives. */
    excerpt(text, limit) {
        const redacted = this.redact(text.slice(0, this.reach(limit)));
        return redacted.length > limit ? `${redacted.slice(0, limit)}…` : redacted;
    }
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/api/errors.ts
// One error class for everything the client reports, so callers branch on `kind`, never on text.
const ERROR_KINDS = (/* unused pure expression or super */ null && ([
    'input',
    'auth',
    'forbidden',
    'not-found',
    'conflict',
    'transient',
    'timeout',
    'malformed',
    'cancelled',
]));
class WorkfrontError extends Error {
    kind;
    method;
    path;
    status;
    apiMessage;
    hint;
    code;
    retryable;
    mayHaveLanded;
    retryAfterMs;
    attempts;
    /** Kept so that a copy with more context keeps every field. */
    details;
    constructor(details) {
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
    with(changes) {
        return new WorkfrontError({ ...this.details, ...changes });
    }
}
function isWorkfrontError(value) {
    return value instanceof WorkfrontError;
}
function formatMessage(d) {
    let text = `${d.method} ${d.path} ${d.summary}`;
    if (d.apiMessage)
        text += `: ${d.apiMessage.replace(/[.\s]+$/, '')}`;
    if (d.attempts && d.attempts > 1)
        text += ` (gave up after ${d.attempts} attempts)`;
    text += '.';
    if (d.hint)
        text += ` Hint: ${d.hint}`;
    return text;
}
/** The kind an HTTP status stands for; 3xx means the URL points somewhere else (redirects are not followed). */
function kindForStatus(status) {
    if (status === 401)
        return 'auth';
    if (status === 403)
        return 'forbidden';
    // 405: the tenant does not offer this (undocumented) endpoint at all.
    if (status === 404 || status === 405 || status === 410)
        return 'not-found';
    if (status === 409 || status === 412)
        return 'conflict';
    if (isRetryableStatus(status))
        return 'transient';
    return 'input';
}
function isRetryableStatus(status) {
    return status === 408 || status === 429 || status >= 500;
}

;// CONCATENATED MODULE: ./src/text.ts
// Server text made inert for each place the action shows it. Names, ids, statuses, actions, objCodes,
// messages, bodies, HTTP reason phrases and dates from any server reach a sink only through one of these:
//
//   plain(text, max)       one line of the runner's log (info, debug, warning, notice, group names, the
//                          pieces of such a line): no line break or control character, no `##[` and no
//                          `::` (either of the runner's command forms), whatever the text holds.
//   plainLines(text, max)  several lines for an annotation or a failure message (core escapes the breaks,
//                          so it is still one printed line); each line as plain().
//   outputValue(text)      a step output: one line, no control character, no credential.
//   md(text, max)          Markdown text in the job summary: no markup, HTML, link, autolink or image.
//   code(text, max)        a code span in a summary table cell: the text shown as it is.
//   isId(value)            whether a server id may go into an output, a path or a file name.
//   registerSecret(value)  a credential or token every function above removes, before it cuts a text.
//
// main.ts passes every log line, output and the failure message through these at the sink, so a piece of
// server text that a caller forgot is still inert; callers use them too, to cut long pieces early.

const secrets = new Redactor();
/** Every text shown later loses this value (and its URL-encoded form and lines). */
function registerSecret(value) {
    secrets.add(value);
}
/** Removes every registered secret and anything shaped like a token or JWT. */
function redact(text) {
    return secrets.redact(text);
}
/** The id pattern of the action's inputs: an id outside it never becomes an output, a path or a file name. */
const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
function isId(value) {
    return typeof value === 'string' && ID_PATTERN.test(value);
}
// ANSI escapes, C0/C1 controls, and the bidirectional overrides that make a line read other than it is.
const CONTROL = 
// eslint-disable-next-line no-control-regex
/\u001b\[[0-?]*[ -/]*[@-~]|[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const BREAKS = /\r\n|[\r\n\t\u2028\u2029\u0085]/g;
/** Breaks both of the runner's command forms: `::name::` at a line start, `##[name]` anywhere in a line. */
const ZWSP = '\u200b';
function cut(text, max) {
    return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
/** One line of plain text for the log: redacted, then flattened, commands broken, then cut. */
function plain(text, max = 300) {
    const flat = redact(String(text ?? ''))
        .replace(BREAKS, ' ')
        .replace(CONTROL, '')
        .replace(/::/g, `:${ZWSP}:`)
        .replace(/##\[/g, `#${ZWSP}#[`);
    return cut(flat, max);
}
/** Several lines of plain text: each line made safe on its own, the breaks kept. */
function plainLines(text, max = 4000) {
    const joined = redact(String(text ?? ''))
        .split(/\r\n|[\r\n\u2028\u2029\u0085]/)
        .map((line) => plain(line, max))
        .join('\n');
    return cut(joined, max);
}
/** A step output's value: one line (GITHUB_OUTPUT and later steps read it so), redacted, never cut. */
function outputValue(text) {
    return redact(String(text ?? ''))
        .replace(BREAKS, ' ')
        .replace(CONTROL, '');
}
const MARKDOWN = /[\\`*_{}[\]()#+!|<>&~]/g;
const ENTITIES = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '|': '&#124;' };
/** Text for a Markdown table cell or line: nothing in it renders as Markdown, HTML, a link or an emoji. */
function md(text, max = 300) {
    return (plain(text, max)
        .replace(MARKDOWN, (c) => ENTITIES[c] ?? `\\${c}`)
        // GitHub links bare URLs, www. hosts, e-mail addresses and @mentions, and draws :shortcodes: as emoji.
        .replace(/:\/\//g, `:${ZWSP}//`)
        .replace(/\bwww\./gi, (w) => `${w.slice(0, 3)}${ZWSP}.`)
        .replace(/@/g, `@${ZWSP}`)
        .replace(/:([a-z0-9_+-]+):/gi, `:${ZWSP}$1:`)
        // At the start of a line: a list item, a numbered item, a heading underline or a rule (`127.0.0.1` is none).
        .replace(/^([-=])(?=\s|[-=]*$)/, '\\$1')
        .replace(/^(\d{1,9})([.)])(?=\s|$)/, '$1\\$2'));
}
/** A code span for a summary table cell: the text shown as given (`|` still splits a GFM row, so it is escaped). */
function code(text, max = 300) {
    const inner = plain(text, max).replace(/\|/g, '\\|');
    const longest = Math.max(0, ...(inner.match(/`+/g) ?? []).map((run) => run.length));
    const fence = '`'.repeat(longest + 1);
    const pad = inner.startsWith('`') || inner.endsWith('`') || inner === '' ? ' ' : '';
    return `${fence}${pad}${inner}${pad}${fence}`;
}

;// CONCATENATED MODULE: ./src/api/parse.ts
// Tolerant reading of the API's answers: every shape the seeds show, normalised to the types in types.ts.
// Pure functions; a body none of them accepts raises a ShapeError the transport turns into a 'malformed' error.

/** A body that is not one of the documented shapes; `expected` says what was looked for. */
class ShapeError extends Error {
    expected;
    constructor(expected) {
        super(`expected ${expected}`);
        this.expected = expected;
        this.name = 'ShapeError';
    }
}
/** Default for `maxJsonDepth`: real answers nest about six levels. */
const DEFAULT_MAX_JSON_DEPTH = 64;
function isRecord(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
/**
 * Reads a body as JSON when it looks like JSON, as text otherwise. A JSON body missing only its closing
 * brackets (the November 2023 create example) is completed; one nested deeper than `maxDepth` is refused,
 * because the normalisers below walk it recursively. Only a body JSON.parse refuses is scanned character by
 * character: a 50,000-record translation map is 8 MB.
 */
function readBody(text, maxDepth = DEFAULT_MAX_JSON_DEPTH) {
    const trimmed = text.trim();
    if (trimmed === '' || trimmed === 'null')
        return { type: 'empty' };
    if (!/^[[{"]/.test(trimmed))
        return { type: 'text', text: trimmed };
    let value;
    let parsed = true;
    try {
        value = JSON.parse(trimmed);
    }
    catch {
        parsed = false;
    }
    if (parsed) {
        if (deeperThan(value, maxDepth))
            throw new ShapeError(`JSON nested at most ${maxDepth} levels deep`);
        return { type: 'json', value, repaired: false };
    }
    const scan = scanJson(trimmed);
    if (scan.maxDepth > maxDepth)
        throw new ShapeError(`JSON nested at most ${maxDepth} levels deep`);
    if (scan.inString || scan.closers === '')
        throw new ShapeError('JSON');
    try {
        return { type: 'json', value: JSON.parse(trimmed + scan.closers), repaired: true };
    }
    catch {
        throw new ShapeError('JSON');
    }
}
/** Whether objects and arrays nest deeper than `max`; stops descending at `max`. */
function deeperThan(value, max, depth = 1) {
    if (typeof value !== 'object' || value === null)
        return false;
    if (depth > max)
        return true;
    for (const key in value)
        if (deeperThan(value[key], max, depth + 1))
            return true;
    return false;
}
/** Nesting depth and the brackets left open at the end, skipping string contents. */
function scanJson(text) {
    const open = [];
    let maxDepth = 0;
    let inString = false;
    for (let i = 0; i < text.length; i++) {
        const ch = text[i];
        if (inString) {
            if (ch === '\\')
                i++;
            else if (ch === '"')
                inString = false;
        }
        else if (ch === '"')
            inString = true;
        else if (ch === '{' || ch === '[') {
            open.push(ch === '{' ? '}' : ']');
            maxDepth = Math.max(maxDepth, open.length);
        }
        else if (ch === '}' || ch === ']')
            open.pop();
    }
    return { maxDepth, closers: open.reverse().join(''), inString };
}
/** `{"data": x}` → x; anything else as it is. */
function unwrap(value) {
    if (isRecord(value) && 'data' in value && (isRecord(value.data) || Array.isArray(value.data)))
        return value.data;
    return value;
}
function bodyValue(body) {
    if (body.type === 'json')
        return unwrap(body.value);
    return body.type === 'text' ? body.text : undefined;
}
// The July 2023 draft's status names, one to one.
const LEGACY_STATUSES = {
    EXTRACTING: 'ASSEMBLING',
    BUILDING: 'DRAFT',
    PREVIEW: 'TESTING',
    PUBLIC: 'ACTIVE',
    RETIRED: 'DISABLED',
};
function normaliseStatus(status) {
    if (typeof status !== 'string' || status.trim() === '')
        return undefined;
    const upper = status.trim().toUpperCase();
    return LEGACY_STATUSES[upper] ?? upper;
}
function idOf(value) {
    if (typeof value === 'string' && value.trim() !== '')
        return value.trim();
    if (typeof value === 'number' && Number.isFinite(value))
        return String(value);
    return undefined;
}
/**
 * An id that names a package or an installation: it goes into outputs, URLs and file names, so one outside
 * the id pattern (`p1/../../x`, a line break) makes the answer unreadable rather than reaching them.
 */
function checkedId(value, what) {
    const id = idOf(value);
    if (id !== undefined && !isId(id))
        throw new ShapeError(`${what} of letters, digits, - and _ (at most 64)`);
    return id;
}
function stringOf(value) {
    return typeof value === 'string' ? value : undefined;
}
function nullableString(value) {
    return value === null ? null : stringOf(value);
}
function numberOf(value) {
    if (typeof value === 'number' && Number.isFinite(value))
        return value;
    if (typeof value === 'string' && /^\d+$/.test(value.trim()))
        return Number(value);
    return undefined;
}
/** Drops undefined fields so a normalised object shows only what the API said. */
function compact(value) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
function normaliseEntities(value) {
    if (!isRecord(value))
        return undefined;
    // objCodes come from the server: without a prototype, `__proto__` is an objCode like any other.
    const out = Object.create(null);
    for (const objCode in value) {
        const list = value[objCode];
        if (!Array.isArray(list))
            continue;
        const entities = [];
        for (const raw of list) {
            const id = isRecord(raw) ? idOf(raw.id ?? raw.ID) : undefined;
            if (id === undefined)
                continue;
            // In place, like translation maps: a package's entities can number 50,000.
            raw.id = id;
            entities.push(raw);
        }
        out[objCode] = entities;
    }
    return out;
}
/** A package from any revision: `packageName` → name, old statuses → new, display/package entities both set. */
function toPackage(value) {
    if (!isRecord(value))
        throw new ShapeError('a package object');
    const id = checkedId(value.id ?? value.ID, 'a package id');
    if (id === undefined)
        throw new ShapeError('a package with an "id"');
    const entities = normaliseEntities(value.packageEntities ?? value.displayEntities);
    return compact({
        id,
        name: stringOf(value.name) ?? stringOf(value.packageName),
        description: nullableString(value.description),
        source: stringOf(value.source),
        status: normaliseStatus(value.status),
        version: numberOf(value.version),
        createdAt: stringOf(value.createdAt),
        createdById: stringOf(value.createdById),
        publishedAt: nullableString(value.publishedAt),
        retiredAt: nullableString(value.retiredAt),
        deletedAt: nullableString(value.deletedAt),
        customerId: stringOf(value.customerId),
        installationCounts: isRecord(value.installationCounts) ? value.installationCounts : undefined,
        // Older answers call the summary displayEntities, newer ones packageEntities: offer both names.
        packageEntities: entities,
        displayEntities: normaliseEntities(value.displayEntities) ?? entities,
        metadata: isRecord(value.metadata) ? value.metadata : undefined,
    });
}
function toList(body, item, what) {
    const value = bodyValue(body);
    if (value === undefined || (isRecord(value) && Object.keys(value).length === 0))
        return [];
    if (!Array.isArray(value))
        throw new ShapeError(`a list of ${what}`);
    return value.map(item);
}
function parsePackage(body) {
    return toPackage(bodyValue(body));
}
function parsePackages(body) {
    return toList(body, toPackage, 'packages');
}
/** Bare `{packageEntities, metadata?}`, wrapped in `data`, or a whole package carrying its entities. */
function parseDefinition(body) {
    const value = bodyValue(body);
    if (!isRecord(value))
        throw new ShapeError('a definition object with "packageEntities"');
    const entities = normaliseEntities(value.packageEntities ?? value.displayEntities);
    if (!entities)
        throw new ShapeError('a definition object with "packageEntities"');
    return { ...value, packageEntities: entities };
}
/** Checked in place, not copied: the parsed answer is ours alone, and a 50,000-record map is large. */
function toTranslationMap(value) {
    if (!isRecord(value))
        throw new ShapeError('a translation map {OBJCODE: {sourceId: record}}');
    for (const objCode in value) {
        const records = value[objCode];
        if (!isRecord(records))
            throw new ShapeError(`translation map records under ${objCode}`);
        for (const sourceId in records) {
            const record = records[sourceId];
            if (!isRecord(record))
                throw new ShapeError(`a translation map record at ${objCode}.${sourceId}`);
            if (typeof record.action !== 'string')
                record.action = String(record.action ?? '');
        }
    }
    return value;
}
function toInstallation(value) {
    if (!isRecord(value))
        throw new ShapeError('an installation object');
    const id = checkedId(value.id ?? value.ID, 'an installation id');
    if (id === undefined)
        throw new ShapeError('an installation with an "id"');
    return compact({
        id,
        environmentPromotionPackageId: checkedId(value.environmentPromotionPackageId, 'a package id'),
        environmentPromotionPackageVersion: numberOf(value.environmentPromotionPackageVersion),
        userId: stringOf(value.userId),
        customerId: stringOf(value.customerId),
        status: normaliseStatus(value.status),
        environment: stringOf(value.environment),
        registeredAt: stringOf(value.registeredAt),
        updatedAt: nullableString(value.updatedAt),
        translationMap: value.translationMap === undefined || value.translationMap === null
            ? undefined
            : toTranslationMap(value.translationMap),
    });
}
function parseInstallation(body) {
    return toInstallation(bodyValue(body));
}
function parseInstallations(body) {
    return toList(body, toInstallation, 'installations');
}
/** Bare map (documented), wrapped in `data`, or under `translationMap`. */
function parseTranslationMap(body) {
    const value = bodyValue(body);
    return toTranslationMap(isRecord(value) && isRecord(value.translationMap) ? value.translationMap : value);
}
/** An installation's `environment` is a host in one example and a URL in another: the lower-case host either way. */
function hostOfEnvironment(environment) {
    const text = environment?.trim();
    if (!text)
        return undefined;
    try {
        return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`).host.toLowerCase();
    }
    catch {
        return undefined;
    }
}
/** The new installation's id: bare text, a JSON string, `{id}` or `{installationId}`, possibly in `data`. */
function parseInstallationId(body) {
    const value = bodyValue(body);
    const id = isRecord(value) ? idOf(value.id ?? value.installationId) : idOf(value);
    if (id === undefined || !isId(id))
        throw new ShapeError("the new installation's id");
    return id;
}
/**
 * The answer to `POST /installations/{id}/install`: `{}` or nothing (seeds 000, 002). Any other text (a login
 * page answered 200) is not taken as the installation started.
 */
function parseAccepted(body) {
    if (body.type === 'text')
        throw new ShapeError('an empty answer or {}');
}
/** The answer to DELETE: plain text `Deleted`, a JSON value, or nothing; other text is not taken as deleted. */
function parseDeleted(body) {
    if (body.type === 'text' && !/^deleted\.?$/i.test(body.text))
        throw new ShapeError('`Deleted`, {} or nothing');
}
/**
 * The API's message from an error body: `{error: {message}}`, `{message}`, `{error, error_description}`, text.
 * `redact` runs before the cut, so no fragment of an echoed credential survives it.
 */
function apiMessageOf(body, limit = 300, redact = (text) => text) {
    const message = body.type === 'json' ? messageOf(unwrap(body.value)) : body.type === 'text' ? textOf(body.text) : '';
    if (!message)
        return undefined;
    const flat = redact(message).replace(/\s+/g, ' ').trim();
    return flat.length > limit ? `${flat.slice(0, limit)}…` : flat;
}
function messageOf(value) {
    if (typeof value === 'string')
        return value;
    if (!isRecord(value))
        return undefined;
    const error = value.error;
    if (isRecord(error))
        return messageOf(error);
    const description = stringOf(value.error_description) ?? stringOf(value.errorDescription);
    if (typeof error === 'string')
        return description ? `${error}: ${description}` : error;
    return (stringOf(value.message) ??
        stringOf(value.errorMessage) ??
        stringOf(value.detail) ??
        description ??
        (Array.isArray(value.errors) ? value.errors.map(messageOf).filter(Boolean).join('; ') : undefined));
}
/** Plain text as it is; an HTML page (a proxy's or a login page) by its title, or its text without tags. */
function textOf(text) {
    if (!/^\s*</.test(text))
        return text;
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1];
    return (title ?? text.replace(/<[^>]*>/g, ' ')).trim();
}

;// CONCATENATED MODULE: ./src/api/auth.ts
// Credentials on every request: static headers, or access tokens from Workfront's JWT flow or Adobe IMS,
// renewed before they expire and once when the API answers 401.



const DEFAULT_IMS_TOKEN_URL = 'https://ims-na1.adobelogin.com/ims/token/v3';
const JWT_EXCHANGE_PATH = '/integrations/oauth2/api/v1/jwt/exchange';
/** The JWT exchanged for a token lives this long; Workfront accepts at most an hour. */
const JWT_LIFETIME_S = 300;
/** Renew this share of a token's lifetime before it ends, at most MAX_RENEW_MARGIN_MS. */
const RENEW_SHARE = 0.2;
const MAX_RENEW_MARGIN_MS = 5 * 60_000;
/** IMS v2 answered `expires_in` in milliseconds, v3 in seconds: no token lives ten days. */
const SECONDS_LIMIT = 10 * 24 * 3600;
function createAuthenticator(credential, options) {
    switch (credential.kind) {
        case 'api-key':
            return staticAuthenticator({ apikey: credential.apiKey }, options.secret);
        case 'session-id':
            return staticAuthenticator({ sessionID: credential.sessionId }, options.secret);
        case 'bearer-token':
            return staticAuthenticator({ Authorization: `Bearer ${credential.token}` }, options.secret, credential.token);
        case 'workfront-jwt':
            return workfrontJwt(credential, options);
        case 'adobe-ims':
            return adobeIms(credential, options);
    }
}
function staticAuthenticator(headers, secret, ...secrets) {
    for (const value of [...Object.values(headers), ...secrets])
        secret(value);
    return { headers: async () => headers };
}
/** Holds one token; concurrent requests share a renewal in flight. */
class TokenAuthenticator {
    obtain;
    toHeaders;
    now;
    token;
    pending;
    constructor(obtain, toHeaders, now) {
        this.obtain = obtain;
        this.toHeaders = toHeaders;
        this.now = now;
    }
    async headers() {
        const token = this.token && this.now() < this.token.renewAt ? this.token.value : await this.refresh();
        return this.toHeaders(token);
    }
    async renew() {
        await this.refresh();
        return true;
    }
    refresh() {
        this.pending ??= this.obtain()
            .then(({ accessToken, expiresInMs }) => {
            const margin = expiresInMs === undefined ? 0 : Math.min(MAX_RENEW_MARGIN_MS, expiresInMs * RENEW_SHARE);
            const renewAt = expiresInMs === undefined ? Infinity : this.now() + expiresInMs - margin;
            this.token = { value: accessToken, renewAt };
            return accessToken;
        })
            .finally(() => {
            this.pending = undefined;
        });
        return this.pending;
    }
}
function workfrontJwt(c, options) {
    options.secret(c.clientSecret);
    options.secret(c.privateKey);
    const key = loadPrivateKey(c.privateKey, c.tokenUrl);
    return new TokenAuthenticator(() => {
        const iat = Math.floor(options.now() / 1000);
        const jwt = signJwt({ iss: c.customerId, sub: c.userId, iat, exp: iat + JWT_LIFETIME_S }, key);
        options.secret(jwt);
        return requestToken(options, c.tokenUrl, {
            client_id: c.clientId,
            client_secret: c.clientSecret,
            jwt_token: jwt,
        });
    }, (token) => ({ sessionID: token }), options.now);
}
function adobeIms(c, options) {
    options.secret(c.clientSecret);
    const form = {
        grant_type: 'client_credentials',
        client_id: c.clientId,
        client_secret: c.clientSecret,
        scope: c.scopes.join(','),
    };
    return new TokenAuthenticator(() => requestToken(options, c.tokenUrl, form), (token) => ({ Authorization: `Bearer ${token}` }), options.now);
}
/** POSTs a form to a token endpoint, retried like any call (a token request is harmless to repeat). */
function requestToken(options, tokenUrl, form) {
    const url = new URL(tokenUrl);
    const call = {
        endpoint: 'token',
        method: 'POST',
        url: url.href,
        path: `${url.origin}${url.pathname}`,
        body: new URLSearchParams(form).toString(),
        contentType: 'application/x-www-form-urlencoded',
        repeatable: true,
        secretBodies: true,
        parse: (body) => parseToken(body, options.secret),
    };
    return options.transport.call(call);
}
/** `{access_token, expires_in, refresh_token?, token_type}`; every token is reported as a secret first. */
function parseToken(body, secret) {
    const value = body.type === 'json' ? body.value : undefined;
    if (!isRecord(value) || typeof value.access_token !== 'string' || value.access_token === '') {
        throw new ShapeError('a token answer with "access_token"');
    }
    // A token goes into headers and into the runner's `::add-mask::` line: one that could break either is refused.
    if (!/^[\x21-\x7e]+$/.test(value.access_token) || /::|##\[/.test(value.access_token)) {
        throw new ShapeError('an "access_token" of printable characters, without spaces');
    }
    secret(value.access_token);
    if (typeof value.refresh_token === 'string')
        secret(value.refresh_token);
    const expires = Number(value.expires_in);
    const expiresInMs = expires > 0 ? (expires > SECONDS_LIMIT ? expires : expires * 1000) : undefined;
    return { accessToken: value.access_token, expiresInMs };
}
/** A compact JWS, RS256. */
function signJwt(claims, key) {
    const encode = (part) => Buffer.from(JSON.stringify(part)).toString('base64url');
    const signingInput = `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode(claims)}`;
    return `${signingInput}.${(0,external_node_crypto_.sign)('sha256', Buffer.from(signingInput), key).toString('base64url')}`;
}
/** Why a PEM text is not a usable RS256 private key, or undefined when it is; never echoes the key. */
function checkPrivateKey(pem) {
    let key;
    try {
        key = (0,external_node_crypto_.createPrivateKey)(pem);
    }
    catch {
        return 'it does not parse as a PEM private key (-----BEGIN PRIVATE KEY----- …)';
    }
    return key.asymmetricKeyType === 'rsa'
        ? undefined
        : `RS256 needs an RSA key, this is ${key.asymmetricKeyType}`;
}
function loadPrivateKey(pem, tokenUrl) {
    const problem = checkPrivateKey(pem);
    if (problem) {
        const summary = `was not sent: private-key: ${problem}`;
        throw new WorkfrontError({ kind: 'input', method: 'POST', path: tokenUrl.split('?')[0], summary });
    }
    return (0,external_node_crypto_.createPrivateKey)(pem);
}

;// CONCATENATED MODULE: ./src/api/hints.ts
// Every hint the action gives a user, in one table, and the rules that pick one for a failed call.
// The texts follow the vendor's pages (see the last section of API.md).
const HINTS = {
    credential: 'check the credential: it may be mistyped, expired or revoked, or belong to another Workfront instance than url',
    renewedTokenRefused: "a freshly obtained token was refused too: the OAuth2 application's user lacks the rights; environment promotion needs a Workfront administrator on an Enterprise, Prime or Ultimate plan",
    adminRights: 'environment promotion needs a Workfront administrator (full administrative access) on an Enterprise, Prime or Ultimate plan; check the user behind the credential',
    packageId: 'check package-id: no package with this id is visible to this customer (packages belong to the customer and can be read through any of its environments)',
    installationId: 'check installation-id: it is the id of a pre-run or installation of this customer (the pre-run answers it as "id")',
    undocumented: 'this endpoint is undocumented since November 2023 and the tenant may refuse it; get, update of name/description/status, and create stay available',
    methodNotAllowed: 'the server does not offer this call here: check that url points at a Workfront environment (https://{domain}.{environment}.workfront.com)',
    installRefused: 'check the package status and the target: TESTING installs only into Preview or Custom Refresh sandboxes, ACTIVE anywhere including Production; DRAFT, DISABLED and ASSEMBLING_FAILED are not installable, and an ASSEMBLING package must finish first',
    translationMapRefused: 'check the translation map: actions are CREATE, USEEXISTING, IGNORE, OVERWRITING or CREATEWITHALTNAME; targetId is the target record id for USEEXISTING and OVERWRITING and empty otherwise; ignoring a CREATE record needs its child records ignored too',
    unassembled: 'the package is UNASSEMBLED (saved but never assembled) and cannot be installed: assemble it first (update with object-collections, or create it again)',
    statusChange: 'a user may set DRAFT, TESTING, ACTIVE or DISABLED; adding or removing objects and re-assembling need DRAFT, so move a TESTING or ACTIVE package back to DRAFT first',
    createRefused: 'check object-collections (objCodes such as TMPL, PROJ, PTLTAB with IDs that exist in the source environment) and source; promotion across domains (acme.* to other.*) is not supported',
    conflict: 'the package changed meanwhile or its status does not allow this: read it again before retrying',
    rateLimited: 'Workfront caps concurrent API requests per customer, sandboxes included: run fewer jobs against this customer at once (e.g. a concurrency group)',
    serverError: 'Workfront failed on its side; try again later (calls made while a Custom Refresh sandbox is being refreshed may fail or stall the refresh)',
    timeout: 'Workfront did not answer in time; try again later, or raise the timeout if the environment is known to be slow',
    deadline: "the operation's timeout ran out before the call could finish; raise timeout",
    network: "check url, DNS and the runner's network access to the host; a proxy is taken from HTTPS_PROXY (exceptions in NO_PROXY)",
    dns: 'the host name does not resolve: check url for a typo; Workfront environments are https://{domain}.my.workfront.com (production), {domain}.preview.workfront.com and {domain}.sbNN.workfront.com (sandboxes), {domain} as Workfront shows it under Setup → System → Customer Info; on a self-hosted runner also check its DNS',
    dnsTokenUrl: "the host name of token-url does not resolve: check token-url for a typo, and the runner's DNS",
    apiNotFound: 'no Environment Promotion API answers at this address: check url, which is the environment itself (https://{domain}.{environment}.workfront.com, no path), not a page of the UI',
    installationTimeout: 'raise timeout: large packages take minutes to install',
    tls: 'the server certificate was not trusted; behind a TLS-intercepting proxy give its CA certificate in NODE_EXTRA_CA_CERTS',
    redirect: 'the API does not redirect: give the environment URL itself (https://{domain}.{environment}.workfront.com), not a login page, alias or vanity domain',
    malformed: 'the answer is none of the shapes the API documents: check that url points at a Workfront environment, not at a proxy or login page',
    unknownOutcome: 'the request may have reached Workfront: check there whether it took effect (the package list, or the installations of the package) before running it again',
    tooLarge: 'the answer exceeds the size limit of the client; this is not a Workfront answer the action can handle',
    historyTooLarge: "the package's installation history (every pre-run and installation in every environment, each with a translation map as large as the package) is larger than the client reads (1 GiB, the maps included); build the release as a new package (operation create), whose history starts empty",
    stalledInstallation: 'an installation still running after 10–15 minutes is stalled: re-assemble the package and install it again',
    invalidCustomExpression: 'a calculated field refers to a field that is on no custom form in the target: promote or create that field first',
    coreApi: "names and target ids are looked up through Workfront's core API ({url origin}/attask/api/{core-api-version}): check core-api-version (v18.0 to v22.0 are supported as of 2026) and that the objCode is one whose objects have names",
    tokenClient: 'check client-id and client-secret: the token endpoint did not accept this OAuth2 client',
    tokenJwt: 'check private-key, customer-id and user-id: the JWT is signed with the private key whose public key the OAuth2 application holds, iss = customer id, sub = user id',
    tokenScope: 'check scopes: give the scopes the Developer Console shows for the server-to-server credential',
    tokenUrl: 'check token-url: it must be the token endpoint of the flow (Workfront JWT: {url origin}/integrations/oauth2/api/v1/jwt/exchange; Adobe IMS: https://ims-na1.adobelogin.com/ims/token/v3)',
};
/** Endpoints without an id in their path: a 404 there means no API at this address, not a wrong id. */
const COLLECTION_ENDPOINTS = ['listPackages', 'createPackage'];
const CORE_ENDPOINTS = ['coreSearch', 'coreCount', 'coreGet'];
const INSTALL_ENDPOINTS = ['prepareInstallation', 'installInstallation'];
const INSTALLATION_ENDPOINTS = ['getInstallation', 'installInstallation'];
// First match wins; the more specific rules come first.
const RULES = [
    [(c) => c.endpoint === 'token', tokenHint],
    [(c) => c.status >= 300 && c.status < 400, () => HINTS.redirect],
    [(c) => c.status === 401, (c) => (c.renewed ? HINTS.renewedTokenRefused : HINTS.credential)],
    [(c) => c.status === 403, () => HINTS.adminRights],
    [(c) => c.status === 429, () => HINTS.rateLimited],
    [(c) => CORE_ENDPOINTS.includes(c.endpoint) && c.status < 500, () => HINTS.coreApi],
    [(c) => c.status === 408 || c.status === 504, () => HINTS.timeout],
    [(c) => c.status >= 500, () => HINTS.serverError],
    [(c) => /UNASSEMBLED/.test(c.apiMessage ?? ''), () => HINTS.unassembled],
    [(c) => /invalid custom expression/i.test(c.apiMessage ?? ''), () => HINTS.invalidCustomExpression],
    [
        (c) => c.status === 404 &&
            (COLLECTION_ENDPOINTS.includes(c.endpoint) || /^no endpoint\b/i.test(c.apiMessage ?? '')),
        () => HINTS.apiNotFound,
    ],
    [(c) => c.status === 404 && !!c.undocumented, () => `${HINTS.packageId}; or ${HINTS.undocumented}`],
    [(c) => [400, 405].includes(c.status) && !!c.undocumented, () => HINTS.undocumented],
    [(c) => c.status === 404 && INSTALLATION_ENDPOINTS.includes(c.endpoint), () => HINTS.installationId],
    [(c) => c.status === 404 || c.status === 410, () => HINTS.packageId],
    [(c) => c.status === 405, () => HINTS.methodNotAllowed],
    [(c) => c.endpoint === 'installPackage', () => `${HINTS.installRefused}; ${HINTS.translationMapRefused}`],
    [(c) => INSTALL_ENDPOINTS.includes(c.endpoint), () => HINTS.installRefused],
    [(c) => c.endpoint === 'updatePackage', () => HINTS.statusChange],
    [(c) => c.endpoint === 'createPackage', () => HINTS.createRefused],
    [(c) => c.status === 409 || c.status === 412, () => HINTS.conflict],
];
/** The hint for a call the API answered with an error status, if any rule knows one. */
function hintFor(context) {
    const rule = RULES.find(([applies]) => applies(context));
    return rule?.[1](context);
}
function tokenHint(c) {
    const code = (c.tokenError ?? '').toLowerCase();
    if (code.includes('scope'))
        return HINTS.tokenScope;
    if (/jwt|assertion|grant|sign|expired/.test(code))
        return HINTS.tokenJwt;
    if (c.status === 404 || c.status === 405 || (c.status >= 300 && c.status < 400))
        return HINTS.tokenUrl;
    if (c.status === 429)
        return HINTS.rateLimited;
    if (c.status >= 500)
        return HINTS.serverError;
    return HINTS.tokenClient;
}
/** Failures before a request was sent: a name that does not resolve is not worth retrying. */
const UNRESOLVED_HOST_CODES = ['ENOTFOUND', 'EAI_AGAIN'];
/** The hint for a network failure (Node's error code). */
function networkHint(code, endpoint) {
    if (code && UNRESOLVED_HOST_CODES.includes(code))
        return endpoint === 'token' ? HINTS.dnsTokenUrl : HINTS.dns;
    return HINTS.network;
}
/** Stalled installations are a thing of 10–15 minutes: a shorter wait that ran out says so instead. */
function installationTimeoutHint(waitedMs) {
    return waitedMs >= 10 * 60_000 ? HINTS.stalledInstallation : HINTS.installationTimeout;
}
/** The hint for one record an installation reports FAILED, from its reason. */
function hintForRecordFailure(reason) {
    return /invalid custom expression/i.test(reason) ? HINTS.invalidCustomExpression : undefined;
}
/** The hint for an answer larger than the client reads: a long installation history is a real one. */
function tooLargeHint(endpoint) {
    return endpoint === 'listInstallations' ? HINTS.historyTooLarge : HINTS.tooLarge;
}

;// CONCATENATED MODULE: ./src/api/core.ts


// Ids the client puts into a path, and accepts from an answer: the action's one id pattern.


const DEFAULT_CORE_API_VERSION = 'v21.0';
/** The platform caps concurrent requests per customer (formerly 10): names are resolved this many at a time. */
const CORE_CONCURRENCY = 4;
/** URIs through the vendor's CDN are capped at 8,892 bytes. */
const MAX_URI_BYTES = 8_892;
const VERSION_PATTERN = /^v\d{1,3}\.\d{1,2}$/;
const OBJCODE = /^[A-Za-z][A-Za-z0-9]{1,15}$/;
/** The version as the path needs it (`21`, `21.0`, `v21` → `v21.0`), or undefined when it is none. */
function normaliseCoreApiVersion(raw) {
    const match = /^v?(\d{1,3})(?:\.(\d{1,2}))?$/i.exec(raw.trim());
    return match ? `v${match[1]}.${match[2] ?? '0'}` : undefined;
}
/** The objCode the core API knows an object by: a team is TEAMOB there. */
function coreObjCode(objCode) {
    const upper = objCode.toUpperCase();
    return upper === 'TEAM' ? 'TEAMOB' : upper;
}
/** `{"error": {"class", "message"}}`, possibly with `title`, `msgKey`, `code`; also under `data`. */
function apiErrorOf(value) {
    const error = isRecord(value) ? value.error : undefined;
    if (!isRecord(error))
        return undefined;
    const text = (v) => (typeof v === 'string' && v.trim() ? v : undefined);
    return {
        class: text(error.class),
        message: text(error.message) ?? text(error.title) ?? text(error.msgKey),
    };
}
function kindOfClass(errorClass) {
    if (/NotFound/i.test(errorClass))
        return 'not-found';
    if (/Authentication|Login|Session/i.test(errorClass))
        return 'auth';
    if (/Forbidden|Security|Permission|Access/i.test(errorClass))
        return 'forbidden';
    return 'input';
}
function toObject(value) {
    if (!isRecord(value))
        throw new ShapeError('an object {ID, name}');
    const id = value.ID ?? value.id;
    if (typeof id !== 'string' || !ID_PATTERN.test(id))
        throw new ShapeError('an object with a Workfront "ID"');
    const out = { ID: id };
    if (typeof value.name === 'string')
        out.name = value.name;
    if (typeof value.objCode === 'string')
        out.objCode = value.objCode;
    return out;
}
/** A list answer: `{data: [...]}`, a bare list, one object under `data`, or nothing. */
function parseObjects(body) {
    if (body.type === 'empty')
        return [];
    if (body.type !== 'json')
        throw new ShapeError('a JSON answer {"data": [...]}');
    const raw = body.value;
    if (isRecord(raw) && 'data' in raw && (raw.data === null || raw.data === undefined))
        return [];
    const value = unwrap(raw);
    if (Array.isArray(value))
        return value.map(toObject);
    if (isRecord(value) && Object.keys(value).length === 0)
        return [];
    return [toObject(value)];
}
/** One object: `{data: {...}}`, a bare object, a one-item list; none when the answer holds nothing. */
function parseObject(body) {
    return parseObjects(body)[0];
}
/** `{data: {count: N}}`, bare `{count: N}` (one vendor page shows it), or `{data: N}`. */
function parseCount(body) {
    const value = body.type === 'json' ? body.value : undefined;
    const inner = isRecord(value) && 'data' in value ? value.data : value;
    const raw = isRecord(inner) ? inner.count : inner;
    const count = typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : raw;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0)
        throw new ShapeError('a count {"data": {"count": N}}');
    return count;
}
class CoreClient {
    transport;
    auth;
    origin;
    host;
    version;
    constructor(transport, auth, origin, version) {
        this.transport = transport;
        this.auth = auth;
        this.origin = origin;
        this.host = new URL(origin).host.toLowerCase();
        this.version = version;
    }
    search(objCode, name, options = {}) {
        const query = new URLSearchParams({ name, name_Mod: options.mode ?? 'cieq', fields: 'ID,name' });
        if (options.first !== undefined) {
            query.set('$$FIRST', String(options.first));
            query.set('ID_Sort', 'asc');
        }
        if (options.limit !== undefined)
            query.set('$$LIMIT', String(options.limit));
        return this.call('coreSearch', objCode, '/search', query, parseObjects);
    }
    count(objCode, name, mode = 'cieq') {
        const query = new URLSearchParams({ name, name_Mod: mode });
        return this.call('coreCount', objCode, '/count', query, parseCount);
    }
    async get(objCode, id) {
        if (!ID_PATTERN.test(id))
            return undefined; // no object has such an id; and it stays out of the path
        try {
            const found = await this.call('coreGet', objCode, `/${encodeURIComponent(id)}`, new URLSearchParams({ fields: 'ID,name' }), parseObject);
            return found;
        }
        catch (error) {
            // The API's own "no such object" (a 404 with its error body, or a 200 carrying a NotFound error), not a
            // bare 404 page or an unknown version or endpoint, which mean a wrong path.
            if (error instanceof WorkfrontError &&
                error.kind === 'not-found' &&
                error.apiMessage &&
                !/version|endpoint/i.test(error.apiMessage))
                return undefined;
            throw error;
        }
    }
    async call(endpoint, objCode, suffix, query, parse) {
        const path = `/attask/api/${this.version}/${coreObjCode(objCode)}${suffix}`;
        const fail = (kind, summary, apiMessage) => {
            throw new WorkfrontError({ kind, method: 'GET', path, summary, apiMessage, hint: HINTS.coreApi });
        };
        if (!OBJCODE.test(objCode))
            fail('input', `was not sent: "${objCode.slice(0, 40)}" is not an objCode`);
        // Spaces as %20, not +, which some servers keep as a plus; `$` (legal in a query) as written, `$$LIMIT`.
        const url = `${this.origin}${path}?${query.toString().replace(/\+/g, '%20').replace(/%24/g, '$')}`;
        if (Buffer.byteLength(url) > MAX_URI_BYTES)
            fail('input', `was not sent: the address would exceed the ${MAX_URI_BYTES} bytes Workfront accepts`);
        return this.transport.call({
            endpoint,
            method: 'GET',
            url,
            path,
            auth: this.auth,
            repeatable: true,
            parse: (body) => {
                // The official client treats a 2xx carrying `error` as a failure too.
                const error = body.type === 'json' ? apiErrorOf(body.value) : undefined;
                if (error) {
                    const message = error.message && this.transport.redactor.redact(error.message).slice(0, 300);
                    fail(kindOfClass(error.class ?? ''), `answered with an error${error.class ? ` (${error.class.slice(0, 100)})` : ''}`, message ?? 'no message');
                }
                return parse(body);
            },
        });
    }
}
function createCoreApi(options) {
    const version = options.version ?? DEFAULT_CORE_API_VERSION;
    if (!VERSION_PATTERN.test(version))
        throw new Error(`core API version "${version}" is not v{N}.0`);
    return new CoreClient(options.transport, options.auth, new URL(options.origin).origin, version);
}
/** Runs `fn` over `items`, at most `limit` at a time; the answers in the order of `items`. */
async function mapLimit(items, limit, fn) {
    const results = new Array(items.length);
    let next = 0;
    let failed = false;
    const worker = async () => {
        while (next < items.length && !failed) {
            const index = next++;
            try {
                results[index] = await fn(items[index]);
            }
            catch (error) {
                failed = true; // the others finish what they started, and start nothing new
                throw error;
            }
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
}

// EXTERNAL MODULE: external "node:string_decoder"
var external_node_string_decoder_ = __webpack_require__(6193);
;// CONCATENATED MODULE: ./src/api/split.ts
// Large answers read piece by piece: each object at a given depth inside an array is handed over on its own
// text, and the rest is parsed as one document with each such object replaced by a placeholder. A package
// definition (20 MB at 50,000 records) or an installation history (a translation map per installation) is then
// never parsed whole. Every piece is checked as JSON, and so is the rest: the answer as a whole is still JSON.


const QUOTE = 34;
const BACKSLASH = 92;
const COLON = 58;
const COMMA = 44;
const OPEN_OBJECT = 123;
const OPEN_ARRAY = 91;
const CLOSE_OBJECT = 125;
const CLOSE_ARRAY = 93;
/** The key of a placeholder object: `{"#": n}` stands for the n-th piece. */
const SLOT = '#';
/** The index of the closing quote of the string opening at `start`, or -1. */
function stringEnd(text, start) {
    for (let from = start + 1;;) {
        const quote = text.indexOf('"', from);
        if (quote < 0)
            return -1;
        let backslashes = 0;
        while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH)
            backslashes++;
        if (backslashes % 2 === 0)
            return quote;
        from = quote + 1;
    }
}
const tooDeep = (maxDepth) => new ShapeError(`JSON nested at most ${maxDepth} levels deep`);
/** The index of the bracket closing the container opening at `start`, `depth` containers deep, or -1. */
function containerEnd(text, start, depth, maxDepth) {
    let level = 0;
    for (let i = start; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === QUOTE) {
            i = stringEnd(text, i);
            if (i < 0)
                return -1;
        }
        else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
            level++;
            if (depth + level > maxDepth)
                throw tooDeep(maxDepth);
        }
        else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
            level--;
            if (level === 0)
                return i;
        }
    }
    return -1;
}
/** A piece the answer does not read as: the answer is read whole instead. */
class NotSplit extends Error {
}
const WHITESPACE = new Set([32, 9, 10, 13]);
/** An answer holding more than a reader's limits allow; its message says what (`an object of more than …`). */
class TooLarge extends Error {
}
/**
 * Splits an answer as it arrives: every object that is an element of an array `depth` containers deep, for a
 * depth in `depths` (1: the elements of a top-level array), is given to `piece` as its text as soon as it is
 * whole (it answers what to keep of it); the rest is parsed at the end with each such object replaced by
 * `{"#": n}`, n its piece's number. Neither the answer's bytes nor its text are ever held whole. Ends undefined
 * for what it does not read this way (not an object or array, cut short, a piece `piece` refuses by throwing a
 * SyntaxError), to be read whole instead; throws a ShapeError for an answer nested deeper than allowed, and
 * TooLarge for a piece or a rest larger than allowed, or more pieces. A piece's own field `skip` (an
 * installation's translation map), when its value is an object or array, is passed over as it arrives: the
 * piece's text has `null` in its place.
 */
function splitStream({ maxJsonDepth: maxDepth, maxHeldChars, maxPieces = Infinity }, depths, piece, skip) {
    // Each chunk is decoded on its own (a character cut between two chunks waits for the next) and scanned as text.
    const decoder = new external_node_string_decoder_.StringDecoder('utf8');
    const pieces = [];
    /** The answer outside its pieces, placeholders in their stead. */
    const rest = [];
    /** The text of the current piece gathered so far. */
    const begun = [];
    let restChars = 0;
    let begunChars = 0;
    const hold = (list, part) => {
        list.push(part);
        if (list === begun)
            begunChars += part.length;
        else
            restChars += part.length;
        if (begunChars > maxHeldChars)
            throw new TooLarge(`an object of more than ${maxHeldChars} characters`);
        if (restChars > maxHeldChars)
            throw new TooLarge(`more than ${maxHeldChars} characters outside the objects it lists`);
    };
    /** Per open container outside pieces: whether it is an array. */
    const inArray = [];
    let started = false;
    let declined = false;
    let inString = false;
    /** Backslashes just before the end of the last chunk, inside a string. */
    let backslashes = 0;
    /** Containers open inside the current piece (0: not in a piece), and where the piece began. */
    let level = 0;
    let pieceDepth = 0;
    // Passing over `skip`, directly inside a piece: whether a key comes next; the key being read (`keyHead` its
    // text from earlier chunks, null when it is not being read or is already longer than `skip`, `keyStart` where
    // it began in this chunk); whether the key just read is `skip` and its value is still to come; and whether that
    // value is being passed over.
    let expectKey = false;
    let keyHead = null;
    let keyStart = 0;
    let skipValue = false;
    let skipping = false;
    const scan = (text) => {
        const n = text.length;
        let i = 0;
        /** Where the text of `rest` or of the current piece not yet gathered from this chunk begins. */
        let from = 0;
        if (!started) {
            i = text.search(/[^ \t\n\r]/);
            if (i < 0)
                return hold(rest, text);
            started = true;
            const first = text.charCodeAt(i);
            if (first !== OPEN_OBJECT && first !== OPEN_ARRAY)
                throw new NotSplit();
        }
        // The state in locals while a chunk is scanned: this loop sees every character of the answer.
        let depth = level;
        let quoted = inString;
        for (; i < n; i++) {
            if (quoted) {
                // The closing quote is the first not escaped by an odd run of backslashes.
                const quote = text.indexOf('"', i);
                const to = quote < 0 ? n : quote;
                let run = 0;
                while (to - run - 1 >= i && text.charCodeAt(to - run - 1) === BACKSLASH)
                    run++;
                if (to - run === i)
                    run += backslashes;
                if (quote < 0) {
                    backslashes = run;
                    break;
                }
                backslashes = 0;
                if (run % 2 === 0) {
                    quoted = false;
                    if (keyHead !== null)
                        skipValue = keyHead + text.slice(keyStart, quote) === skip;
                    keyHead = null;
                }
                i = quote;
                continue;
            }
            const c = text.charCodeAt(i);
            if (c === QUOTE) {
                quoted = true;
                if (depth === 1 && skip !== undefined) {
                    if (expectKey) {
                        keyHead = '';
                        keyStart = i + 1;
                    }
                    skipValue = false;
                }
            }
            else if (skipping) {
                if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
                    if (pieceDepth + ++depth > maxDepth)
                        throw tooDeep(maxDepth);
                }
                else if ((c === CLOSE_OBJECT || c === CLOSE_ARRAY) && --depth === 1) {
                    skipping = false;
                    from = i + 1;
                }
            }
            else if (depth === 1 && skip !== undefined && (c === COMMA || c === COLON)) {
                expectKey = c === COMMA;
            }
            else if (depth === 1 && skipValue && (c === OPEN_OBJECT || c === OPEN_ARRAY)) {
                // The value of `skip`: its text is never held.
                hold(begun, `${text.slice(from, i)}null`);
                skipping = true;
                skipValue = false;
                if (pieceDepth + ++depth > maxDepth)
                    throw tooDeep(maxDepth);
            }
            else if (depth > 0) {
                if (skipValue && !WHITESPACE.has(c))
                    skipValue = false;
                if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
                    if (pieceDepth + ++depth > maxDepth)
                        throw tooDeep(maxDepth);
                }
                else if ((c === CLOSE_OBJECT || c === CLOSE_ARRAY) && --depth === 0) {
                    hold(begun, text.slice(from, i + 1));
                    const json = begun.splice(0).join('');
                    begunChars = 0;
                    let kept;
                    try {
                        kept = piece(json, pieceDepth);
                    }
                    catch (error) {
                        if (error instanceof SyntaxError)
                            throw new NotSplit();
                        throw error;
                    }
                    // A piece kept nothing of (an entity without an id) stands as 0: no placeholder, nothing held for it.
                    hold(rest, kept === undefined ? '0' : `{"${SLOT}":${pieces.push(kept) - 1}}`);
                    if (pieces.length > maxPieces)
                        throw new TooLarge(`more than ${maxPieces} objects`);
                    from = i + 1;
                }
            }
            else if (c === OPEN_OBJECT && inArray.at(-1) && depths.includes(inArray.length)) {
                hold(rest, text.slice(from, i));
                from = i;
                depth = 1;
                expectKey = true;
                skipValue = false;
                pieceDepth = inArray.length;
                if (pieceDepth + 1 > maxDepth)
                    throw tooDeep(maxDepth);
            }
            else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
                inArray.push(c === OPEN_ARRAY);
                if (inArray.length > maxDepth)
                    throw tooDeep(maxDepth);
            }
            else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
                if (inArray.pop() === undefined)
                    throw new NotSplit();
            }
        }
        level = depth;
        inString = quoted;
        // A key cut between two chunks is read on in the next one.
        if (keyHead !== null) {
            keyHead += text.slice(keyStart);
            keyStart = 0;
            if (keyHead.length > (skip?.length ?? 0))
                keyHead = null;
        }
        if (!skipping)
            hold(depth > 0 ? begun : rest, text.slice(from));
    };
    const read = (text) => {
        if (declined)
            return;
        try {
            scan(text);
        }
        catch (error) {
            if (!(error instanceof NotSplit))
                throw error;
            declined = true;
        }
    };
    return {
        write: (chunk) => read(decoder.write(chunk)),
        end() {
            read(decoder.end());
            if (declined || !started || inString || level > 0 || inArray.length)
                return undefined;
            try {
                return { skeleton: JSON.parse(rest.join('')), pieces };
            }
            catch {
                return undefined;
            }
        },
    };
}
/** A reader whose value is made of another's; an answer the other does not read, this one does not either. */
function mapReader(reader, value) {
    return {
        write: (chunk) => reader.write(chunk),
        end: () => {
            const read = reader.end();
            return read === undefined ? undefined : value(read);
        },
    };
}
/** The piece a placeholder stands for, if `value` is one. */
function pieceOf(value, pieces) {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
        return undefined;
    const slot = value[SLOT];
    return typeof slot === 'number' ? pieces[slot] : undefined;
}
/**
 * The JSON text of an object with the value of its own field `field` replaced by null, so that a large value
 * (an installation's translation map) is never parsed. The object's text must be whole (a piece of `splitStream`).
 */
function withoutField(json, field) {
    let depth = 0;
    let expectKey = false;
    for (let i = 0; i < json.length; i++) {
        const c = json.charCodeAt(i);
        if (c === QUOTE) {
            const end = stringEnd(json, i);
            if (end < 0)
                return json;
            if (depth === 1 && expectKey && json.slice(i + 1, end) === field) {
                const colon = json.indexOf(':', end + 1);
                let value = colon + 1;
                while (/\s/.test(json[value] ?? ''))
                    value++;
                const open = json.charCodeAt(value);
                const valueEnd = open === OPEN_OBJECT || open === OPEN_ARRAY
                    ? containerEnd(json, value, 1, Number.MAX_SAFE_INTEGER)
                    : open === QUOTE
                        ? stringEnd(json, value)
                        : -1;
                if (valueEnd < 0)
                    return json;
                return `${json.slice(0, value)}null${json.slice(valueEnd + 1)}`;
            }
            i = end;
        }
        else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
            depth++;
            expectKey = c === OPEN_OBJECT && depth === 1;
        }
        else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
            depth--;
        }
        else if (depth === 1 && c === COMMA) {
            expectKey = true;
        }
        else if (depth === 1 && c === COLON) {
            expectKey = false;
        }
    }
    return json;
}

;// CONCATENATED MODULE: ./src/api/definition.ts
// A package definition as dependants are found from it: each entity's id and the ids it mentions. A
// 50,000-record definition is 20 MB of JSON and about 100 MB once parsed whole; read entity by entity, only
// its index is kept.



function mentionsOf(value, depth, out) {
    for (const key in value) {
        if (depth === 0 && key === 'id')
            continue;
        const field = value[key];
        if (typeof field === 'string') {
            if (isId(field))
                out.add(field);
        }
        else if (depth < 3 && field && typeof field === 'object') {
            for (const item of Array.isArray(field) ? field : [field]) {
                if (typeof item === 'string') {
                    if (isId(item))
                        out.add(item);
                }
                else if (isRecord(item))
                    mentionsOf(item, depth + 1, out);
            }
        }
    }
    return out;
}
/** An entity as the index keeps it; none for one without an id of the id pattern (nothing can refer to it). */
function indexed(raw) {
    const id = idOf(raw.id ?? raw.ID);
    if (!isId(id))
        return undefined;
    const mentions = mentionsOf(raw, 0, new Set());
    mentions.delete(id);
    return { id, mentions: [...mentions] };
}
function installOrderOf(definition) {
    const order = isRecord(definition.metadata) ? definition.metadata.installOrder : undefined;
    return Array.isArray(order) ? order.filter((o) => typeof o === 'string') : undefined;
}
/** The entities of each objCode's list, as `entry` indexes each item (nothing for one it gives nothing for). */
function indexOfLists(definition, lists, entry) {
    const entities = [];
    for (const objCode in lists) {
        const list = lists[objCode];
        if (!Array.isArray(list))
            continue;
        for (const item of list) {
            const indexedItem = entry(item);
            if (indexedItem)
                entities.push({ objCode, ...indexedItem });
        }
    }
    return { entities, installOrder: installOrderOf(definition) };
}
/** The index of a definition parsed whole (the fallback, and what the scan must agree with). */
function indexOfDefinition(definition) {
    return indexOfLists(definition, definition.packageEntities, (raw) => indexed(raw));
}
/** More entities than any package has: the index of each is kept, so an answer of millions is refused. */
const MAX_ENTITIES = 1_000_000;
/**
 * Reads a definition's answer as it arrives: every object in an array three containers deep
 * (`{"packageEntities": {"TMPL": [{…}]}}`), or four under a `data` wrapper, is parsed on its own and indexed at
 * once; the rest is read by the same rules as `parseDefinition` (wrapper, `packageEntities` or
 * `displayEntities`). Ends undefined for an answer not read this way.
 */
function definitionReader(limits) {
    // Indexed as soon as parsed: the parsed entity itself is left to the garbage collector at once.
    const split = splitStream({ maxPieces: MAX_ENTITIES, ...limits }, [3, 4], (json) => indexed(JSON.parse(json)));
    return mapReader(split, ({ skeleton, pieces }) => {
        const value = unwrap(skeleton);
        if (!isRecord(value))
            throw new ShapeError('a definition object with "packageEntities"');
        const lists = value.packageEntities ?? value.displayEntities;
        if (!isRecord(lists))
            throw new ShapeError('a definition object with "packageEntities"');
        // Every object in these arrays was replaced by a placeholder; anything else is not an entity.
        return indexOfLists(value, lists, (slot) => pieceOf(slot, pieces));
    });
}

;// CONCATENATED MODULE: ./src/api/history.ts
// A package's installations as the list answers them, without their translation maps. The list holds every
// installation and pre-run of the package in every environment, each with a map as large as the package: 100
// pre-runs of a 5,000-record package make 50 MB. Each installation is read on its own with its map left unread;
// a map that is needed is read by id (GET /installations/{id}).


/** An installation without its translation map, which the records and the map file hold when it is needed. */
const withoutMap = (i) => i.translationMap === undefined ? i : { ...i, translationMap: undefined };
/** The installations of a parsed list answer, without translation maps. */
function parseInstallationList(body) {
    return parseInstallations(body).map(withoutMap);
}
/** More installations than a package has: each is kept (without its map), so a list of millions is refused. */
const MAX_INSTALLATIONS = 100_000;
/**
 * Reads a list answer as it arrives, each installation on its own with its map left unread: what it holds
 * grows with the number of installations, not with their maps, so the list may be larger than other answers.
 */
function historyReader(limits) {
    // The elements of a bare array (depth 1) or of a `data` array (depth 2).
    // The maps are passed over as they arrive; one that is not an object (a map in a string) is dropped here.
    const split = splitStream({ maxPieces: MAX_INSTALLATIONS, ...limits }, [1, 2], (json) => JSON.parse(withoutField(json, 'translationMap')), 'translationMap');
    return mapReader(split, ({ skeleton, pieces }) => {
        const restore = (value) => pieceOf(value, pieces) ?? value;
        const value = unwrap(skeleton);
        const body = {
            type: 'json',
            value: Array.isArray(value) ? value.map(restore) : value,
            repaired: false,
        };
        return parseInstallationList(body);
    });
}

;// CONCATENATED MODULE: ./src/clock.ts
// The one clock: the time, and the pauses of every wait (polls, retry backoffs). Injected, so a test or the
// benchmark runs a wait without waiting.
const systemClock = {
    now: () => Date.now(),
    sleep: (ms, signal) => new Promise((resolve) => {
        if (signal?.aborted)
            return resolve();
        const timer = setTimeout(done, ms);
        function done() {
            clearTimeout(timer);
            signal?.removeEventListener('abort', done);
            resolve();
        }
        signal?.addEventListener('abort', done, { once: true });
    }),
};

// EXTERNAL MODULE: ./node_modules/@actions/http-client/lib/index.js + 1 modules
var lib = __webpack_require__(4942);
;// CONCATENATED MODULE: ./src/api/http.ts






/** An answer the call's reader did not read: it is asked for again and read whole. */
class ReadWhole extends Error {
}
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
class Transport {
    options;
    constructor(options) {
        this.options = options;
    }
    get redactor() {
        return this.options.redactor;
    }
    /** Sends a call, retrying transient failures within the retry count and the deadline. */
    async call(call) {
        const state = { renewed: false };
        // A non-repeatable attempt failed in a way that may have reached the server: cancelling now leaves it unknown.
        let outstanding = false;
        try {
            for (let attempt = 1;; attempt++) {
                try {
                    return await this.attempt(call, state);
                }
                catch (error) {
                    if (!(error instanceof WorkfrontError))
                        throw error;
                    if (error.kind === 'malformed' && error.status !== undefined && call.landed) {
                        // A 2xx whose body is not the API's (a lost id, a login page): its effect is looked up, not trusted.
                        // Cancelled meanwhile, it may have landed: the report says so.
                        outstanding = !call.repeatable;
                        const found = await this.lookUp(call, error);
                        if (!found)
                            throw error.with({ summary: `${error.details.summary}; a lookup found no effect of it` });
                        this.options.log('warning', `${call.method} ${call.path}: answer unreadable, found its result by lookup`);
                        return found.value;
                    }
                    if (!error.retryable || (!call.repeatable && error.mayHaveLanded && !call.landed))
                        throw error;
                    if (!call.repeatable && error.mayHaveLanded)
                        outstanding = true;
                    const wait = this.backoff(attempt, error);
                    this.options.log('info', `${call.method} ${call.path} ${error.details.summary}; retry ${attempt} of ${this.options.maxRetries} in ${seconds(wait)}`);
                    await this.sleep(wait, call);
                    if (!call.repeatable && error.mayHaveLanded) {
                        const found = await this.lookUp(call, error);
                        if (found) {
                            this.options.log('info', `${call.method} ${call.path}: the earlier attempt landed; not sending it again`);
                            return found.value;
                        }
                        outstanding = false;
                    }
                }
            }
        }
        catch (error) {
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
    async lookUp(call, error) {
        const { now, deadline, log } = this.options;
        const within = call.landedWithinMs ?? 0;
        const until = now() + within;
        for (let pause = LOOKUP_PAUSE_MS;; pause = Math.min(pause * 2, MAX_LOOKUP_PAUSE_MS)) {
            const looked = await this.lookUpOnce(call, error);
            const left = until - now();
            if ('found' in looked && (looked.found || left <= 0))
                return looked.found;
            if ('failed' in looked && left <= 0)
                throw looked.failed;
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
                log('info', `${call.method} ${call.path}: not found yet; looking again for up to ${seconds(within)} (the API may take that long to show it) before sending it again`);
            await this.sleep(wait, call);
        }
    }
    /** One lookup: what it found, or, for a lookup that failed transiently, the error the call would end with. */
    async lookUpOnce(call, error) {
        try {
            return { found: await call.landed() };
        }
        catch (lookupError) {
            if (!(lookupError instanceof WorkfrontError) || lookupError.kind === 'cancelled')
                throw lookupError;
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
    backoff(attempt, error) {
        const { maxRetries, baseDelayMs, maxDelayMs, deadline, now, random } = this.options;
        if (attempt > maxRetries)
            throw error.with({ attempts: attempt, retryable: false });
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
    async attempt(call, state) {
        try {
            return await this.attemptOnce(call, state);
        }
        catch (error) {
            if (!(error instanceof ReadWhole))
                throw error;
            this.options.log('debug', `${call.method} ${call.path}: answered in a shape read whole; asking again`);
            return this.attemptOnce({ ...call, readStream: undefined }, state);
        }
    }
    async attemptOnce(call, state) {
        const { auth } = call;
        for (;;) {
            const response = await this.send(call, auth ? await authStep(() => auth.headers()) : {});
            if (response.status === 401 && auth?.renew && !state.renewed) {
                state.renewed = true;
                // A 401 means the request did not land: with a fresh token it is sent again at once.
                if (await authStep(() => auth.renew())) {
                    this.options.log('info', `${call.method} ${call.path} answered 401; renewed the token, sending again`);
                    continue;
                }
            }
            if (response.status < 200 || response.status >= 300)
                throw this.errorFor(call, response, state.renewed);
            return this.parse(call, response);
        }
    }
    parse(call, response) {
        try {
            if (response.read) {
                if ('error' in response.read) {
                    if (!(response.read.error instanceof TooLarge))
                        throw response.read.error;
                    throw this.error(call, {
                        kind: 'malformed',
                        status: response.status,
                        summary: `answered ${response.read.error.message}`,
                        hint: tooLargeHint(call.endpoint),
                    });
                }
                if (response.read.value === undefined)
                    throw new ReadWhole();
                return response.read.value;
            }
            const body = readBody(response.text, this.options.maxJsonDepth);
            if (body.type === 'json' && body.repaired) {
                this.options.log('debug', `${call.method} ${call.path}: completed a JSON answer missing its closing brackets`);
            }
            return call.parse(body);
        }
        catch (error) {
            if (!(error instanceof ShapeError))
                throw error;
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
    errorFor(call, response, renewed) {
        let body;
        try {
            body = readBody(response.text, this.options.maxJsonDepth);
        }
        catch {
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
    error(call, details) {
        return new WorkfrontError({ method: call.method, path: call.path, ...details });
    }
    /** Sleeps, ending at once with a 'cancelled' error when the signal aborts. */
    async sleep(ms, call) {
        const { signal } = this.options;
        if (signal?.aborted)
            throw this.cancelled(call);
        let onAbort = () => undefined;
        const aborted = new Promise((_, reject) => {
            onAbort = () => reject(this.cancelled(call));
            signal?.addEventListener('abort', onAbort, { once: true });
        });
        try {
            await Promise.race([this.options.sleep(ms, signal), aborted]);
        }
        catch (error) {
            throw signal?.aborted ? this.cancelled(call) : error;
        }
        finally {
            signal?.removeEventListener('abort', onAbort);
        }
    }
    /** `sent`: the request had gone out, so it may have landed. */
    cancelled(call, sent = false) {
        return this.error(call, { kind: 'cancelled', summary: 'was cancelled', mayHaveLanded: sent });
    }
    /** One exchange: sent, answered and read within the request timeout and the deadline. */
    async send(call, authHeaders) {
        const { signal, deadline, now, requestTimeoutMs, userAgent } = this.options;
        if (signal?.aborted)
            throw this.cancelled(call);
        const timeoutMs = Math.min(requestTimeoutMs, deadline === undefined ? Infinity : deadline - now());
        if (timeoutMs <= 0) {
            throw this.error(call, {
                kind: 'timeout',
                summary: 'was not sent: the deadline has passed',
                hint: HINTS.deadline,
            });
        }
        const headers = { Accept: 'application/json, text/plain, */*', ...authHeaders };
        if (call.body !== undefined)
            headers['Content-Type'] = call.contentType ?? 'application/json';
        this.logRequest(call, headers);
        const controller = new AbortController();
        let timedOut = false;
        const timer = setTimeout(() => {
            timedOut = true;
            controller.abort();
        }, timeoutMs);
        const onAbort = () => controller.abort();
        signal?.addEventListener('abort', onAbort, { once: true });
        const started = now();
        /** The most bytes this answer may have: known once its status says whether a reader reads it. */
        let limit = this.options.maxBodyBytes;
        try {
            // One client per request: its handler hands this request's signal to node's http.request.
            const client = new lib/* HttpClient */.Qq(userAgent, [abortHandler(controller.signal)], {
                allowRedirects: false, // the API does not redirect, and a redirect would carry the credential elsewhere
                allowRetries: false,
                socketTimeout: timeoutMs,
            });
            const answer = await client.request(call.method, call.url, call.body ?? null, headers);
            const status = answer.message.statusCode ?? 0;
            const reader = call.readStream && call.repeatable && status >= 200 && status < 300
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
                ...(await readLimited(answer.message, limit, reader && { reader, keep: 3 * this.redactor.reach(LOG_BODY_CHARS) })),
            };
            this.logResponse(call, response, now() - started);
            return response;
        }
        catch (error) {
            if (error instanceof WorkfrontError)
                throw error;
            if (error instanceof BodyTooLarge) {
                throw this.error(call, {
                    kind: 'malformed',
                    summary: `answered more than ${limit} bytes`,
                    hint: tooLargeHint(call.endpoint),
                });
            }
            throw this.networkError(call, error, timedOut, timeoutMs);
        }
        finally {
            clearTimeout(timer);
            signal?.removeEventListener('abort', onAbort);
        }
    }
    networkError(call, error, timedOut, timeoutMs) {
        if (this.options.signal?.aborted)
            return this.cancelled(call, true);
        // Not `instanceof Error`: node's errors may come from another realm (vm contexts, test runners).
        const text = error?.message;
        const message = typeof text === 'string' ? text : String(error);
        if (timedOut || message.startsWith('Request timeout')) {
            return this.error(call, {
                kind: 'timeout',
                summary: `timed out after ${seconds(timeoutMs)}`,
                hint: HINTS.timeout,
                retryable: true,
            });
        }
        const code = error.code;
        const codeText = typeof code === 'string' ? code : undefined;
        const summary = `failed: ${this.redactor.redact(message)}${codeText && !message.includes(codeText) ? ` (${codeText})` : ''}`;
        if (codeText && TLS_CODE.test(codeText)) {
            return this.error(call, { kind: 'input', summary, code: codeText, hint: HINTS.tls, cause: error });
        }
        // A host name that does not resolve is a typo far more often than a hiccup: no five retries before the hint.
        const retryable = codeText !== undefined &&
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
    logRequest(call, headers) {
        const { redactor, log } = this.options;
        log('debug', `→ ${call.method} ${redactor.redact(call.url)} ${JSON.stringify(redactor.headers(headers))}`);
        if (call.body)
            log('debug', `  body: ${this.bodyForLog(call, call.body)}`);
    }
    logResponse(call, response, ms) {
        this.options.log('debug', `← ${call.method} ${call.path} ${statusLine(response)} in ${ms} ms, ${response.bytes} bytes: ${this.bodyForLog(call, response.text)}`);
    }
    bodyForLog(call, text) {
        return call.secretBodies
            ? '(withheld: holds credentials)'
            : plain(this.redactor.excerpt(text, LOG_BODY_CHARS), LOG_BODY_CHARS + 1);
    }
}
/** Runs an authenticator step; its token requests had their own retries, so its errors end the call. */
async function authStep(step) {
    try {
        return await step();
    }
    catch (error) {
        throw error instanceof WorkfrontError ? error.with({ retryable: false }) : error;
    }
}
function statusLine(response) {
    return `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
}
function seconds(ms) {
    return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}
/** `Retry-After` in seconds or as an HTTP date, as a delay from now. */
function parseRetryAfter(value, now) {
    if (!value)
        return undefined;
    const trimmed = value.trim();
    if (/^\d+$/.test(trimmed))
        return Number(trimmed) * 1000;
    const at = Date.parse(trimmed);
    return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}
/** Hands the request's abort signal to node's http.request (a documented extension point of http-client). */
function abortHandler(signal) {
    return {
        prepareRequest: (options) => {
            options.signal = signal;
        },
        canHandleAuthentication: () => false,
        handleAuthentication: () => Promise.reject(new Error('not used')),
    };
}
class BodyTooLarge extends Error {
}
/**
 * Reads a body up to `limit` bytes; a longer one is abandoned, not buffered. A `reader` reads it as it arrives,
 * and only its first `keep` bytes are kept as text. Otherwise, with a Content-Length, the bytes go into one
 * buffer of that size as they arrive: the answer is then held twice (its bytes, its text), not three times (the
 * pieces, their concatenation, the text).
 */
function readLimited(message, limit, read) {
    const reader = read?.reader;
    const keep = read?.keep ?? 0;
    return new Promise((resolve, reject) => {
        const declared = Number(message.headers['content-length']);
        if (declared > limit) {
            message.destroy();
            reject(new BodyTooLarge());
            return;
        }
        let whole = !reader && Number.isSafeInteger(declared) && declared > 0 ? Buffer.allocUnsafe(declared) : undefined;
        const chunks = [];
        let size = 0;
        let readError;
        message.on('data', (chunk) => {
            const at = size;
            size += chunk.length;
            if (size > limit) {
                message.destroy();
                reject(new BodyTooLarge());
            }
            else if (reader) {
                if (at < keep)
                    chunks.push(chunk.subarray(0, keep - at));
                if (readError)
                    return;
                try {
                    reader.write(chunk);
                }
                catch (error) {
                    // Read no further: the answer is refused whole, as if parsed whole.
                    readError = { error };
                    message.destroy();
                    resolve({ text: Buffer.concat(chunks).toString('utf8'), bytes: size, read: readError });
                }
            }
            else if (whole && size <= whole.length)
                chunk.copy(whole, at);
            else {
                // More than the Content-Length said: what came so far and the rest are gathered in pieces.
                if (whole)
                    chunks.push(whole.subarray(0, at));
                whole = undefined;
                chunks.push(chunk);
            }
        });
        message.on('end', () => {
            if (reader) {
                const text = Buffer.concat(chunks).toString('utf8');
                try {
                    resolve({ text, bytes: size, read: { value: reader.end() } });
                }
                catch (error) {
                    resolve({ text, bytes: size, read: { error } });
                }
            }
            else {
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

;// CONCATENATED MODULE: ./src/api/url.ts
// Where the API lives, from the `url` input: the contract's rules, and what to do with the addresses people copy
// from their browser instead (a page of the UI, the core API, a path below the API base).
const API_PATH = '/environment-promotion/api/v1';
const LEGACY_API_PATH = '/environment-promotion/v1';
const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\]|::1)$/i;
const WORKFRONT_HOST = /(^|\.)workfront(?:\.adobe)?\.com$/i;
const EXPERIENCE_CLOUD_HOST = /(^|\.)experience\.adobe\.com$/i;
/** First path segments of the Workfront UI (new and classic), on any host (a proxy or the simulator too). */
const UI_SEGMENTS = new Set([
    'home',
    'login',
    'setup',
    'attask',
    'project',
    'projects',
    'task',
    'tasks',
    'template',
    'templates',
    'requests',
    'reports',
    'report',
    'dashboards',
    'dashboard',
    'workspaces',
]);
const TENANT_HOST_HELP = "your Workfront environment's own host, https://{domain}.my.workfront.com for production ({domain}.preview.workfront.com or {domain}.sbNN.workfront.com for a sandbox); {domain} is shown in Workfront under Setup → System → Customer Info";
function isLoopbackHost(hostname) {
    return LOOPBACK.test(hostname);
}
/** A URL as it may be shown: no user name, password, query or fragment (they may hold secrets). */
function showUrl(url) {
    return `${url.origin}${url.pathname}`;
}
/** Text that did not parse as a URL, shown without anything that looks like `user:password@`. */
function showRaw(raw) {
    return raw
        .trim()
        .replace(/^([a-z][\w+.-]*:\/*)?[^/@\s]*@/i, '$1…@')
        .slice(0, 200);
}
/** Parses `url`; throws an Error whose message says what is wrong (the caller names the input). */
function resolveApiBase(raw) {
    let parsed;
    try {
        parsed = new URL(raw.trim());
    }
    catch {
        throw new Error(`"${showRaw(raw)}" is not a URL; expected https://{domain}.{environment}.workfront.com`);
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
        throw new Error(`scheme ${parsed.protocol} is not supported; use https://`);
    }
    if (parsed.username || parsed.password) {
        throw new Error('a user name or password in the URL is refused (it would travel with every request and show in logs); use the api-key, session-id or OAuth2 inputs');
    }
    if (parsed.protocol === 'http:' && !isLoopbackHost(parsed.hostname)) {
        throw new Error(`http:// is refused for ${parsed.hostname}: credentials would travel unencrypted; use https://`);
    }
    if (EXPERIENCE_CLOUD_HOST.test(parsed.hostname)) {
        throw new Error(`${parsed.origin} is Adobe Experience Cloud's address for Workfront in the browser, not an address of the API; use ${TENANT_HOST_HELP}`);
    }
    const path = parsed.pathname.replace(/\/+$/, '');
    const read = readPath(path, WORKFRONT_HOST.test(parsed.hostname));
    if (!read.reason && (parsed.search || parsed.hash)) {
        throw new Error('a query string or fragment is not expected; give the environment URL only');
    }
    const base = `${parsed.origin}${read.base}`;
    const legacy = read.base.endsWith(LEGACY_API_PATH);
    const api = { base, origin: parsed.origin, host: parsed.host.toLowerCase(), legacy };
    if (read.reason) {
        // The environment URL is the value to give, unless only the older API revision's path says which API to use.
        const use = legacy ? base : `${parsed.origin}${read.base.slice(0, -API_PATH.length)}`;
        api.adjusted = { given: showUrl(parsed), reason: read.reason, use };
    }
    return api;
}
/** The API base path for a URL path, and why it differs from the contract's rule when it does. */
function readPath(path, workfrontHost) {
    const promotion = path.indexOf('/environment-promotion');
    if (promotion !== -1) {
        const prefix = path.slice(0, promotion);
        const rest = path.slice(promotion + '/environment-promotion'.length);
        if (rest === '/api/v1' || rest === '/v1')
            return { base: path };
        if (rest.startsWith('/api/v1/'))
            return { base: `${prefix}${API_PATH}`, reason: 'a path below the API base' };
        if (rest.startsWith('/v1/'))
            return { base: `${prefix}${LEGACY_API_PATH}`, reason: 'a path below the API base' };
        return { base: `${prefix}${API_PATH}`, reason: 'part of the API path' };
    }
    const api = /^(.*?)\/api\/v1(\/.*)?$/.exec(path);
    if (api) {
        // An API base of its own (a proxy's prefix ending in /api/v1) is used as given.
        return api[2] ? { base: `${api[1]}/api/v1`, reason: 'a path below the API base' } : { base: path };
    }
    const attask = path.indexOf('/attask');
    if (attask !== -1) {
        const core = /^\/attask\/api\b/.test(path.slice(attask));
        return {
            base: `${path.slice(0, attask)}${API_PATH}`,
            reason: core
                ? "the address of Workfront's core API, not of environment promotion"
                : 'a page of the Workfront UI',
        };
    }
    const first = path.split('/')[1] ?? '';
    if (UI_SEGMENTS.has(first.toLowerCase()) || (workfrontHost && path !== '')) {
        return { base: API_PATH, reason: 'a page of the Workfront UI' };
    }
    return { base: `${path}${API_PATH}` };
}

;// CONCATENATED MODULE: ./src/api/client.ts
// The Workfront Environment Promotion API, one method per endpoint (WorkfrontApi), over the retrying transport.










const ACTION_NAME = 'workfront-promotion-action';
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RETRIES = 4;
const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;
/** An installation history, read as it arrives with its maps unread, may be this large. */
const DEFAULT_MAX_STREAMED_BYTES = 1024 * 1024 * 1024;
function userAgentFor(version) {
    return `${ACTION_NAME}/${version}`;
}
function createClient(options) {
    const api = typeof options.baseUrl === 'string' ? resolveApiBase(options.baseUrl) : options.baseUrl;
    const redactor = new Redactor();
    const clock = options.clock ?? systemClock;
    const now = () => clock.now();
    const transport = new Transport({
        userAgent: userAgentFor(options.version),
        requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
        maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
        deadline: options.deadline,
        signal: options.signal,
        log: options.log ?? (() => undefined),
        sleep: (ms, signal) => clock.sleep(ms, signal),
        now,
        random: options.random ?? Math.random,
        maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
        maxStreamedBytes: options.maxStreamedBytes ?? DEFAULT_MAX_STREAMED_BYTES,
        maxJsonDepth: options.maxJsonDepth ?? DEFAULT_MAX_JSON_DEPTH,
        baseDelayMs: options.baseDelayMs ?? 1_000,
        maxDelayMs: options.maxDelayMs ?? 30_000,
        redactor,
    });
    const secret = (value) => {
        redactor.add(value);
        options.onSecret?.(value);
    };
    const auth = 'kind' in options.auth ? createAuthenticator(options.auth, { transport, secret, now }) : options.auth;
    return new Client(api, transport, auth);
}
/** A caller's lookup as the transport asks it. */
function landedBy(lookup, value) {
    return {
        landed: async () => {
            const found = await lookup.find();
            return found === undefined ? undefined : { value: value(found) };
        },
        landedWithinMs: lookup.withinMs,
    };
}
class Client {
    api;
    transport;
    auth;
    constructor(api, transport, auth) {
        this.api = api;
        this.transport = transport;
        this.auth = auth;
    }
    get redactor() {
        return this.transport.redactor;
    }
    core(version, origin) {
        return createCoreApi({
            transport: this.transport,
            auth: this.auth,
            origin: origin ?? this.api.origin,
            version,
        });
    }
    createPackage(body, lookup) {
        return this.request({
            endpoint: 'createPackage',
            method: 'POST',
            path: '/packages',
            body: this.withLegacyName(body),
            parse: parsePackage,
            repeatable: false,
            ...landedBy(lookup, (p) => p),
        });
    }
    listPackages() {
        return this.request({ endpoint: 'listPackages', method: 'GET', path: '/packages', parse: parsePackages });
    }
    getPackage(id) {
        return this.request({
            endpoint: 'getPackage',
            method: 'GET',
            path: '/packages/{id}',
            id,
            parse: (body) => answerFor(id, 'package', parsePackage(body)),
        });
    }
    /** The definition as dependants are found from it: read entity by entity, never held whole. */
    getDefinitionIndex(id) {
        return this.request({
            endpoint: 'getDefinition',
            method: 'GET',
            path: '/packages/{id}/definition',
            id,
            parse: (body) => indexOfDefinition(parseDefinition(body)),
            readStream: definitionReader,
            undocumented: true,
        });
    }
    getDefinition(id) {
        const path = '/packages/{id}/definition';
        return this.request({
            endpoint: 'getDefinition',
            method: 'GET',
            path,
            id,
            parse: parseDefinition,
            undocumented: true,
        });
    }
    replacePackage(id, body) {
        const path = '/packages/{id}';
        return this.request({
            endpoint: 'replacePackage',
            method: 'PUT',
            path,
            id,
            body,
            parse: parsePackage,
            undocumented: true,
        });
    }
    updatePackage(id, body) {
        return this.request({
            endpoint: 'updatePackage',
            method: 'PATCH',
            path: '/packages/{id}',
            id,
            body: this.withLegacyName(body),
            parse: parsePackage,
            // Re-extraction and definition edits through PATCH are undocumented since November 2023.
            undocumented: body.objectCollections !== undefined || body.packageEntities !== undefined,
        });
    }
    async deletePackage(id) {
        await this.request({
            endpoint: 'deletePackage',
            method: 'DELETE',
            path: '/packages/{id}',
            id,
            parse: parseDeleted,
            // A lost or unreadable answer is settled by reading the package back: gone (404) means deleted.
            repeatable: false,
            landed: async () => {
                try {
                    await this.getPackage(id);
                    return undefined;
                }
                catch (error) {
                    if (error instanceof WorkfrontError && error.kind === 'not-found')
                        return { value: undefined };
                    throw error;
                }
            },
        });
    }
    prepareInstallation(packageId, lookup) {
        return this.request({
            endpoint: 'prepareInstallation',
            method: 'POST',
            path: '/packages/{id}/prepare-installation',
            id: packageId,
            body: {},
            parse: parseInstallation,
            // Sent again only when a lookup shows no new pre-run: without one, a lost answer ends the call.
            repeatable: false,
            ...(lookup && landedBy(lookup, (i) => i)),
        });
    }
    async installInstallation(installationId, lookup) {
        await this.request({
            endpoint: 'installInstallation',
            method: 'POST',
            path: '/installations/{id}/install',
            id: installationId,
            body: {},
            parse: parseAccepted,
            repeatable: false,
            ...(lookup
                ? landedBy(lookup, () => undefined)
                : {
                    landed: async () => {
                        const installation = await this.getInstallation(installationId);
                        return installation.status && installation.status !== 'PREPARING'
                            ? { value: undefined }
                            : undefined;
                    },
                }),
        });
    }
    /** Without their translation maps (each as large as the package): read one by id when it is needed. */
    listInstallations(packageId) {
        return this.request({
            endpoint: 'listInstallations',
            method: 'GET',
            path: '/installations?environmentPromotionPackageId={id}',
            id: packageId,
            parse: parseInstallationList,
            readStream: historyReader,
            largeAnswer: true,
        });
    }
    getInstallation(id) {
        return this.request({
            endpoint: 'getInstallation',
            method: 'GET',
            path: '/installations/{id}',
            id,
            parse: (body) => answerFor(id, 'installation', parseInstallation(body)),
        });
    }
    createTranslationMap(packageId) {
        return this.request({
            endpoint: 'createTranslationMap',
            method: 'POST',
            path: '/packages/{id}/translation-map',
            id: packageId,
            parse: parseTranslationMap,
            // It only computes a map.
            repeatable: true,
        });
    }
    installPackage(packageId, translationMap, lookup) {
        return this.request({
            endpoint: 'installPackage',
            method: 'POST',
            path: '/packages/{id}/install',
            id: packageId,
            body: { translationMap },
            parse: parseInstallationId,
            repeatable: false,
            ...landedBy(lookup, (id) => id),
        });
    }
    async request(request) {
        const id = request.id?.trim();
        if (request.id !== undefined && !id) {
            const summary = 'was not sent: the id is empty';
            throw new WorkfrontError({ kind: 'input', method: request.method, path: request.path, summary });
        }
        const target = id === undefined ? request.path : request.path.replace('{id}', encodeURIComponent(id));
        return this.transport.call({
            endpoint: request.endpoint,
            method: request.method,
            url: `${this.api.base}${target}`,
            path: target.split('?')[0],
            body: request.body === undefined ? undefined : JSON.stringify(request.body),
            auth: this.auth,
            // Reads, PUT, PATCH and DELETE give the same result when repeated.
            repeatable: request.repeatable ?? request.method !== 'POST',
            landed: request.landed,
            landedWithinMs: request.landedWithinMs,
            parse: request.parse,
            readStream: request.readStream,
            largeAnswer: request.largeAnswer,
            undocumented: request.undocumented,
        });
    }
    /** The older revision (`…/environment-promotion/v1`) names the package `packageName`. */
    withLegacyName(body) {
        if (!this.api.legacy || body.name === undefined)
            return body;
        const { name, ...rest } = body;
        return { ...rest, packageName: name };
    }
}
/**
 * A read by id must answer for that id: a server (or a proxy or cache before it) answering for another would
 * have the action report, change or install a package or installation the server chose.
 */
function answerFor(id, what, answer) {
    if (answer.id !== id)
        throw new ShapeError(`${what} ${id}, but it answered for ${what} ${answer.id}`);
    return answer;
}

;// CONCATENATED MODULE: ./src/errors.ts
// Failures the action itself decides (a guard, a status, a timeout), as values with a kind and a hint.

class StepError extends Error {
    kind;
    outcome;
    constructor(message, kind, outcome = 'failed') {
        super(message);
        this.kind = kind;
        this.outcome = outcome;
        this.name = 'StepError';
    }
}
/** The outcome a thrown error stands for. */
function outcomeOf(error) {
    if (error instanceof StepError)
        return error.outcome;
    if (isWorkfrontError(error) && error.kind === 'cancelled')
        return 'cancelled';
    return 'failed';
}

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
;// CONCATENATED MODULE: ./src/operations/context.ts
// What every operation is given: the config, the API, the clock, a logger, and where it tells what it learns.



/** The reports of operations that threw, by error: execute() keeps what they had found. */
const partialReports = new WeakMap();
/**
 * Runs the operation's body, which fills in `report` as it goes; answers the report, or, when the body throws,
 * rethrows with the report as it was, so that a step that fails part-way still reports what it did.
 */
async function reporting(report, body) {
    try {
        await body();
        return report;
    }
    catch (error) {
        if (typeof error === 'object' && error !== null)
            partialReports.set(error, report);
        throw error;
    }
}
/** The report of an operation that threw `error`, as far as it got. */
function partialReport(error) {
    return typeof error === 'object' && error !== null ? partialReports.get(error) : undefined;
}
/** The contexts with a log group open: GitHub does not nest groups, so a phase inside a phase gets a line. */
const grouped = new WeakSet();
/** Runs one phase of the operation in a log group (one at a time), and records it on the timeline. */
async function phase(ctx, name, fn) {
    const entry = { name, startedAt: ctx.clock.now() };
    ctx.progress.phase(entry);
    try {
        if (grouped.has(ctx)) {
            ctx.log.info(`${name}:`);
            return await fn(entry);
        }
        grouped.add(ctx);
        try {
            return await ctx.log.group(name, () => fn(entry));
        }
        finally {
            grouped.delete(ctx);
        }
    }
    finally {
        entry.endedAt = ctx.clock.now();
    }
}
/**
 * A file of the action's own in the runner's temporary folder. Its name holds ids from a server: anything
 * but letters, digits, `.`, `-` and `_` is refused, so no id can lead the file out of that folder.
 */
function tempFile(ctx, name) {
    if (!/^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/.test(name)) {
        throw new StepError(`refused to write a file named "${plain(name, 200)}": it holds an id that is not an id`, 'malformed');
    }
    return (0,external_node_path_.join)(ctx.tempDir, name);
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
;// CONCATENATED MODULE: ./src/report/format.ts
// Counting words, cut lists, short ids and times: the same wording in the log, errors, annotations and reports.
/** `1 record`, `2 records`, `20,000 records`. */
function plural(count, singular, pluralForm = `${singular}s`) {
    return `${count.toLocaleString('en-US')} ${count === 1 ? singular : pluralForm}`;
}
const andMore = (left) => `… and ${left.toLocaleString('en-US')} more`;
/**
 * The items that fit, then `… and N more` as a last item when any were left out; the caller joins them. At least
 * one item is kept, so a cut list always shows what it is a list of.
 */
function cutList(items, { max = 50, chars = Infinity } = {}) {
    const kept = [];
    let size = 0;
    for (const item of items) {
        size += item.length + 3;
        if (kept.length >= max || (kept.length > 0 && size > chars))
            break;
        kept.push(item);
    }
    const left = items.length - kept.length;
    return left > 0 ? [...kept, andMore(left)] : kept;
}
/**
 * A long id as its first and last 4 characters: Workfront ids begin with a time, so objects made together share
 * their first 8 characters and differ at the end. Full ids are in the outputs and the translation map file.
 */
const shortId = (id) => (id.length > 12 ? `${id.slice(0, 4)}…${id.slice(-4)}` : id);
/** `2026-12-01 10:04 UTC`; a value that is no date is returned as given (the caller escapes it). */
function when(value) {
    if (value === undefined || value === null || value === '')
        return '';
    const date = new Date(value);
    return Number.isNaN(date.getTime())
        ? String(value)
        : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

// EXTERNAL MODULE: ./node_modules/parse-duration/index.js + 1 modules
var parse_duration = __webpack_require__(7595);
;// CONCATENATED MODULE: ./src/duration.ts

/** Parses `90s`, `15m`, `1h30m` or bare seconds into milliseconds; null when it is none of those. */
function parseDuration(raw) {
    const text = raw.trim();
    if (text === '')
        return null;
    if (/^\d+(\.\d+)?$/.test(text))
        return Math.round(Number(text) * 1000);
    // parse-duration reads many spellings; insist on digits and units only so "soon" or "-5m" are refused.
    if (!/^(\d+(\.\d+)?\s*[a-zµ]+\s*)+$/i.test(text))
        return null;
    const ms = (0,parse_duration/* default */.A)(text);
    return typeof ms === 'number' && Number.isFinite(ms) ? Math.round(ms) : null;
}
function formatDuration(ms) {
    if (ms < 1000)
        return `${Math.round(ms)}ms`;
    let seconds = Math.round(ms / 1000);
    const hours = Math.floor(seconds / 3600);
    seconds -= hours * 3600;
    const minutes = Math.floor(seconds / 60);
    seconds -= minutes * 60;
    return [
        hours ? `${hours}h` : '',
        minutes ? `${minutes}m` : '',
        seconds || (!hours && !minutes) ? `${seconds}s` : '',
    ]
        .filter(Boolean)
        .join('');
}

;// CONCATENATED MODULE: ./src/wait.ts
const DEFAULT_INITIAL_INTERVAL_MS = 1000;
const DEFAULT_BACKOFF = 1.5;
/**
 * How a wait polls for a `poll-interval`: a quarter of it first, then ×1.75, never more than half of it. A
 * fixed loop at the interval notices an end half an interval late on average; this notices it in a quarter,
 * for about twice that loop's polls (bench/, docs/BENCHMARKS.md: no schedule does better on both at once).
 */
function pollSchedule(pollIntervalMs) {
    return { initialIntervalMs: pollIntervalMs / 4, backoff: 1.75, maxIntervalMs: pollIntervalMs / 2 };
}
async function waitFor(options) {
    const { clock, signal, deadline } = options;
    const started = clock.now();
    const backoff = options.backoff ?? DEFAULT_BACKOFF;
    let interval = Math.min(options.initialIntervalMs ?? DEFAULT_INITIAL_INTERVAL_MS, options.maxIntervalMs);
    let polls = 0;
    let value;
    let status;
    const result = (outcome) => ({
        outcome,
        value,
        status,
        polls,
        elapsedMs: clock.now() - started,
    });
    let sleepFirst = options.pollFirst === false;
    for (;;) {
        if (sleepFirst) {
            const left = deadline - clock.now();
            if (left <= 0)
                return result('timed-out');
            await clock.sleep(Math.min(interval, left), signal);
            interval = Math.min(interval * backoff, options.maxIntervalMs);
            // A poll at the deadline would be refused by the client: the wait has run out.
            if (clock.now() >= deadline && !signal?.aborted)
                return result('timed-out');
        }
        sleepFirst = true;
        if (signal?.aborted)
            return result('cancelled');
        polls += 1;
        try {
            value = await options.poll();
        }
        catch (error) {
            if (signal?.aborted)
                return result('cancelled');
            if (options.tolerate?.(error, clock.now() - started))
                continue;
            throw error;
        }
        const next = options.statusOf(value);
        const kind = options.classify(next);
        if (next !== status)
            options.onChange?.(next, status, kind);
        status = next;
        if (kind === 'succeeded' || kind === 'failed')
            return result(kind);
        if (clock.now() >= deadline)
            return result('timed-out');
    }
}

;// CONCATENATED MODULE: ./src/operations/package.ts
// Reading a package and waiting out its assembly: shared by every operation that needs a settled package.







/** A package just created may not be visible for a few seconds: a 404 then means "not yet", not "gone". */
const NOT_YET_VISIBLE_MS = 30_000;
/** Polls are repeated anyway: this many unreadable answers (a cut body, a proxy's page) are polled past. */
const MAX_UNREADABLE_POLLS = 3;
/** A `tolerate` for waits: an unreadable poll answer is logged and polled again, a few times per wait. */
function unreadablePolls(ctx) {
    let seen = 0;
    return (error) => {
        if (!isWorkfrontError(error) || error.kind !== 'malformed' || ++seen > MAX_UNREADABLE_POLLS)
            return false;
        ctx.log.warning(`${plain(error.message, 300)} Polling again (${seen} of ${MAX_UNREADABLE_POLLS}).`);
        return true;
    };
}
function classifyPackageStatus(status) {
    if (status === 'ASSEMBLING')
        return 'pending';
    if (status === 'ASSEMBLING_FAILED')
        return 'failed';
    if (['DRAFT', 'TESTING', 'ACTIVE', 'DISABLED', 'UNASSEMBLED'].includes(status))
        return 'succeeded';
    return 'unknown';
}
function describePackage(pkg) {
    return `package "${plain(pkg.name ?? pkg.id, 120)}" (${pkg.id}${pkg.version !== undefined ? `, v${pkg.version}` : ''})`;
}
function rememberPackage(ctx, pkg) {
    ctx.progress.package(pkg);
    return pkg;
}
/** Reads the package; when it is ASSEMBLING (or `justCreated`), waits until assembly ends. */
async function settledPackage(ctx, packageId, options = {}) {
    let pkg = options.known ?? rememberPackage(ctx, await ctx.api.getPackage(packageId));
    if (classifyPackageStatus(pkg.status ?? '') !== 'pending')
        return pkg;
    if (!ctx.config.wait) {
        throw new StepError(`${describePackage(pkg)} is still ASSEMBLING and wait is false; run again later or set wait: true`, 'guard');
    }
    const unreadable = unreadablePolls(ctx);
    pkg = await phase(ctx, 'Wait for assembly', async (entry) => {
        const waited = await waitFor({
            poll: () => ctx.api.getPackage(packageId),
            statusOf: (p) => p.status ?? 'UNKNOWN',
            classify: classifyPackageStatus,
            deadline: ctx.deadline,
            ...pollSchedule(ctx.config.pollIntervalMs),
            clock: ctx.clock,
            signal: ctx.signal,
            pollFirst: false,
            tolerate: (error, elapsed) => unreadable(error) ||
                (Boolean(options.justCreated) &&
                    isWorkfrontError(error) &&
                    error.kind === 'not-found' &&
                    elapsed < NOT_YET_VISIBLE_MS),
            onChange: (status, previous, kind) => ctx.log.info(kind === 'unknown'
                ? `Package status ${plain(status)} is not one the action knows; polling on`
                : `Package status: ${previous ? `${previous} → ` : ''}${status}`),
        });
        if (waited.value)
            rememberPackage(ctx, waited.value);
        entry.detail = `${waited.status ?? '?'} after ${formatDuration(waited.elapsedMs)}, ${plural(waited.polls, 'poll')}`;
        if (waited.outcome === 'cancelled')
            throw new StepError('Cancelled while the package was assembling', 'cancelled', 'cancelled');
        if (waited.outcome === 'timed-out') {
            throw new StepError(`${describePackage(pkg)} was still ${waited.status ?? 'ASSEMBLING'} when timeout (${formatDuration(ctx.config.timeoutMs)}) ran out; assembly may take minutes for large packages: raise timeout, or read it later with operation get`, 'timeout', 'timed-out');
        }
        if (waited.outcome === 'failed') {
            throw new StepError(`${describePackage(pkg)} ended ASSEMBLING_FAILED: a requested record could not be extracted from the source (check the IDs in object-collections and source). Re-extract with operation update and object-collections`, 'failed');
        }
        return waited.value;
    });
    return pkg;
}
/** Fails before any change when the package's status is not one of `expected-status`. */
function checkExpectedStatus(ctx, pkg) {
    const expected = ctx.config.expectedStatus;
    if (!expected?.length)
        return;
    if (!expected.includes(pkg.status)) {
        throw new StepError(`${describePackage(pkg)} is ${pkg.status ?? 'of unknown status'}, not ${expected.join(' or ')} as expected-status requires; nothing was changed`, 'guard');
    }
}

;// CONCATENATED MODULE: ./src/operations/read.ts
// get, definition, list, installations, replace and delete: one call each, reported plainly.






/** Writes a JSON file for later steps; says so when it replaces a file that was there. */
function writeJsonFile(ctx, path, value) {
    if ((0,external_node_fs_.existsSync)(path))
        ctx.log.info(`Replacing ${path}`);
    (0,external_node_fs_.mkdirSync)((0,external_node_path_.dirname)(path), { recursive: true });
    (0,external_node_fs_.writeFileSync)(path, `${JSON.stringify(value, null, 2)}\n`);
    return path;
}
async function get(ctx) {
    const id = ctx.config.packageId;
    // The client refuses an answer for another package: the outputs never describe it as this one.
    const pkg = await phase(ctx, 'Read package', async () => rememberPackage(ctx, await ctx.api.getPackage(id)));
    ctx.log.info(`${describePackage(pkg)}: ${pkg.status ?? 'status not given'}`);
    return {};
}
async function definition(ctx) {
    const id = ctx.config.packageId;
    const pkg = await phase(ctx, 'Read package', async () => rememberPackage(ctx, await ctx.api.getPackage(id)));
    return phase(ctx, 'Read definition', async (entry) => {
        const body = await ctx.api.getDefinition(id);
        const path = ctx.config.definitionFile ?? tempFile(ctx, `workfront-package-${id}-definition.json`);
        // With the package's editable fields beside the entities, the file is a body operation replace can PUT back.
        const { name, description, source, status, version } = pkg;
        const definitionFile = writeJsonFile(ctx, path, {
            name,
            description,
            source,
            status,
            version,
            ...body,
        });
        const records = Object.values(body.packageEntities ?? {}).reduce((sum, list) => sum + (list?.length ?? 0), 0);
        entry.detail = `${plural(records, 'record')} written to ${path}`;
        ctx.log.info(`Wrote the definition of ${describePackage(pkg)} (${plural(records, 'record')}) to ${path}`);
        return { definitionFile };
    });
}
/** `*` matches any run of characters; everything else is literal. */
function nameMatcher(pattern) {
    const regex = new RegExp(`^${pattern
        .split('*')
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`, 
    // `*` matches any run of characters, line breaks included.
    's');
    return (name) => name !== undefined && regex.test(name);
}
/** Sorts packages and installations newest first (by `createdAt`, or `registeredAt`). */
const newestFirst = (a, b) => Date.parse(b.createdAt ?? b.registeredAt ?? '') - Date.parse(a.createdAt ?? a.registeredAt ?? '') || 0;
async function list(ctx) {
    const { name, status } = ctx.config;
    const { packages, newest, failed } = await phase(ctx, 'List packages', async (entry) => {
        const all = (await ctx.api.listPackages()).filter((p) => !p.deletedAt);
        const matches = name ? nameMatcher(name) : () => true;
        let found = all.filter((p) => matches(p.name));
        if (status) {
            // List items may lack the status: read those by id.
            const withStatus = [];
            for (const p of found)
                withStatus.push(p.status ? p : await ctx.api.getPackage(p.id));
            found = withStatus.filter((p) => p.status === status);
        }
        found.sort(newestFirst);
        const pick = await newestUsable(ctx, found, status);
        entry.detail = `${found.length} of ${plural(all.length, 'package')} match`;
        return { packages: found, ...pick };
    });
    if (newest)
        rememberPackage(ctx, newest);
    ctx.log.info(`${plural(packages.length, 'package')} ${packages.length === 1 ? 'matches' : 'match'}${name ? ` name ${name}` : ''}${status ? ` status ${status}` : ''}${newest ? `; newest: ${describePackage(newest)}` : ''}${failed ? ` (${failed} newer ASSEMBLING_FAILED skipped)` : ''}`);
    return { packages };
}
/**
 * The newest match to hand on as `package-id`: a package whose assembly failed is skipped unless `status` asked
 * for it. List items lacking the status are read by id, newest first, until one is found.
 */
async function newestUsable(ctx, found, status) {
    if (status)
        return { newest: found[0], failed: 0 };
    let failed = 0;
    for (const p of found) {
        const read = p.status ? p : await ctx.api.getPackage(p.id);
        if (read.status !== 'ASSEMBLING_FAILED')
            return { newest: read, failed };
        failed++;
    }
    return { failed };
}
async function installations(ctx) {
    const id = ctx.config.packageId;
    const found = await phase(ctx, 'List installations', async (entry) => {
        const all = (await ctx.api.listInstallations(id)).sort(newestFirst);
        entry.detail = plural(all.length, 'installation');
        return all;
    });
    const here = inEnvironment(found, ctx.config.api.host);
    ctx.progress.package({ id });
    if (here[0])
        ctx.progress.installation(here[0].id, here[0]);
    ctx.log.info(`${plural(found.length, 'installation')} of package ${id}, ${here.length} in ${ctx.config.api.host}`);
    return { installations: found };
}
/** The installations whose `environment` (a host or a URL) names the target host, in their order. */
function inEnvironment(installations, host) {
    const strip = (h) => h?.replace(/:(443|80)$/, '');
    const target = strip(host.toLowerCase());
    return installations.filter((i) => i.environment && strip(hostOfEnvironment(i.environment)) === target);
}
async function replace(ctx) {
    const id = ctx.config.packageId;
    const report = { changed: false };
    return reporting(report, async () => {
        const current = await phase(ctx, 'Read package', async () => settledPackage(ctx, id));
        checkExpectedStatus(ctx, current);
        report.previousStatus = current.status;
        await phase(ctx, 'Replace package', async (entry) => {
            const pkg = rememberPackage(ctx, await ctx.api.replacePackage(id, ctx.config.replaceBody));
            report.changed = true;
            entry.detail = `from ${ctx.config.definitionFile}`;
            ctx.log.info(`Replaced ${describePackage(pkg)} with ${ctx.config.definitionFile}`);
        });
    });
}
async function remove(ctx) {
    const id = ctx.config.packageId;
    const pkg = await phase(ctx, 'Read package', async () => rememberPackage(ctx, await ctx.api.getPackage(id)));
    checkExpectedStatus(ctx, pkg);
    ctx.log.warning(`Deleting ${describePackage(pkg)} cannot be undone; the vendor recommends status DISABLED instead, which keeps the package and its history`);
    return phase(ctx, 'Delete package', async (entry) => {
        await ctx.api.deletePackage(id);
        entry.detail = 'deleted';
        ctx.log.info(`Deleted ${describePackage(pkg)}`);
        return { changed: true };
    });
}
const getOperation = {
    name: 'get',
    needs: ['package-id'],
    uses: [],
    verb: 'Read package',
    run: get,
};
const definitionOperation = {
    name: 'definition',
    needs: ['package-id'],
    uses: ['definition-file'],
    verb: 'Read package definition',
    run: definition,
};
const listOperation = {
    name: 'list',
    needs: [],
    uses: ['name', 'status'],
    verb: 'List packages',
    run: list,
};
const installationsOperation = {
    name: 'installations',
    needs: ['package-id'],
    uses: [],
    verb: 'List installations',
    run: installations,
};
const replaceOperation = {
    name: 'replace',
    needs: ['package-id', 'definition-file'],
    uses: ['expected-status'],
    verb: 'Replace package',
    run: replace,
};
const deleteOperation = {
    name: 'delete',
    needs: ['package-id'],
    uses: ['expected-status', 'confirm-delete'],
    verb: 'Delete package',
    check: (input) => input('confirm-delete') === input('package-id')
        ? []
        : [
            'Input "confirm-delete" must equal "package-id" for operation delete (deleting is irreversible; consider status DISABLED)',
        ],
    run: remove,
};

;// CONCATENATED MODULE: ./src/operations/landed.ts
// A POST that may have landed (create, pre-run, install) is looked up before it is sent again. What it made is
// found as what was not there before it was sent and fits it: no server time is compared with the runner's
// clock, so a server clock that is off by seconds (or minutes) cannot hide it. The lookup is repeated for as
// long as the API may take to show the effect.



/** A new package can take up to 30 s to appear in the package list. */
const PACKAGE_VISIBLE_MS = 30_000;
/** The same bound for a new or started installation in the package's installations. */
const INSTALLATION_VISIBLE_MS = 30_000;
/** List items lacking the fields a lookup needs are read by id, at most this many. */
const MAX_READS = 25;
/** Packages named `name`, not deleted, with their description (list items lacking it are read by id). */
async function packagesNamed(ctx, name) {
    const listed = (await ctx.api.listPackages()).filter((p) => !p.deletedAt);
    const candidates = listed.filter((p) => p.name === undefined || p.name === name);
    const partial = candidates.filter((p) => p.name === undefined || p.description === undefined);
    if (partial.length > MAX_READS) {
        throw new StepError(`the package list holds ${partial.length} packages without a name or description, too many to read one by one to find "${name}"`, 'transient');
    }
    const found = [];
    for (const p of candidates)
        found.push(partial.includes(p) ? await ctx.api.getPackage(p.id) : p);
    return found.filter((p) => p.name === name && !p.deletedAt);
}
/** Whether a description names the workflow run `runUrl` (as a whole word: run 4242 is not run 42420). */
function holdsRunUrl(description, runUrl) {
    return (description ?? '').split(/\s+/).includes(runUrl);
}
/**
 * The package an earlier attempt of this create made: of that name, not among `before`, and described as sent
 * (or, should the server have altered the description, naming this workflow run).
 */
function createdPackage(ctx, body, before, runUrl) {
    const known = new Set(before.map((p) => p.id));
    const fits = (p) => (p.description ?? undefined) === body.description ||
        (runUrl !== undefined && holdsRunUrl(p.description, runUrl));
    return {
        withinMs: PACKAGE_VISIBLE_MS,
        find: async () => (await packagesNamed(ctx, body.name)).filter((p) => !known.has(p.id) && fits(p)).sort(newestFirst)[0],
    };
}
const seen = new WeakMap();
/** Remembers the installations there before this step sends anything, for the lookups below. */
function noteInstallations(ctx, installations) {
    seen.set(ctx, new Set(installations.map((i) => i.id)));
}
async function known(ctx, packageId) {
    if (!seen.has(ctx))
        noteInstallations(ctx, await ctx.api.listInstallations(packageId));
    return seen.get(ctx);
}
/** This package's installations in the target that were not there before (`except`: ids to take as new). */
async function newInstallations(ctx, packageId, before, except) {
    const here = inEnvironment(await ctx.api.listInstallations(packageId), ctx.config.api.host);
    return here.filter((i) => !before.has(i.id) || i.id === except).sort(newestFirst);
}
/** A pre-run an earlier attempt made: a new PREPARING installation of the package in the target. */
async function preparedInstallation(ctx, packageId) {
    const before = await known(ctx, packageId);
    return {
        withinMs: INSTALLATION_VISIBLE_MS,
        find: async () => {
            const prerun = (await newInstallations(ctx, packageId, before)).find((i) => i.status === 'PREPARING');
            if (!prerun)
                return undefined;
            return prerun.translationMap ? prerun : ctx.api.getInstallation(prerun.id);
        },
    };
}
/**
 * Whether the pre-run `installationId` was started: it left PREPARING (read by id, or in the list), or an
 * installation of the package that was not there before runs or ran in the target.
 */
async function startedPrerun(ctx, packageId, installationId) {
    const before = await known(ctx, packageId);
    const started = (i) => Boolean(i.status) && i.status !== 'PREPARING';
    return {
        withinMs: INSTALLATION_VISIBLE_MS,
        find: async () => {
            if (started(await ctx.api.getInstallation(installationId)))
                return true;
            const fresh = await newInstallations(ctx, packageId, before, installationId);
            return fresh.some(started) ? true : undefined;
        },
    };
}
/** An installation an earlier install with a map started: a new one in the target, past PREPARING. */
async function startedInstallation(ctx, packageId) {
    const before = await known(ctx, packageId);
    return {
        withinMs: INSTALLATION_VISIBLE_MS,
        find: async () => (await newInstallations(ctx, packageId, before)).find((i) => i.status !== 'PREPARING')?.id,
    };
}
/**
 * Sends a POST that must not land twice; cancelled while its answer was outstanding, the step says that it
 * may have landed and how to check (`check`), in the log, the summary and `result`.
 */
async function sendOnce(ctx, check, send) {
    try {
        return await send();
    }
    catch (error) {
        if (isWorkfrontError(error) && error.kind === 'cancelled' && error.mayHaveLanded) {
            const message = `Cancelled while ${error.method} ${error.path} was unanswered: it may have landed. Check before running again: ${check}`;
            ctx.progress.warning(message);
            throw new StepError(message, 'cancelled', 'cancelled');
        }
        throw error;
    }
}

;// CONCATENATED MODULE: ./src/names.ts
// Naming objects instead of giving their ids: object-collections entries with a name (resolved in the source
// environment) and map-file targets (targetName resolved, every targetId checked, in the target environment).
// Pure but for the core client it is given; every problem is collected, none thrown.



/** Candidates listed in an error; one more is asked for, to know that there are more. */
const MAX_CANDIDATES = 10;
const quoted = (name) => `"${plain(name ?? '(no name)', 120)}"`;
/** `"Name" (id); …; … and N more` */
function listCandidates(candidates, total = candidates.length) {
    const shown = candidates.slice(0, MAX_CANDIDATES).map((c) => `${quoted(c.name)} (${c.ID})`);
    const more = total - shown.length;
    return `${shown.join('; ')}${more > 0 ? `; … and ${more} more` : ''}`;
}
/** The lookups the API answers as failures of one entry rather than of the run (an objCode without names, say). */
function entryProblem(error) {
    if (isWorkfrontError(error) && (error.kind === 'input' || error.kind === 'not-found'))
        return `the core API refused the lookup: ${plain(error.message, 600)}`;
    return undefined;
}
/** Exactly one object of `objCode` named `name` (exactly, ignoring case), or why not, with the candidates. */
async function lookUpName(core, objCode, name) {
    if (name.startsWith('$$')) {
        return {
            problem: `names starting with $$ are expanded by Workfront (as $$TODAY, $$USER) and cannot be looked up; give the ID`,
        };
    }
    try {
        const answered = await core.search(objCode, name, { mode: 'cieq', limit: MAX_CANDIDATES + 1 });
        // Checked here too: a server that ignored name_Mod must not make a near match count. Objects answered
        // without any name (an objCode whose name field is unverified) are taken as the server matched them.
        const named = answered.some((o) => o.name !== undefined);
        const exact = named ? answered.filter((o) => o.name?.toLowerCase() === name.toLowerCase()) : answered;
        if (exact.length === 1)
            return { found: exact[0] };
        if (exact.length > 1) {
            const total = answered.length > MAX_CANDIDATES ? await core.count(objCode, name, 'cieq') : exact.length;
            return {
                problem: `${Math.max(total, exact.length)} objects of ${objCode} are named ${quoted(name)} in ${core.host}: ${listCandidates(exact, Math.max(total, exact.length))}; give the ID of the one you mean`,
            };
        }
        const similar = await core.search(objCode, name, { mode: 'cicontains', limit: MAX_CANDIDATES + 1 });
        // The count can come short of what the search answered (a server without count): never below it.
        const total = Math.max(similar.length, similar.length > MAX_CANDIDATES ? await core.count(objCode, name, 'cicontains') : 0);
        return {
            problem: `no ${objCode} is named ${quoted(name)} in ${core.host} (names match exactly, ignoring case)${similar.length ? `; names containing it: ${listCandidates(similar, total)}` : ''}`,
        };
    }
    catch (error) {
        const problem = entryProblem(error);
        if (problem)
            return { problem };
        throw error;
    }
}
const lowerKey = (objCode, name) => `${objCode}\u0000${name.toLowerCase()}`;
/** Whether any entry names its object instead of giving its id. */
function hasNamedEntries(collections) {
    return collections.some((c) => c.entities.some((e) => e.ID === undefined));
}
/** Resolves every entry that has a name and no ID, in the environment of `core`; `where` names the input. */
async function resolveCollections(core, collections, where) {
    const wanted = new Map();
    for (const { objCode, entities } of collections)
        for (const { ID, name } of entities)
            if (ID === undefined && name !== undefined)
                wanted.set(lowerKey(objCode, name), { objCode, name });
    const asked = [...wanted.values()];
    const answers = await mapLimit(asked, CORE_CONCURRENCY, (w) => lookUpName(core, w.objCode, w.name));
    const found = new Map();
    const problems = [];
    const resolved = [];
    asked.forEach((w, i) => {
        const answer = answers[i];
        if ('found' in answer) {
            found.set(lowerKey(w.objCode, w.name), answer.found);
            resolved.push({ objCode: w.objCode, name: answer.found.name ?? w.name, ID: answer.found.ID });
        }
        else
            problems.push(`${where}: ${w.objCode} ${quoted(w.name)}: ${answer.problem}`);
    });
    if (problems.length)
        return { resolved, problems, warnings: [] };
    const warnings = [];
    const out = collections.map(({ objCode, entities }) => {
        const seen = new Set();
        const refs = [];
        for (const entity of entities) {
            const object = entity.ID === undefined ? found.get(lowerKey(objCode, entity.name ?? '')) : undefined;
            const ref = object
                ? { ID: object.ID, name: object.name ?? entity.name }
                : { ...entity, ID: entity.ID };
            if (seen.has(ref.ID)) {
                if (object)
                    warnings.push(`${where}: ${objCode} ${quoted(entity.name)} is ${ref.ID}, listed already`);
                continue;
            }
            seen.add(ref.ID);
            refs.push(ref.name === undefined ? { ID: ref.ID } : ref);
        }
        return { objCode, entities: refs };
    });
    return { collections: out, resolved, problems, warnings };
}
const NEEDS_TARGET = new Set(['USEEXISTING', 'OVERWRITING']);
/**
 * In the environment of `core`: resolves each `targetName` without a `targetId`, and checks that every
 * `targetId` an override gives (or a name resolved to) is an object of its objCode there.
 */
async function checkTargets(core, overrides, where) {
    const entries = [];
    for (const [objCode, byId] of Object.entries(overrides))
        for (const [sourceId, override] of Object.entries(byId))
            if (NEEDS_TARGET.has(override.action) && (override.targetId || override.targetName))
                entries.push({ objCode, sourceId, override });
    const byName = new Map();
    const byId = new Map();
    for (const { objCode, override } of entries) {
        if (override.targetId)
            byId.set(`${objCode}\u0000${override.targetId}`, { objCode, id: override.targetId });
        else if (override.targetName)
            byName.set(lowerKey(objCode, override.targetName), { objCode, name: override.targetName });
    }
    const names = [...byName.values()];
    const ids = [...byId.values()];
    const nameAnswers = await mapLimit(names, CORE_CONCURRENCY, (n) => lookUpName(core, n.objCode, n.name));
    const idAnswers = await mapLimit(ids, CORE_CONCURRENCY, async (t) => {
        // Not an id at all (a name given as targetId, say): no request can find it.
        if (!isId(t.id))
            return { problem: 'this is not a Workfront ID; to name the target, give targetName' };
        try {
            const object = await core.get(t.objCode, t.id);
            return object
                ? { found: object }
                : { problem: `no ${t.objCode} has the id ${plain(t.id, 80)} in ${core.host}` };
        }
        catch (error) {
            const problem = entryProblem(error);
            if (problem)
                return { problem };
            throw error;
        }
    });
    const nameOf = new Map(names.map((n, i) => [lowerKey(n.objCode, n.name), nameAnswers[i]]));
    const idOf = new Map(ids.map((t, i) => [`${t.objCode}\u0000${t.id}`, idAnswers[i]]));
    const result = {
        overrides: Object.fromEntries(Object.entries(overrides).map(([code, byId]) => [code, { ...byId }])),
        names: {},
        resolved: [],
        checked: ids.length,
        problems: [],
        warnings: [],
    };
    for (const { objCode, sourceId, override } of entries) {
        const label = `${where} ${objCode}.${plain(sourceId, 80)}`;
        const answer = override.targetId
            ? idOf.get(`${objCode}\u0000${override.targetId}`)
            : nameOf.get(lowerKey(objCode, override.targetName));
        if ('problem' in answer) {
            const what = override.targetId
                ? `targetId ${plain(override.targetId, 80)}`
                : `targetName ${quoted(override.targetName)}`;
            result.problems.push(`${label}: ${what}: ${answer.problem}`);
            continue;
        }
        const { ID, name } = answer.found;
        if (override.targetId &&
            override.targetName &&
            name !== undefined &&
            name.toLowerCase() !== override.targetName.toLowerCase()) {
            result.warnings.push(`${label}: targetName ${quoted(override.targetName)}, but ${ID} is named ${quoted(name)} in ${core.host}; the targetId is used`);
        }
        result.resolved.push({
            objCode,
            sourceId,
            name: name ?? override.targetName ?? '',
            ID,
            by: override.targetId ? 'id' : 'name',
        });
        result.overrides[objCode][sourceId] = {
            ...override,
            targetId: ID,
            ...(name !== undefined ? { targetName: name } : {}),
        };
        if (name !== undefined)
            (result.names[objCode] ??= {})[ID] = name;
    }
    return result;
}
/** Sets `targetName` on the records whose target the action looked up. */
function nameTargets(records, names) {
    if (!names)
        return;
    for (const record of records) {
        const name = record.targetId ? names[record.objCode]?.[record.targetId] : undefined;
        if (name !== undefined)
            record.targetName = name;
    }
}
/** A copy of the map with `targetName` beside each looked-up target id: for the file a person reads. */
function withTargetNames(map, names) {
    if (!names || Object.keys(names).length === 0)
        return map;
    const out = { ...map };
    for (const [objCode, byTarget] of Object.entries(names)) {
        const records = map[objCode];
        if (!records)
            continue;
        out[objCode] = { ...records };
        for (const [sourceId, record] of Object.entries(records)) {
            const name = typeof record.targetId === 'string' ? byTarget[record.targetId] : undefined;
            if (name !== undefined)
                out[objCode][sourceId] = { ...record, targetName: name };
        }
    }
    return out;
}

;// CONCATENATED MODULE: ./src/operations/names.ts
// The steps that look names up before anything changes: object-collections names in the source environment
// (create, update), map-file targets in the target environment (prepare, install).





/** Cut like every list a person reads. */
const MAX_LISTED = 50;
function problemsError(heading, problems) {
    const shown = problems.slice(0, MAX_LISTED).map((p) => `- ${p}`);
    if (problems.length > MAX_LISTED)
        shown.push(`- … and ${problems.length - MAX_LISTED} more`);
    return new StepError(`${heading}; nothing was changed:\n${shown.join('\n')}`, 'input');
}
/** The object collections with every named entry resolved in the source environment; no request when none is named. */
async function resolvedCollections(ctx) {
    const { config } = ctx;
    const collections = config.objectCollections;
    if (!collections || !hasNamedEntries(collections))
        return collections;
    const core = ctx.core(new URL(config.source).origin);
    const elsewhere = core.origin !== config.api.origin;
    return phase(ctx, `Names in ${core.host}`, async (entry) => {
        const out = await resolveCollections(core, collections, 'object-collections').catch((error) => {
            // The credential is the one for url: another source environment may not know it.
            if (elsewhere && isWorkfrontError(error) && (error.kind === 'auth' || error.kind === 'forbidden'))
                throw error.with({
                    hint: `names in object-collections are looked up in the source environment ${core.host}, with the credential given for url; if it is not valid there, give those objects by ID`,
                });
            throw error;
        });
        for (const r of out.resolved)
            ctx.log.info(`${r.objCode} "${plain(r.name, 120)}" is ${r.ID} in ${core.host}`);
        ctx.progress.warning(...out.warnings);
        entry.detail = `${out.resolved.length} names resolved, ${out.problems.length} not`;
        if (!out.collections) {
            const count = out.problems.length === 1 ? '1 name' : `${out.problems.length} names`;
            throw problemsError(`${count} in object-collections could not be resolved in ${core.host}`, out.problems);
        }
        return out.collections;
    });
}
/**
 * Resolves map-file targetNames and checks every targetId in the target; the resolved overrides replace the
 * configured ones, so everything after (skip rule, overrides, plan) sees ids. Answers the targets' names.
 */
async function checkMapTargets(ctx) {
    const overrides = ctx.config.overrides;
    const targeted = Object.values(overrides ?? {}).some((byId) => Object.values(byId).some((o) => o.targetId || o.targetName));
    if (!overrides || !targeted)
        return undefined;
    const core = ctx.core();
    const checked = await phase(ctx, `Map-file targets in ${core.host}`, async (entry) => {
        const out = await checkTargets(core, overrides, 'map-file');
        for (const r of out.resolved) {
            const target = r.by === 'name' ? `"${plain(r.name, 120)}" is ${r.ID}` : `${r.ID} is "${plain(r.name, 120)}"`;
            ctx.log.info(`map-file ${r.objCode}.${plain(r.sourceId, 80)}: target ${target} in ${core.host}`);
        }
        const named = out.resolved.filter((r) => r.by === 'name').length;
        entry.detail = `${named} names resolved, ${out.checked} ids checked, ${out.problems.length} problems`;
        return out;
    });
    if (checked.problems.length) {
        const count = checked.problems.length === 1 ? '1 target' : `${checked.problems.length} targets`;
        throw problemsError(`map-file ${ctx.config.mapFile}: ${count} not found in ${core.host}`, checked.problems);
    }
    ctx.progress.warning(...checked.warnings);
    ctx.config = { ...ctx.config, overrides: checked.overrides };
    return checked.names;
}

;// CONCATENATED MODULE: ./src/operations/transition.ts


/** PATCHes the status and records the move on the report. */
async function moveToStatus(ctx, report, pkg, status) {
    return phase(ctx, `Move to ${status}`, async (entry) => {
        report.previousStatus = pkg.status;
        const moved = rememberPackage(ctx, await ctx.api.updatePackage(pkg.id, { status }));
        report.changed = true;
        entry.detail = `${pkg.status} → ${moved.status ?? status}`;
        ctx.log.info(`Moved ${describePackage(moved)} from ${pkg.status} to ${moved.status ?? status}`);
        if (status === 'ACTIVE' && moved.publishedAt)
            ctx.log.info(`Published at ${moved.publishedAt}`);
        return moved;
    });
}
async function transition(ctx) {
    const { status, packageId } = ctx.config;
    const report = { changed: false };
    return reporting(report, async () => {
        const pkg = await phase(ctx, 'Read package', async () => settledPackage(ctx, packageId));
        checkExpectedStatus(ctx, pkg);
        report.previousStatus = pkg.status;
        if (pkg.status === status) {
            ctx.log.info(`${describePackage(pkg)} is already ${status}; nothing to change`);
            return;
        }
        await moveToStatus(ctx, report, pkg, status);
    });
}
const transitionOperation = {
    name: 'transition',
    needs: ['package-id', 'status'],
    uses: ['expected-status'],
    verb: 'Transition package',
    run: transition,
};

;// CONCATENATED MODULE: ./src/operations/create.ts






/** Where a package came from, for its description when none is given. */
function provenanceText(p) {
    if (!p.repository)
        return undefined;
    const parts = [`Built by workfront-promotion-action from ${p.repository}`];
    if (p.sha)
        parts.push(`commit ${p.sha.slice(0, 12)}${p.ref ? ` (${p.ref})` : ''}`);
    if (p.workflow)
        parts.push(`workflow "${p.workflow}"`);
    if (p.runUrl)
        parts.push(`run ${p.runUrl}`);
    return parts.join(', ');
}
/** The description, ending with the provenance line (on a line of its own after a given description). */
function describedWithProvenance(description, line) {
    if (!line)
        return description;
    return description ? `${description}\n${line}` : line;
}
/** A package of this name made by an earlier attempt of the same workflow run (its description holds the run URL). */
function madeByThisRun(packages, runUrl) {
    if (!runUrl)
        return undefined;
    return packages.find((p) => holdsRunUrl(p.description, runUrl) && p.status !== 'ASSEMBLING_FAILED');
}
async function create(ctx) {
    const report = { changed: false };
    return reporting(report, () => createPackage(ctx, report));
}
async function createPackage(ctx, report) {
    const { config } = ctx;
    const provenance = await ctx.provenance();
    const objectCollections = (await resolvedCollections(ctx)) ?? [];
    const body = {
        name: config.name,
        description: describedWithProvenance(config.description, provenanceText(provenance)),
        source: config.source,
        objectCollections,
    };
    const created = await phase(ctx, 'Create package', async (entry) => {
        const before = await packagesNamed(ctx, body.name);
        const earlier = madeByThisRun(before, provenance.runUrl);
        if (earlier) {
            // Read by id: a list item may lack fields (version), and its assembly may have ended since.
            const pkg = rememberPackage(ctx, await ctx.api.getPackage(earlier.id));
            entry.detail = `${pkg.id} reused`;
            ctx.progress.note(`Reused ${describePackage(pkg)}: an earlier attempt of this workflow run (${provenance.runUrl}) created it; nothing was created`);
            return pkg;
        }
        const pkg = rememberPackage(ctx, await sendOnce(ctx, `operation: list, name: ${body.name} (a package whose description holds this run's URL is it; a re-run of this workflow run reuses it)`, () => ctx.api.createPackage(body, createdPackage(ctx, body, before, provenance.runUrl))));
        report.changed = true;
        entry.detail = `${pkg.id}, ${pkg.status ?? 'status not given'}`;
        ctx.log.info(`Created ${describePackage(pkg)} from ${config.source}`);
        return pkg;
    });
    if (!config.wait) {
        if (config.status) {
            ctx.progress.warning(`status ${config.status} was not set: with wait false the package is still assembling`);
        }
        return;
    }
    const pkg = await settledPackage(ctx, created.id, report.changed ? { justCreated: true, known: { ...created, status: 'ASSEMBLING' } } : { known: created });
    ctx.log.info(`${report.changed ? 'Assembled' : 'Reused'} ${describePackage(pkg)}: ${pkg.status}`);
    if (config.status && config.status !== pkg.status)
        await moveToStatus(ctx, report, pkg, config.status);
}
async function update(ctx) {
    const report = { changed: false };
    return reporting(report, () => updatePackage(ctx, report));
}
async function updatePackage(ctx, report) {
    const { config } = ctx;
    const { packageId } = config;
    const objectCollections = await resolvedCollections(ctx);
    const current = await phase(ctx, 'Read package', async () => settledPackage(ctx, packageId));
    checkExpectedStatus(ctx, current);
    report.previousStatus = current.status;
    if (config.objectCollections && current.status !== 'DRAFT') {
        throw new StepError(`${describePackage(current)} is ${current.status}: objects can be added or removed only in DRAFT; move it to DRAFT first (operation transition, status DRAFT); nothing was changed`, 'guard');
    }
    const body = {};
    if (config.name !== undefined)
        body.name = config.name;
    if (config.description !== undefined)
        body.description = config.description;
    if (objectCollections) {
        body.objectCollections = objectCollections;
        body.source = config.source;
    }
    const updated = await phase(ctx, 'Update package', async (entry) => {
        const pkg = rememberPackage(ctx, await ctx.api.updatePackage(packageId, body));
        report.changed = true;
        entry.detail = Object.keys(body).join(', ');
        return pkg;
    });
    ctx.log.info(`Updated ${describePackage(updated)}: ${Object.keys(body).join(', ')}`);
    if (config.objectCollections && config.wait) {
        const pkg = await settledPackage(ctx, packageId, { known: { ...updated, status: 'ASSEMBLING' } });
        ctx.log.info(`Re-extracted ${describePackage(pkg)}: ${pkg.status}`);
    }
}
const createOperation = {
    name: 'create',
    needs: ['name', ['object-collections', 'object-collections-file']],
    uses: ['status', 'description', 'source', 'core-api-version'],
    verb: 'Create package',
    run: create,
};
const updateOperation = {
    name: 'update',
    needs: ['package-id'],
    uses: [
        'expected-status',
        'name',
        'description',
        'source',
        'object-collections',
        'object-collections-file',
        'core-api-version',
    ],
    verb: 'Update package',
    check: (input) => [
        ...(input('status')
            ? ['Input "status" is not changed by update; use operation transition, which guards the move']
            : []),
        ...(['name', 'description', 'object-collections', 'object-collections-file'].some(input)
            ? []
            : ['Operation update needs something to change: name, description or object-collections']),
    ],
    run: update,
};

;// CONCATENATED MODULE: ./src/api/types.ts
// The API's own shapes, normalised: modern field names and statuses whatever revision answered.
const USER_STATUSES = ['DRAFT', 'TESTING', 'ACTIVE', 'DISABLED'];
const SYSTEM_STATUSES = ['ASSEMBLING', 'ASSEMBLING_FAILED', 'UNASSEMBLED'];
const TRANSLATION_ACTIONS = [
    'CREATE',
    'USEEXISTING',
    'IGNORE',
    'OVERWRITING',
    'CREATEWITHALTNAME',
];

// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
;// CONCATENATED MODULE: ./src/files.ts


/** Larger files are refused: a map file or an object-collections file is never this big. */
const MAX_USER_FILE_BYTES = 16 * 1024 * 1024;
/**
 * A map file or object collections: room for the translation map of a 60,000-record package, and read (parsed and
 * checked) in under a second, so that cancellation is never held up for long.
 */
const MAX_DOCUMENT_BYTES = 8 * 1024 * 1024;
/** Reads a user's file as text; throws an Error whose message says what is wrong with it. */
function readTextFile(path, maxBytes = MAX_USER_FILE_BYTES) {
    let size;
    try {
        const stat = (0,external_node_fs_.statSync)(path);
        if (!stat.isFile())
            throw new Error(`${path} is not a file`);
        size = stat.size;
    }
    catch (error) {
        const code = error.code;
        if (code === 'ENOENT')
            throw new Error(`file ${path} does not exist (paths are relative to the workspace)`, { cause: error });
        if (code === 'EACCES')
            throw new Error(`file ${path} cannot be read (permission denied)`, { cause: error });
        throw error;
    }
    if (size > maxBytes)
        throw new Error(`file ${path} has ${size} bytes, more than the ${maxBytes} allowed`);
    const buffer = (0,external_node_fs_.readFileSync)(path);
    if (buffer.includes(0))
        throw new Error(`file ${path} is binary, not JSON or YAML text`);
    const text = buffer.toString('utf8');
    if (text.trim() === '')
        throw new Error(`file ${path} is empty`);
    return text;
}
/**
 * Bounds that keep a hostile document cheap to refuse. JSON gets one linear pass before JSON.parse (which is fast
 * but silently keeps the last of two equal keys); YAML, whose parser is much slower and recursive, is lexed first
 * with a token budget and a nesting limit, so that the parser only sees documents it reads in well under a second.
 */
const MAX_NESTING_DEPTH = 64;
const MAX_YAML_CHARS = 1024 * 1024;
const MAX_YAML_TOKENS = 20_000;
const MAX_ALIASES = 100;
/** Parses JSON or YAML (JSON is YAML); the message says where the syntax breaks or which bound was hit. */
function parseStructured(text, what) {
    const trimmed = text.trim();
    if (trimmed === '')
        throw new Error(`${what} is empty`);
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
        const scan = files_scanJson(trimmed);
        const at = scan && ` at line ${lineAt(trimmed, scan.at)}`;
        if (scan?.problem === 'depth')
            throw new Error(`${what} nests deeper than ${MAX_NESTING_DEPTH} levels${at}`);
        const value = parseJson(trimmed);
        if (value !== NOT_JSON) {
            if (scan)
                throw new Error(`${what} has a duplicate key ${scan.key}${at}`);
            return value;
        }
    }
    return parseYamlBounded(text, what);
}
const NOT_JSON = Symbol('not JSON');
function parseJson(text) {
    try {
        return JSON.parse(text);
    }
    catch {
        return NOT_JSON; // flow-style YAML also starts with a brace: the YAML parser decides and explains
    }
}
/**
 * One pass over JSON text before JSON.parse builds anything: the first duplicate key in an object, or the place
 * where it nests deeper than MAX_NESTING_DEPTH (then JSON.parse is not even tried: on 4 MB of `[` it takes
 * seconds to fail). Text that is not JSON may mislead it; JSON.parse decides about that.
 */
function files_scanJson(text) {
    const objects = [];
    let expectKey = false;
    for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === files_QUOTE) {
            const end = files_stringEnd(text, i);
            const keys = objects.at(-1);
            if (keys && expectKey) {
                const raw = text.slice(i + 1, end);
                const key = raw.includes('\\') ? parseJson(`"${raw}"`) : raw;
                if (typeof key !== 'string')
                    return undefined;
                if (keys.has(key))
                    return { problem: 'duplicate', key: JSON.stringify(key.slice(0, 80)), at: i };
                keys.add(key);
                expectKey = false;
            }
            i = end;
        }
        else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
            if (objects.length >= MAX_NESTING_DEPTH)
                return { problem: 'depth', at: i };
            objects.push(c === OPEN_BRACE ? new Set() : undefined);
            expectKey = c === OPEN_BRACE;
        }
        else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
            objects.pop();
            expectKey = false;
        }
        else if (c === files_COMMA) {
            expectKey = objects.at(-1) !== undefined;
        }
    }
    return undefined;
}
const [files_QUOTE, files_BACKSLASH, files_COMMA, OPEN_BRACE, CLOSE_BRACE, OPEN_BRACKET, CLOSE_BRACKET] = [...'"\\,{}[]'].map((c) => c.charCodeAt(0));
/** The index of the quote that ends the string starting at `start` (or the text's length). */
function files_stringEnd(text, start) {
    let end = text.indexOf('"', start + 1);
    while (end !== -1) {
        let backslashes = 0;
        while (text.charCodeAt(end - 1 - backslashes) === files_BACKSLASH)
            backslashes++;
        if (backslashes % 2 === 0)
            return end;
        end = text.indexOf('"', end + 1);
    }
    return text.length;
}
function lineAt(text, offset) {
    let line = 1;
    for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1))
        line++;
    return line;
}
/**
 * YAML within bounds: the lexer (linear, and stopped early) measures size, tokens and nesting before the parser
 * runs; duplicate keys are found on the parsed document with a set per mapping (the parser's own uniqueKeys
 * compares every pair, quadratic in the keys of a mapping).
 */
function parseYamlBounded(text, what) {
    if (text.length > MAX_YAML_CHARS) {
        throw new Error(`${what} has ${text.length} characters of YAML, more than the ${MAX_YAML_CHARS} allowed; a larger document can be given as JSON`);
    }
    checkYamlShape(text, what);
    const lineCounter = new dist/* LineCounter */.HN();
    const where = (offset) => {
        if (offset === undefined)
            return '';
        const { line, col } = lineCounter.linePos(offset);
        return ` at line ${line}, column ${col}`;
    };
    const document = (0,dist/* parseDocument */.Tp)(text, {
        uniqueKeys: false,
        lineCounter,
        prettyErrors: false,
    });
    const [error] = document.errors;
    if (error) {
        throw new Error(`${what} is not valid JSON or YAML${where(error.pos[0])}: ${error.message.split('\n')[0]}`, {
            cause: error,
        });
    }
    // A key is a name as written: an id such as 863345325853e20 must not become the number 8.63345325853e+31.
    (0,dist/* visit */.YR)(document, {
        Pair(_, pair) {
            if ((0,dist/* isScalar */.jn)(pair.key) && typeof pair.key.value !== 'string')
                pair.key.value = pair.key.source ?? String(pair.key.value);
        },
    });
    const duplicate = findDuplicateKey(document.contents);
    if (duplicate)
        throw new Error(`${what} has a duplicate key ${duplicate.key}${where(duplicate.at)}`);
    try {
        return document.toJS({ maxAliasCount: MAX_ALIASES });
    }
    catch (error) {
        throw new Error(`${what} is not valid JSON or YAML: ${error.message.split('\n')[0]}`, {
            cause: error,
        });
    }
}
/**
 * From the lexer's tokens, before any parsing: at most MAX_YAML_TOKENS, and a nesting (flow brackets, block
 * indentation levels and the `-`, `?`, `:` indicators of a line, an upper bound of the real depth) of at most
 * MAX_NESTING_DEPTH.
 */
function checkYamlShape(text, what) {
    let tokens = 0;
    let flow = 0;
    let onLine = 0;
    let atLineStart = true;
    let indent = 0;
    let line = 1;
    const indents = [];
    for (const token of new dist/* Lexer */.JG().lex(text)) {
        if (++tokens > MAX_YAML_TOKENS) {
            throw new Error(`${what} has more than ${MAX_YAML_TOKENS} YAML tokens (the parser would take seconds); a larger document can be given as JSON`);
        }
        if (token === '\n' || token === '\r\n') {
            atLineStart = true;
            indent = 0;
            onLine = 0;
            line++;
            continue;
        }
        if (atLineStart) {
            if (/^[ \t]+$/.test(token))
                indent = token.length;
            // A comment line says nothing about nesting (and must not reset the levels counted so far).
            if (/^[ \t]+$/.test(token) || token.startsWith('#'))
                continue;
            atLineStart = false;
            while (indents.length && indents.at(-1) >= indent)
                indents.pop();
            indents.push(indent);
        }
        if (token === '{' || token === '[')
            flow++;
        else if (token === '}' || token === ']')
            flow = Math.max(0, flow - 1);
        else if (token === '-' || token === '?' || token === ':')
            onLine++;
        if (flow + indents.length + onLine > MAX_NESTING_DEPTH) {
            throw new Error(`${what} nests deeper than ${MAX_NESTING_DEPTH} levels at line ${line}`);
        }
    }
}
/** The first key that occurs twice in one mapping, at any level (aliases are not followed: they repeat a node). */
function findDuplicateKey(root) {
    const pending = [root];
    while (pending.length) {
        const node = pending.pop();
        if ((0,dist/* isMap */.jh)(node)) {
            const keys = new Set();
            for (const pair of node.items) {
                if ((0,dist/* isScalar */.jn)(pair.key)) {
                    // As the value becomes a JS object: 1 and "1" are one key.
                    const key = String(pair.key.value);
                    if (keys.has(key))
                        return { key: JSON.stringify(key.slice(0, 80)), at: pair.key.range?.[0] };
                    keys.add(key);
                }
                pending.push(pair.key, pair.value);
            }
        }
        else if ((0,dist/* isSeq */.oP)(node)) {
            pending.push(...node.items);
        }
        else if ((0,dist/* isPair */.tO)(node)) {
            pending.push(node.key, node.value);
        }
    }
    return undefined;
}
function describeType(value) {
    if (value === null)
        return 'null';
    if (Array.isArray(value))
        return 'a list';
    if (typeof value === 'object')
        return 'a mapping';
    return `${typeof value} ${JSON.stringify(value)}`;
}

;// CONCATENATED MODULE: ./src/objcodes.ts
// The objCodes the vendor documents; the list grows (Preview gets new ones first), so an unknown one is a warning.
/** Allowed at the top of objectCollections. */
const PROMOTABLE_OBJCODES = {
    PROJ: 'Project',
    TMPL: 'Template',
    UITMPL: 'Layout template',
    PTLTAB: 'Dashboard',
    CALEND: 'Calendar',
    EXTSEC: 'External page',
    PTLSEC: 'Report',
    UIFT: 'Filter',
    UIGB: 'Grouping',
    UIVW: 'View',
    CTGY: 'Custom form',
    PARAM: 'Custom field',
    PGRP: 'Custom field section',
    GROUP: 'Group',
    ROLE: 'Job role',
    TEAM: 'Team',
    CMPY: 'Company',
    PORT: 'Portfolio',
    PRGM: 'Program',
    ARVPRC: 'Approval process',
    SCHED: 'Schedule',
    MPATH: 'Milestone path',
    TSPRO: 'Timesheet profile',
    HOURT: 'Hour type',
    EXPTYP: 'Expense type',
    RSKTYP: 'Risk type',
    RSPL: 'Resource pool',
    ACSLVL: 'Access level',
    RTCRD: 'Rate card',
    CLSF: 'Location',
    BSNRUL: 'Business rule',
};
/** Sub-objects a package pulls in; they appear in definitions and translation maps, not in requests. */
const SUB_OBJCODES = {
    TTSK: 'Template task',
    TPRED: 'Template task predecessor',
    TASSGN: 'Template task assignment',
    QUED: 'Queue definition',
    QUET: 'Queue topic',
    QUTG: 'Queue topic group',
    RRUL: 'Routing rule',
    TASK: 'Task',
    PRED: 'Predecessor',
    ASSGN: 'Assignment',
    CTGYPA: 'Form field',
    CTGYPG: 'Form section',
    POPT: 'Field option',
    CLSEC: 'Calendar section',
    ARVPTH: 'Approval path',
    ARVSTP: 'Approval step',
    SARVPR: 'Step approver',
};
/**
 * Which sub-objects belong to a record (the vendor's parent and child pairs): a child cannot be installed when its
 * parent is ignored, so IGNORE on a CREATE parent must reach them too.
 */
const CHILD_OBJCODES = {
    PROJ: ['TASK', 'QUED', 'RRUL'],
    TASK: ['TASK', 'PRED', 'ASSGN'],
    TMPL: ['TTSK', 'QUED', 'RRUL'],
    TTSK: ['TTSK', 'TPRED', 'TASSGN'],
    // A routing rule belongs to the template or project, and serves its queue: without the queue it has no use.
    QUED: ['QUTG', 'QUET', 'RRUL'],
    QUTG: ['QUET'],
    PARAM: ['POPT'],
    CALEND: ['CLSEC'],
    CTGY: ['CTGYPA', 'CTGYPG'],
    ARVPRC: ['ARVPTH'],
    ARVPTH: ['ARVSTP'],
    ARVSTP: ['SARVPR'],
};
/** Records whose names are unique in an environment: changing USEEXISTING to CREATE fails for them. */
const UNIQUE_NAME_OBJCODES = new Set([
    'GROUP',
    'ROLE',
    'TEAM',
    'CMPY',
    'ACSLVL',
    'HOURT',
]);
const OBJCODE_PATTERN = /^[A-Z][A-Z0-9]{1,15}$/;
function objCodeLabel(objCode) {
    // Own keys only: an objCode from a server may be `constructor` or `__proto__`.
    if (Object.hasOwn(PROMOTABLE_OBJCODES, objCode))
        return PROMOTABLE_OBJCODES[objCode];
    return Object.hasOwn(SUB_OBJCODES, objCode) ? SUB_OBJCODES[objCode] : objCode;
}

;// CONCATENATED MODULE: ./src/translation-map.ts
// Translation-map overrides from the `map-file`: `{OBJCODE: {sourceId: {action, targetId?}}}`.







function parseAction(raw) {
    const upper = raw.trim().toUpperCase();
    return TRANSLATION_ACTIONS.includes(upper)
        ? upper
        : undefined;
}
const ACTION_LIST = TRANSLATION_ACTIONS.join(', ');
const translation_map_NEEDS_TARGET = new Set(['USEEXISTING', 'OVERWRITING']);
const OVERRIDE_FIELDS = new Set(['action', 'targetId', 'targetName', 'name']);
/** What a translation map the action wrote also holds per record: accepted so it can be given back, and ignored. */
const WRITTEN_FIELDS = new Set([
    'isValid',
    'installationStatus',
    'reason',
    'failureReason',
    'message',
    'error',
]);
function override(raw, where, errors) {
    // `sourceId: IGNORE` is shorthand for `sourceId: {action: IGNORE}`.
    const record = typeof raw === 'string' ? { action: raw } : raw;
    if (!isRecord(record)) {
        errors.push(`${where}: expected {action, targetId?}, found ${describeType(raw)}`);
        return undefined;
    }
    const unknown = Object.keys(record).filter((key) => !OVERRIDE_FIELDS.has(key) && !WRITTEN_FIELDS.has(key));
    if (unknown.length)
        errors.push(`${where}: unknown field ${unknown.join(', ')} (allowed: action, targetId, targetName, name)`);
    if (record.isValid !== undefined && typeof record.isValid !== 'boolean') {
        errors.push(`${where}: isValid must be true or false, found ${describeType(record.isValid)}`);
    }
    if (record.installationStatus !== undefined && typeof record.installationStatus !== 'string') {
        errors.push(`${where}: installationStatus must be text, found ${describeType(record.installationStatus)}`);
    }
    if (typeof record.action !== 'string') {
        errors.push(`${where}: action is required, one of ${ACTION_LIST}`);
        return undefined;
    }
    const action = parseAction(record.action);
    if (!action) {
        errors.push(`${where}: action "${record.action}" is unknown; use one of ${ACTION_LIST} (there is no UPDATE)`);
        return undefined;
    }
    if (record.targetId !== undefined && typeof record.targetId !== 'string') {
        errors.push(`${where}: targetId must be text, found ${describeType(record.targetId)}`);
        return undefined;
    }
    if (record.targetName !== undefined) {
        if (typeof record.targetName !== 'string' || record.targetName.trim() === '') {
            errors.push(`${where}: targetName must be the name of the target record, found ${describeType(record.targetName)}`);
            return undefined;
        }
        if (!translation_map_NEEDS_TARGET.has(action)) {
            errors.push(`${where}: targetName is for USEEXISTING and OVERWRITING only, not ${action}`);
            return undefined;
        }
    }
    const out = { action };
    // A translation map written after an installation keeps the id of what a CREATE made: information, not
    // an instruction, so that map can be given back as it is.
    const written = record.installationStatus !== undefined && !translation_map_NEEDS_TARGET.has(action);
    if (record.targetId !== undefined && !written)
        out.targetId = record.targetId;
    if (typeof record.targetName === 'string')
        out.targetName = record.targetName.trim();
    return out;
}
/** Checks the shape of a parsed map file; whether its objCodes and ids exist is checked against the map later. */
/** Past this many problems a map file is described no further: its size is what is wrong with it. */
const MAX_PARSE_ERRORS = 1000;
function parseOverrides(raw, where) {
    const out = { errors: [], warnings: [] };
    if (!isRecord(raw)) {
        out.errors.push(`${where}: expected a map {OBJCODE: {sourceId: {action, targetId?}}}, found ${describeType(raw)}`);
        return out;
    }
    const overrides = {};
    const entries = Object.entries(raw);
    for (const [index, [objCode, records]] of entries.entries()) {
        if (out.errors.length >= MAX_PARSE_ERRORS) {
            // A hostile file can hold a million bad entries: what is left is counted, not described.
            const left = entries
                .slice(index)
                .reduce((n, [, r]) => n + (isRecord(r) ? Object.keys(r).length : 1), 0);
            out.errors.push(`${where}: … and ${left.toLocaleString('en-US')} more entries not checked`);
            break;
        }
        if (objCode === '$schema')
            continue;
        if (!OBJCODE_PATTERN.test(objCode)) {
            out.errors.push(`${where}: "${objCode}" is not an objCode (upper-case letters, e.g. GROUP, TMPL)`);
            continue;
        }
        if (!isRecord(records) || Object.keys(records).length === 0) {
            out.errors.push(`${where}: ${objCode} must map source ids to {action, targetId?}, found ${describeType(records)}`);
            continue;
        }
        overrides[objCode] = {};
        const byId = Object.entries(records);
        for (const [i, [sourceId, record]] of byId.entries()) {
            if (out.errors.length >= MAX_PARSE_ERRORS) {
                out.errors.push(`${where}: … and ${(byId.length - i).toLocaleString('en-US')} more entries of ${objCode} not checked`);
                break;
            }
            const parsed = override(record, `${where} ${objCode}.${sourceId}`, out.errors);
            if (parsed)
                overrides[objCode][sourceId] = parsed;
        }
    }
    if (out.errors.length === 0 && Object.keys(overrides).length === 0)
        out.errors.push(`${where}: no overrides in it`);
    if (out.errors.length === 0)
        out.value = overrides;
    return out;
}
function recordsOf(map) {
    const records = [];
    for (const [objCode, byId] of Object.entries(map)) {
        for (const [sourceId, record] of Object.entries(byId ?? {})) {
            records.push({
                objCode,
                sourceId,
                name: typeof record.name === 'string' ? record.name : undefined,
                action: String(record.action ?? ''),
                targetId: typeof record.targetId === 'string' && record.targetId ? record.targetId : undefined,
                ...(typeof record.targetName === 'string' ? { targetName: record.targetName } : {}),
                installationStatus: typeof record.installationStatus === 'string' ? record.installationStatus : undefined,
                reason: reasonOf(record),
            });
        }
    }
    return records;
}
function reasonOf(record) {
    for (const key of ['reason', 'failureReason', 'message', 'error']) {
        const value = record[key];
        if (typeof value === 'string' && value)
            return value;
        if (isRecord(value) && typeof value.message === 'string')
            return value.message;
    }
    return undefined;
}
/** Names come from the server: flattened, so no message a record appears in can carry a workflow command. */
const describeRecord = (r) => `${plain(r.objCode, 40)} ${plain(r.sourceId, 80)}${r.name ? ` "${plain(r.name, 120)}"` : ''}`;
/**
 * A copy of `map` to change records in: an objCode's records are copied only when one of them is replaced
 * (`edit`), and records are replaced, never edited in place, so the original stays as it was. A 50,000-record
 * map is not copied whole for a few overrides.
 */
function copyOnWrite(map) {
    const result = { ...map };
    const copied = new Set();
    const edit = (objCode, sourceId, record) => {
        if (!copied.has(objCode)) {
            copied.add(objCode);
            result[objCode] = { ...map[objCode] };
        }
        result[objCode][sourceId] = record;
    };
    return { result, edit };
}
/**
 * Checks every override against the map (objCode and source id exist, targetId where the action needs one)
 * and returns the map with them applied, or every bad entry at once.
 */
function applyOverrides(map, overrides) {
    const errors = [];
    const { result, edit } = copyOnWrite(map);
    const changes = [];
    const warnings = [];
    for (const [objCode, byId] of Object.entries(overrides)) {
        const target = map[objCode];
        if (!target) {
            const known = Object.keys(map).sort().join(', ') || 'none';
            errors.push(`map-file: objCode ${objCode} is not in the package's translation map (it has ${known})`);
            continue;
        }
        for (const [sourceId, override] of Object.entries(byId)) {
            const record = target[sourceId];
            if (!record) {
                errors.push(`map-file: ${objCode} ${sourceId} is not a record of the package's translation map`);
                continue;
            }
            const targetId = override.targetId ?? (translation_map_NEEDS_TARGET.has(override.action) ? record.targetId : '');
            if (translation_map_NEEDS_TARGET.has(override.action) && !targetId) {
                errors.push(`map-file: ${describeRecord({ objCode, sourceId, name: record.name })} needs a targetId for ${override.action}: the id of the record in the target environment`);
                continue;
            }
            if (override.targetId && !ID_PATTERN.test(override.targetId)) {
                errors.push(`map-file: ${describeRecord({ objCode, sourceId, name: record.name })}: targetId "${plain(override.targetId, 80)}" is not a Workfront ID (the target record's ID, e.g. from its URL)`);
                continue;
            }
            if (!translation_map_NEEDS_TARGET.has(override.action) && targetId) {
                errors.push(`map-file: ${describeRecord({ objCode, sourceId, name: record.name })} sets targetId with ${override.action}; targetId must be empty for any action but USEEXISTING and OVERWRITING`);
                continue;
            }
            const before = { action: String(record.action), targetId: record.targetId || undefined };
            if (before.action === override.action && (before.targetId ?? '') === (targetId ?? ''))
                continue;
            edit(objCode, sourceId, { ...record, action: override.action, targetId: targetId ?? '' });
            const flat = {
                objCode,
                sourceId,
                name: record.name,
                action: override.action,
                targetId: targetId || undefined,
            };
            changes.push({
                record: flat,
                from: before.action,
                to: override.action,
                fromTarget: before.targetId,
                toTarget: targetId || undefined,
                ...(override.targetName && targetId === override.targetId
                    ? { toTargetName: override.targetName }
                    : {}),
            });
            if (before.action === 'USEEXISTING' &&
                override.action === 'CREATE' &&
                UNIQUE_NAME_OBJCODES.has(objCode)) {
                warnings.push(`${describeRecord(flat)}: USEEXISTING → CREATE fails for ${objCode}, whose names are unique in an environment`);
            }
            if (before.action === 'USEEXISTING' && override.action === 'IGNORE') {
                warnings.push(`${describeRecord(flat)}: USEEXISTING → IGNORE makes records that refer to it fall back to defaults (a group: the default group)`);
            }
        }
    }
    return errors.length ? { errors } : { map: result, changes, warnings };
}
/** Ids a package entity refers to: string fields (nested a little) that are ids of other package records. */
/**
 * The package records that depend on records ignored while the pre-run said CREATE: their sub-objects (template
 * tasks, assignments, predecessors, queue topics…) that refer to them, directly or through another such record.
 * A pair of objCodes counts as parent and child when the vendor's list says so, or, for objCodes it does not
 * name, when the referring record is a sub-object installed after the other (`metadata.installOrder`). Top-level
 * objects that merely use an ignored one are left alone: the installer lets those fall back to defaults.
 */
function findDependents(original, current, definition) {
    const objCodeOf = new Map();
    for (const entity of definition.entities)
        objCodeOf.set(entity.id, entity.objCode);
    const order = definition.installOrder;
    const rank = (objCode) => (Array.isArray(order) ? order.indexOf(objCode) : -1);
    const isChild = (child, parent) => {
        const known = CHILD_OBJCODES[parent];
        if (known)
            return known.includes(child);
        // A documented objCode the list gives no children (a role, a group) has none: tasks merely use roles.
        if (parent in PROMOTABLE_OBJCODES || parent in SUB_OBJCODES)
            return false;
        return !(child in PROMOTABLE_OBJCODES) && rank(child) > rank(parent) && rank(parent) >= 0;
    };
    const dependentsOf = new Map();
    for (const { objCode, id, mentions } of definition.entities) {
        for (const ref of mentions) {
            const refObjCode = objCodeOf.get(ref);
            if (refObjCode === undefined || !isChild(objCode, refObjCode))
                continue;
            const list = dependentsOf.get(ref);
            if (list)
                list.push(id);
            else
                dependentsOf.set(ref, [id]);
        }
    }
    const found = [];
    const seen = new Set();
    const visitDependents = (root) => {
        const queue = [root.sourceId];
        while (queue.length) {
            const id = queue.shift();
            for (const dependent of dependentsOf.get(id) ?? []) {
                if (seen.has(dependent))
                    continue;
                seen.add(dependent);
                queue.push(dependent);
                const objCode = objCodeOf.get(dependent);
                const record = current[objCode]?.[dependent];
                if (record && record.action !== 'IGNORE') {
                    found.push({
                        record: { objCode, sourceId: dependent, name: record.name, action: String(record.action) },
                        because: root,
                    });
                }
            }
        }
    };
    for (const [objCode, byId] of Object.entries(current)) {
        for (const [sourceId, record] of Object.entries(byId ?? {})) {
            if (record.action !== 'IGNORE' || original[objCode]?.[sourceId]?.action !== 'CREATE')
                continue;
            visitDependents({ objCode, sourceId, name: record.name, action: 'IGNORE' });
        }
    }
    return found;
}
/** Sets IGNORE (targetId empty) on the given records. */
function ignoreRecords(map, records) {
    const { result, edit } = copyOnWrite(map);
    for (const { objCode, sourceId } of records) {
        const record = map[objCode]?.[sourceId];
        if (record)
            edit(objCode, sourceId, { ...record, action: 'IGNORE', targetId: '' });
    }
    return result;
}
/** A record's installation status as the API sets it. */
const RECORD_STATUSES = ['INSTALLED', 'REGISTERED', 'FAILED'];
/** Distinct words beyond the API's own that counts and tables name one by one; the rest are `other`. */
const MAX_OTHER_WORDS = 10;
const OTHER_WORD = 'other';
/**
 * How counts and tables name an action (`known`: the API's) or a record status: the API's own words as they
 * are, and the first 10 others a server sent; past those, `other`, so that a server sending thousands of distinct
 * words cannot make a table thousands of columns wide or a count thousands of keys long.
 */
function wordsOf(known) {
    const others = new Set();
    return (word) => {
        if (known.includes(word) || others.has(word))
            return word;
        if (others.size >= MAX_OTHER_WORDS)
            return OTHER_WORD;
        others.add(word);
        return word;
    };
}
/** How the counts and tables of one report name actions. */
const actionWords = () => wordsOf(TRANSLATION_ACTIONS);
function countRecords(records) {
    // Keys come from the server: without a prototype, `__proto__` or `constructor` is a key like any other.
    const table = () => Object.create(null);
    const counts = { byAction: table(), byStatus: table(), byObjCode: table(), total: records.length };
    const bump = (into, key) => (into[key] = (into[key] ?? 0) + 1);
    const actionOf = actionWords();
    const statusOf = wordsOf(RECORD_STATUSES);
    for (const record of records) {
        const perCode = (counts.byObjCode[record.objCode] ??= { actions: table(), statuses: table() });
        const action = actionOf(record.action);
        bump(counts.byAction, action);
        bump(perCode.actions, action);
        if (record.installationStatus) {
            const status = statusOf(record.installationStatus);
            bump(counts.byStatus, status);
            bump(perCode.statuses, status);
        }
    }
    return counts;
}
/** Records whose action is one of `denied`. */
function deniedRecords(records, denied) {
    const set = new Set(denied);
    return records.filter((record) => set.has(record.action));
}
/**
 * A stable hash of a plan: package id and version, target host, and every record's objCode, source id,
 * action and target id; independent of key order and of the pre-run's own id and times.
 */
function planHash(packageId, version, host, records) {
    const lines = records.map((r) => [r.objCode, r.sourceId, r.action, r.targetId ?? ''].join('\t')).sort();
    // Line by line: the same digest as of the lines joined, without a 50,000-line text.
    const hash = (0,external_node_crypto_.createHash)('sha256').update(`package\t${packageId}\nversion\t${version ?? ''}\nhost\t${host.toLowerCase()}`);
    for (const line of lines)
        hash.update(`\n${line}`);
    return hash.digest('hex');
}
/** Actions that only a map file sets: an installation that used them is repeated only if the map file still does. */
const OVERRIDE_ACTIONS = new Set(['IGNORE', 'OVERWRITING', 'CREATEWITHALTNAME']);
/** How a record is installed, as far as the skip rule compares it: the action, and the target id where it names one. */
function installedAs(record) {
    const action = String(record.action ?? '');
    return translation_map_NEEDS_TARGET.has(action) && record.targetId ? `${action} ${record.targetId}` : action;
}
/** The records whose action this run's map file decides: each override, and each dependant it ignores. */
function recordsSetByMapFile(map, overrides, dependents = []) {
    const set = Object.entries(overrides).flatMap(([objCode, byId]) => Object.keys(byId).map((sourceId) => ({ objCode, sourceId })));
    for (const { record } of dependents)
        set.push({ objCode: record.objCode, sourceId: record.sourceId });
    return set.filter(({ objCode, sourceId }) => map[objCode]?.[sourceId] !== undefined);
}
/**
 * Where this run would install records differently from an earlier installation (its final translation map),
 * as far as the map file decides: each record the map file sets (`set`, read in this run's `map`) must have
 * been installed with that action and target id, and each record installed as IGNORE, OVERWRITING or
 * CREATEWITHALTNAME must be set the same way now. Without a map file `set` is empty.
 */
function installedDifferently(installed, map, set) {
    const differences = [];
    const decided = new Set();
    for (const { objCode, sourceId } of set) {
        decided.add(`${objCode}\t${sourceId}`);
        const before = installed[objCode]?.[sourceId];
        const now = installedAs(map[objCode][sourceId]);
        const was = before && installedAs(before);
        if (was !== now)
            differences.push({
                record: { objCode, sourceId, name: map[objCode][sourceId].name },
                installed: was,
                now,
            });
    }
    for (const [objCode, byId] of Object.entries(installed)) {
        for (const [sourceId, record] of Object.entries(byId ?? {})) {
            if (!OVERRIDE_ACTIONS.has(String(record.action)) || decided.has(`${objCode}\t${sourceId}`))
                continue;
            const current = map[objCode]?.[sourceId];
            differences.push({
                record: { objCode, sourceId, name: record.name },
                installed: installedAs(record),
                now: current && installedAs(current),
            });
        }
    }
    return differences;
}
/** The records of a translation map that ended FAILED. */
function failedRecordCount(map) {
    let failed = 0;
    for (const byId of Object.values(map))
        for (const record of Object.values(byId ?? {}))
            if (record.installationStatus === 'FAILED')
                failed++;
    return failed;
}
/**
 * The text of `JSON.stringify(map, null, 2)`, in pieces of `batch` records, so a 50,000-record map is written to
 * its file without ever being one string.
 */
function* translationMapJson(map, batch = 1000) {
    const objCodes = Object.keys(map);
    if (!objCodes.length)
        return yield '{}';
    for (const [i, objCode] of objCodes.entries()) {
        const byId = map[objCode] ?? {};
        const sourceIds = Object.keys(byId);
        const key = `\n  ${JSON.stringify(objCode)}: `;
        const head = `${i ? ',' : '{'}${key}`;
        if (!sourceIds.length)
            yield `${head}{}`;
        for (let start = 0; start < sourceIds.length; start += batch) {
            // Prototype-less objects: a key such as "__proto__" stays a key. Stringified under its objCode, a batch
            // is indented as in the whole map: only the wrapping is cut off.
            const part = Object.create(null);
            for (const sourceId of sourceIds.slice(start, start + batch))
                part[sourceId] = byId[sourceId];
            const wrapped = Object.create(null);
            wrapped[objCode] = part;
            const text = JSON.stringify(wrapped, null, 2);
            const body = text.slice(`{${key}{`.length, -'\n  }\n}'.length);
            yield start ? `,${body}` : `${head}{${body}`;
        }
        if (sourceIds.length)
            yield '\n  }';
    }
    yield '\n}';
}

;// CONCATENATED MODULE: ./src/operations/install.ts
// prepare and install: pre-run or translation map, overrides, guards, install, poll, report every record.

















const DONE = new Set(['COMPLETED', 'INSTALLED']);
const FAILED = new Set([
    'FAILED',
    'ERROR',
    'CANCELLED',
    'CANCELED',
    'ABORTED',
    'REJECTED',
    'ROLLED_BACK',
    'ROLLEDBACK',
]);
const RUNNING = new Set([
    'PREPARING',
    'INSTALLING',
    'IN_PROGRESS',
    'RUNNING',
    'PENDING',
    'QUEUED',
    'STARTED',
    'PROCESSING',
]);
/** The vendor calls an installation still running after 10–15 minutes stalled. */
const STALLED_MS = 15 * 60_000;
const ROLLBACK_WINDOW_MS = 24 * 60 * 60_000;
const MAX_RECORD_ANNOTATIONS = 50;
/** Lists in an error stay within what the step's error message keeps (4,000 characters). */
const ERROR_LIST = { max: 50, chars: 3000 };
function classifyInstallationStatus(status) {
    const upper = status.toUpperCase();
    if (DONE.has(upper))
        return 'succeeded';
    if (FAILED.has(upper) || upper.includes('FAIL'))
        return 'failed';
    if (RUNNING.has(upper))
        return 'pending';
    return 'unknown';
}
const isRunning = (i) => {
    const kind = classifyInstallationStatus(i.status ?? '');
    return i.status !== 'PREPARING' && kind !== 'succeeded' && kind !== 'failed';
};
/**
 * A package as prepare and install keep it: its entities (50,000 at scale) are the translation map's records.
 * They are set to undefined rather than left out, so that the package reported so far loses them too.
 */
function withoutEntities(pkg) {
    return { ...pkg, packageEntities: undefined, displayEntities: undefined };
}
function checkInstallable(ctx, pkg) {
    const status = pkg.status ?? '';
    const refuse = (why) => {
        throw new StepError(`${describePackage(pkg)} cannot be installed: ${why}; nothing was changed`, 'guard');
    };
    if (status === 'DRAFT')
        refuse('it is DRAFT; move it to TESTING (sandboxes) or ACTIVE first');
    if (status === 'DISABLED')
        refuse('it is DISABLED (retired); move it back to ACTIVE to install it again');
    if (status === 'ASSEMBLING_FAILED')
        refuse('its assembly failed; re-extract it with operation update and object-collections');
    if (status === 'UNASSEMBLED')
        refuse(HINTS.unassembled);
    if (status === 'TESTING' && ctx.config.environmentKind === 'production') {
        refuse(`it is TESTING and ${ctx.config.api.host} is production: a package must be ACTIVE before it is installed into production`);
    }
    if (status === 'TESTING' && ctx.config.environmentKind === 'unknown') {
        ctx.progress.warning(`The kind of ${ctx.config.api.host} is unknown; a TESTING package installs only into sandboxes. Set environment-kind to make the action check this itself`);
    }
}
async function readDefinition(ctx, packageId) {
    try {
        return await ctx.api.getDefinitionIndex(packageId);
    }
    catch (error) {
        if (isWorkfrontError(error) &&
            (error.kind === 'not-found' || error.kind === 'input' || error.kind === 'forbidden')) {
            ctx.progress.warning(`ignore-dependents: the package definition could not be read (${plain(error.message, 300)}); dependants of ignored records were not looked for`);
            return undefined;
        }
        throw error;
    }
}
async function makePlan(ctx, report, pkg) {
    const { config } = ctx;
    const { installationId } = config;
    if (installationId) {
        return phase(ctx, 'Read pre-run', async (entry) => {
            const prerun = await ctx.api.getInstallation(installationId);
            ctx.progress.installation(prerun.id, withoutMap(prerun));
            if (prerun.environmentPromotionPackageId && prerun.environmentPromotionPackageId !== pkg.id) {
                throw new StepError(`installation ${prerun.id} belongs to package ${prerun.environmentPromotionPackageId}, not ${pkg.id}`, 'guard');
            }
            if (prerun.status !== 'PREPARING') {
                throw new StepError(`installation ${prerun.id} is ${prerun.status}, not a PREPARING pre-run; to follow it use operation installation, to install again leave installation-id empty`, 'guard');
            }
            entry.detail = `pre-run ${prerun.id}`;
            return { map: prerun.translationMap ?? {}, prerun };
        });
    }
    if (!config.overrides) {
        return phase(ctx, 'Pre-run', async (entry) => {
            const prerun = await sendOnce(ctx, checkInstallations(ctx, pkg.id), async () => ctx.api.prepareInstallation(pkg.id, await preparedInstallation(ctx, pkg.id)));
            ctx.progress.installation(prerun.id, withoutMap(prerun));
            entry.detail = `pre-run ${prerun.id}, ${recordsOf(prerun.translationMap ?? {}).length} records`;
            ctx.log.info(`Pre-run ${prerun.id} compared the package with ${config.api.host}`);
            return { map: prerun.translationMap ?? {}, prerun };
        });
    }
    const overrides = config.overrides;
    return phase(ctx, 'Translation map and overrides', async (entry) => {
        const original = await ctx.api.createTranslationMap(pkg.id);
        const applied = checkedOverrides(ctx, original, overrides);
        let map = applied.map;
        report.overrideChanges = applied.changes;
        ctx.progress.warning(...applied.warnings);
        const ignoredCreates = applied.changes.filter((c) => c.to === 'IGNORE' && c.from === 'CREATE');
        if (ignoredCreates.length) {
            if (config.ignoreDependents) {
                const definition = await readDefinition(ctx, pkg.id);
                if (definition) {
                    const dependents = findDependents(original, map, definition);
                    map = ignoreRecords(map, dependents.map((d) => d.record));
                    report.dependents = dependents;
                    for (const d of dependents)
                        ctx.log.info(`IGNORE ${describeRecord(d.record)}: it depends on ${describeRecord(d.because)}`);
                }
            }
            else {
                ctx.progress.warning(`map-file ignores ${plural(ignoredCreates.length, 'record')} the pre-run would CREATE and ignore-dependents is false: their sub-objects must be ignored too, or the installation fails`);
            }
        }
        entry.detail = `${plural(recordsOf(map).length, 'record')}, ${applied.changes.length} overridden, ${plural(report.dependents?.length ?? 0, 'dependant')} ignored`;
        return { map };
    });
}
/**
 * Every check of the map file's overrides against the package's translation map. prepare and install both plan
 * through here, so a plan prepare accepts is one install accepts: a check of the overrides belongs here.
 */
function checkedOverrides(ctx, original, overrides) {
    const applied = applyOverrides(original, overrides);
    if ('errors' in applied) {
        throw new StepError(`map-file ${ctx.config.mapFile} does not fit the package's translation map; nothing was installed:\n${cutList(applied.errors, ERROR_LIST)
            .map((e) => `- ${e}`)
            .join('\n')}`, 'input');
    }
    return applied;
}
function checkGuards(ctx, report, records) {
    const denied = deniedRecords(records, ctx.config.denyActions);
    if (denied.length) {
        throw new StepError(`deny-actions refuses ${plural(denied.length, 'record')} of the plan; nothing was installed:\n${cutList(denied.map((r) => `${r.action} ${describeRecord({ ...r, name: r.name && plain(r.name, 120) })}`), ERROR_LIST)
            .map((line) => `- ${line}`)
            .join('\n')}`, 'guard');
    }
    const expected = ctx.config.expectedPlan;
    if (expected && expected !== report.planHash) {
        throw new StepError(`expected-plan ${expected} does not match this plan ${report.planHash}: the package or the target changed since the plan was approved; nothing was installed. Run prepare again and have the new plan approved`, 'guard');
    }
}
/** Writes the translation map for later steps, in pieces: a 50,000-record map never becomes one string. */
function writeMap(ctx, report, packageId, map, label) {
    const path = tempFile(ctx, `workfront-${packageId}-${label}-translation-map.json`);
    if ((0,external_node_fs_.existsSync)(path))
        ctx.log.info(`Replacing ${path}`);
    (0,external_node_fs_.mkdirSync)((0,external_node_path_.dirname)(path), { recursive: true });
    const fd = (0,external_node_fs_.openSync)(path, 'w');
    try {
        for (const chunk of translationMapJson(withTargetNames(map, report.targetNames)))
            (0,external_node_fs_.writeSync)(fd, chunk);
        (0,external_node_fs_.writeSync)(fd, '\n');
    }
    finally {
        (0,external_node_fs_.closeSync)(fd);
    }
    report.translationMapFile = path;
}
function setRecords(report, map) {
    report.records = undefined; // the records it replaces may be collected meanwhile
    const records = recordsOf(map);
    nameTargets(records, report.targetNames);
    report.records = records;
    report.counts = countRecords(records);
    return records;
}
async function prepare(ctx) {
    const report = {};
    return reporting(report, () => planInstallation(ctx, report, 'prepare'));
}
async function install(ctx) {
    const report = {};
    return reporting(report, async () => {
        // The plan is out of scope once the installation has started: a 50,000-record map is not held during the wait.
        const started = await planInstallation(ctx, report, 'install');
        if (!started)
            return;
        if (!ctx.config.wait) {
            ctx.log.info('wait is false: not waiting for the installation to end');
            return;
        }
        // The installation's own map replaces the plan's records; until then the counts say what was planned.
        report.records = undefined;
        await followInstallation(ctx, report, started, started.requestedAt);
    });
}
/** The newest installation of this package version in the target that has ended: what a skip is measured by. */
function lastOfVersion(history, version) {
    if (version === undefined)
        return undefined;
    return history.find((i) => i.environmentPromotionPackageVersion === version && i.status !== 'PREPARING' && !isRunning(i));
}
const MAX_LISTED_DIFFERENCES = 10;
function describeDifference(d) {
    const installed = d.installed ? `installed ${plain(d.installed, 100)}` : 'not in it';
    return `${describeRecord(d.record)} ${installed}, now ${d.now ? plain(d.now, 100) : 'not overridden'}`;
}
/**
 * skip-if-installed (Install, step 2): skips when `earlier` ended INSTALLED/COMPLETED without a FAILED record and
 * installed every record the map file decides (`set`, as `map` has them) the way this run would; otherwise says
 * in a notice why it installs. Answers whether it skipped.
 */
function skipWhenInstalled(ctx, report, pkg, earlier, map, set) {
    const { config } = ctx;
    const installed = earlier.translationMap ?? {};
    const ended = classifyInstallationStatus(earlier.status ?? '');
    const failedRecords = failedRecordCount(installed);
    const differences = ended === 'succeeded' && !failedRecords ? installedDifferently(installed, map, set) : [];
    const which = `installation ${earlier.id} (${plain(earlier.registeredAt ?? 'date unknown', 40)}) of version ${pkg.version}`;
    if (ended === 'succeeded' && !failedRecords && !differences.length) {
        report.skipped = true;
        ctx.progress.installation(earlier.id, withoutMap(earlier));
        setRecords(report, installed);
        ctx.log.info(`${describePackage(pkg)} is already installed in ${config.api.host} (installation ${earlier.id}, ${earlier.status}) the way this run would install it; skipping`);
        ctx.progress.note(`Skipped: installation ${earlier.id} of ${earlier.registeredAt ?? 'an earlier run'} installed version ${pkg.version} here (skip-if-installed)`);
        if (config.environmentKind !== 'production') {
            ctx.progress.warning('Installation history survives a sandbox refresh, the installed objects may not: if this sandbox was refreshed since, install with skip-if-installed: false');
        }
        return true;
    }
    report.notSkipped = { installationId: earlier.id, status: earlier.status, failedRecords, differences };
    const why = ended !== 'succeeded'
        ? `${which} ended ${plain(earlier.status ?? 'without a status', 40)} in ${config.api.host}`
        : failedRecords
            ? `${which} left ${plural(failedRecords, 'record')} FAILED in ${config.api.host}`
            : `${config.overrides && !config.installationId ? 'the map file treats' : 'without a map file this run treats'} ${plural(differences.length, 'record')} differently from ${which}: ${differences
                .slice(0, MAX_LISTED_DIFFERENCES)
                .map(describeDifference)
                .join('; ')}${differences.length > MAX_LISTED_DIFFERENCES ? `; … and ${differences.length - MAX_LISTED_DIFFERENCES} more` : ''}`;
    ctx.progress.note(`Not skipped: ${why}; installing again (skip-if-installed)`);
    return false;
}
function refuseWhileRunning(ctx, history) {
    const running = history.find(isRunning);
    if (!running)
        return;
    ctx.progress.installation(running.id, withoutMap(running));
    throw new StepError(`installation ${running.id} of this package is still ${running.status} in ${ctx.config.api.host}; nothing was started. Re-attach to it with operation: installation, installation-id: ${running.id}, wait: true`, 'conflict');
}
/** When an installation's rollback window began, as well as the API tells: the later of its two times. */
function deployedAt(i) {
    const times = [i.registeredAt, i.updatedAt ?? undefined]
        .map((t) => Date.parse(t ?? ''))
        .filter((t) => !Number.isNaN(t));
    return times.length ? Math.max(...times) : NaN;
}
/**
 * The latest deployment in the target, when its rollback window (24 h, latest deployment only) is still open:
 * installing ends it. Said at once, before the install request is sent.
 */
function warnRollbackEnds(ctx, report, mode, history) {
    const latest = history.find((i) => i.status !== 'PREPARING' && !isRunning(i));
    if (!latest || !(ctx.clock.now() - deployedAt(latest) < ROLLBACK_WINDOW_MS))
        return;
    const at = plain(latest.updatedAt ?? latest.registeredAt ?? '', 40);
    report.endsRollbackOf = { installationId: latest.id, at };
    ctx.log.warning(`${mode === 'install' ? 'This install ends' : 'Installing this plan would end'} the rollback window of installation ${latest.id} (${at}) in ${ctx.config.api.host}: the UI rolls back only the latest deployment`);
}
/** Plans, checks the guards, and (for install) starts the installation; answers it when one started. */
async function planInstallation(ctx, report, mode) {
    // Before anything else: map-file names resolved and target ids checked, for every later step to see.
    report.targetNames = await checkMapTargets(ctx);
    const { config } = ctx;
    const pkg = withoutEntities(await phase(ctx, 'Read package', async () => settledPackage(ctx, config.packageId)));
    // The result keeps the package without its entities: the translation map's records are those.
    ctx.progress.package(pkg);
    checkExpectedStatus(ctx, pkg);
    checkInstallable(ctx, pkg);
    const history = await phase(ctx, 'Installation history', async (entry) => {
        const all = await ctx.api.listInstallations(pkg.id);
        noteInstallations(ctx, all);
        const here = inEnvironment(all, config.api.host).sort(newestFirst);
        entry.detail = `${plural(all.length, 'installation')}, ${here.length} in ${config.api.host}`;
        return here;
    });
    const latest = mode === 'install' && config.skipIfInstalled ? lastOfVersion(history, pkg.version) : undefined;
    // The skip rule compares with that installation's map; the list carries none (each is as large as the package).
    const earlier = latest &&
        (await phase(ctx, 'Earlier installation', async (entry) => {
            const read = await ctx.api.getInstallation(latest.id);
            entry.detail = `${read.id}, ${plain(read.status ?? 'no status', 40)}`;
            return read;
        }));
    // A given pre-run is installed as it is: the map file decides nothing then.
    const overrides = config.installationId ? undefined : config.overrides;
    if (!overrides) {
        if (earlier && skipWhenInstalled(ctx, report, pkg, earlier, {}, []))
            return;
        if (mode === 'install')
            refuseWhileRunning(ctx, history);
    }
    const plan = await makePlan(ctx, report, pkg);
    if (overrides) {
        const set = recordsSetByMapFile(plan.map, overrides, report.dependents);
        if (earlier && skipWhenInstalled(ctx, report, pkg, earlier, plan.map, set)) {
            // The report is the earlier installation's, not this plan's.
            report.overrideChanges = undefined;
            report.dependents = undefined;
            return;
        }
        if (mode === 'install')
            refuseWhileRunning(ctx, history);
    }
    const records = setRecords(report, plan.map);
    report.planHash = planHash(pkg.id, pkg.version, config.api.host, records);
    ctx.log.info(`Plan ${report.planHash}: ${Object.entries(report.counts?.byAction ?? {})
        .map(([a, n]) => `${n} ${a}`)
        .join(', ') || 'no records'}`);
    checkGuards(ctx, report, records);
    warnRollbackEnds(ctx, report, mode, history);
    if (mode === 'prepare') {
        writeMap(ctx, report, pkg.id, plan.map, plan.prerun ? plan.prerun.id : 'plan');
        ctx.log.info(`Nothing was installed; the plan is in ${report.translationMapFile}`);
        return;
    }
    return phase(ctx, 'Install', async (entry) => {
        // The rollback window runs from the install request, not from the pre-run.
        const requestedAt = ctx.clock.now();
        let id;
        const check = checkInstallations(ctx, pkg.id);
        if (plan.prerun) {
            const prerunId = plan.prerun.id;
            await sendOnce(ctx, check, async () => ctx.api.installInstallation(prerunId, await startedPrerun(ctx, pkg.id, prerunId)));
            id = prerunId;
        }
        else {
            const map = plan.map;
            id = await sendOnce(ctx, check, async () => ctx.api.installPackage(pkg.id, map, await startedInstallation(ctx, pkg.id)));
        }
        report.changed = true;
        ctx.progress.installation(id);
        entry.detail = `installation ${id}`;
        ctx.log.info(`Installation ${id} of ${describePackage(pkg)} into ${config.api.host} started`);
        return { id, packageId: pkg.id, requestedAt };
    });
}
/** How to see whether an install request whose answer never came started an installation. */
function checkInstallations(ctx, packageId) {
    return `operation: installations, package-id: ${packageId} (an installation in ${ctx.config.api.host} newer than this run is it; re-attach with operation: installation, installation-id: <its id>, wait: true)`;
}
/** Polls an installation to its end and reports every record; also the `installation` operation's wait. */
async function followInstallation(ctx, report, { id: installationId, packageId }, 
/** When this step sent the install request (epoch ms); unknown when re-attaching. */
requestedAt) {
    const { config } = ctx;
    let warnedStalled = false;
    const waited = await phase(ctx, 'Wait for installation', async (entry) => {
        const result = await waitFor({
            poll: async () => {
                const current = await ctx.api.getInstallation(installationId);
                if (!warnedStalled && ctx.clock.now() - entry.startedAt > STALLED_MS) {
                    warnedStalled = true;
                    ctx.log.warning(`Installation ${installationId} has run for over 15 minutes: ${HINTS.stalledInstallation}`);
                }
                // Only the final map is reported: a running installation's is dropped at once, not held to the next poll.
                const kind = classifyInstallationStatus(current.status ?? '');
                return kind === 'succeeded' || kind === 'failed' ? current : withoutMap(current);
            },
            statusOf: (i) => i.status ?? 'UNKNOWN',
            classify: classifyInstallationStatus,
            deadline: ctx.deadline,
            ...pollSchedule(config.pollIntervalMs),
            clock: ctx.clock,
            signal: ctx.signal,
            pollFirst: false,
            tolerate: unreadablePolls(ctx),
            onChange: (status, previous, kind) => {
                ctx.log.info(kind === 'unknown'
                    ? `Installation status ${plain(status)} is not one the action knows; polling on`
                    : `Installation ${installationId}: ${previous ? `${previous} → ` : ''}${status}`);
            },
        });
        entry.detail = `${result.status ?? '?'} after ${formatDuration(result.elapsedMs)}, ${plural(result.polls, 'poll')}`;
        return result;
    });
    if (waited.value) {
        ctx.progress.installation(installationId, withoutMap(waited.value));
        // Without a final map the plan's records stay the report.
        if (waited.value.translationMap)
            reportRecords(ctx, report, waited.value.translationMap, { id: installationId, packageId });
    }
    if (waited.outcome === 'cancelled') {
        throw new StepError(`Cancelled while installation ${installationId} was ${waited.status ?? 'running'}; it goes on in Workfront. Re-attach with operation: installation, installation-id: ${installationId}`, 'cancelled', 'cancelled');
    }
    if (waited.outcome === 'timed-out') {
        throw new StepError(`installation ${installationId} was still ${waited.status ?? 'running'} when timeout (${formatDuration(config.timeoutMs)}) ran out; it goes on in Workfront. Re-attach with operation: installation, installation-id: ${installationId}, wait: true. ${installationTimeoutHint(config.timeoutMs)}`, 'timeout', 'timed-out');
    }
    // Re-attached, the request time is unknown: the installation's registration, at or before it, is the safe side.
    const from = requestedAt ?? Date.parse(waited.value?.registeredAt ?? waited.value?.updatedAt ?? '');
    if (!Number.isNaN(from)) {
        report.rollbackUntil = new Date(from + ROLLBACK_WINDOW_MS).toISOString();
        // The summary's verdict states the deadline: in the log only, so that it is not said twice there.
        ctx.log.info(`The Workfront UI can roll this deployment back until ${report.rollbackUntil} (24 h after the install request, latest deployment only; there is no rollback API)`);
    }
    const failed = report.counts?.byStatus.FAILED ?? 0;
    if (waited.outcome === 'failed') {
        throw new StepError(`installation ${installationId} ended ${waited.status}${failed ? ` with ${plural(failed, 'failed record')}` : ''}`, 'failed');
    }
    if (failed && config.failOnRecordFailure) {
        throw new StepError(`installation ${installationId} ended ${waited.status} but ${plural(failed, 'record')} FAILED (set fail-on-record-failure: false to accept that)`, 'failed');
    }
    if (failed)
        ctx.progress.warning(`${plural(failed, 'record')} FAILED; fail-on-record-failure is false`);
}
/** The installation's records on the report, its map written for later steps, and each failed one annotated. */
function reportRecords(ctx, report, map, installation) {
    const records = setRecords(report, map);
    if (installation.packageId)
        writeMap(ctx, report, installation.packageId, map, installation.id);
    const failed = records.filter((r) => r.installationStatus === 'FAILED');
    for (const record of failed.slice(0, MAX_RECORD_ANNOTATIONS)) {
        const hint = hintForRecordFailure(record.reason ?? '');
        ctx.log.error(`${describeRecord({ ...record, name: record.name && plain(record.name, 120) })}: ${plain(record.reason ?? 'no reason given', 500)}${hint ? ` Hint: ${hint}` : ''}`, `${record.objCode} record failed`);
    }
    if (failed.length > MAX_RECORD_ANNOTATIONS)
        ctx.log.info(`${andMore(failed.length - MAX_RECORD_ANNOTATIONS)} failed records in ${report.translationMapFile}`);
}
async function installation(ctx) {
    const report = {};
    return reporting(report, async () => {
        const id = ctx.config.installationId;
        const current = await phase(ctx, 'Read installation', async () => ctx.api.getInstallation(id));
        const packageId = current.environmentPromotionPackageId;
        if (packageId)
            ctx.progress.package({ id: packageId });
        ctx.progress.installation(current.id, withoutMap(current));
        const kind = classifyInstallationStatus(current.status ?? '');
        ctx.log.info(`Installation ${current.id}: ${current.status}${current.environment ? ` in ${plain(current.environment)}` : ''}`);
        if (ctx.config.wait && current.status !== 'PREPARING' && (kind === 'pending' || kind === 'unknown')) {
            await followInstallation(ctx, report, { id, packageId });
            return;
        }
        reportRecords(ctx, report, current.translationMap ?? {}, { id, packageId });
        if (kind === 'failed')
            throw new StepError(`installation ${id} ended ${current.status}`, 'failed');
    });
}
/** Both plan: a pre-run, or the translation map with the map file's overrides. */
const PLAN_INPUTS = [
    // prepare plans from that pre-run instead of making one; install installs it.
    'installation-id',
    'expected-status',
    'map-file',
    // prepare compares its plan too: a different one fails the step (nothing is installed either way).
    'expected-plan',
    'deny-actions',
    'core-api-version',
];
/** A given pre-run is used as it is: the map file's overrides would silently not apply. */
const prerunOrMap = (verb) => (input) => input('installation-id') && input('map-file')
    ? [
        `Inputs "installation-id" and "map-file" are both set: that pre-run is ${verb} as it is, without the map file's overrides; drop one (without installation-id the map file's overrides are applied to a fresh translation map)`,
    ]
    : [];
const prepareOperation = {
    name: 'prepare',
    needs: ['package-id'],
    uses: PLAN_INPUTS,
    verb: 'Plan installation',
    check: prerunOrMap('planned'),
    run: prepare,
};
const installOperation = {
    name: 'install',
    needs: ['package-id'],
    uses: PLAN_INPUTS,
    verb: 'Install package',
    check: prerunOrMap('installed'),
    run: install,
};
const installationOperation = {
    name: 'installation',
    needs: ['installation-id'],
    uses: [],
    verb: 'Read installation',
    run: installation,
};

;// CONCATENATED MODULE: ./src/operations/index.ts




/** By name; the order is the one the input errors list them in. */
const OPERATIONS = {
    create: createOperation,
    update: updateOperation,
    transition: transitionOperation,
    prepare: prepareOperation,
    install: installOperation,
    get: getOperation,
    definition: definitionOperation,
    list: listOperation,
    installations: installationsOperation,
    installation: installationOperation,
    replace: replaceOperation,
    delete: deleteOperation,
};
const OPERATION_NAMES = Object.keys(OPERATIONS);
/** Runs the operation `operation` names, with its own config type (no cast: the descriptors are keyed by name). */
function runOperation(operation, ctx) {
    return OPERATIONS[operation].run(ctx);
}

;// CONCATENATED MODULE: ./src/execute.ts
// One operation from a validated Config to its result: the client, the operation's descriptor, and every error
// turned into an outcome. What main.ts runs, and what the tests run in-process: never a copy of it.






/** Runs the operation of `config`; never throws for what the operation meets: the result says how it ended. */
async function execute(config, deps) {
    const { clock, log, signal } = deps;
    const startedAt = clock.now();
    const result = {
        operation: config.operation,
        outcome: 'succeeded',
        changed: false,
        target: { url: config.url, host: config.api.host, kind: config.environmentKind },
        // Known from the start: a run cancelled or failed before the first answer still reports it.
        package: 'packageId' in config ? { id: config.packageId } : undefined,
        installationId: 'installationId' in config ? config.installationId : undefined,
        warnings: [],
        notes: [],
        phases: [],
        startedAt,
    };
    const deadline = startedAt + config.timeoutMs;
    const api = createClient({
        baseUrl: config.api,
        auth: config.credential,
        version: deps.version,
        deadline,
        signal,
        log: (level, message) => level === 'debug' ? log.debug(message) : level === 'warning' ? log.warning(message) : log.info(message),
        onSecret: deps.onSecret,
        clock,
        ...deps.transport,
    });
    log.info(`Workfront ${config.api.base} (${config.environmentKind}), operation ${config.operation}`);
    try {
        const report = await runOperation(config.operation, {
            config,
            api,
            clock,
            log,
            signal,
            deadline,
            progress: progressOf(result, () => deps.publish?.(result)),
            tempDir: deps.tempDir,
            core: (origin) => api.core(config.coreApiVersion, origin),
            provenance: deps.provenance,
        });
        Object.assign(result, report);
    }
    catch (error) {
        Object.assign(result, partialReport(error));
        // A request cut short because the step's timeout ran out, or a retry or lookup the deadline left no room
        // for, is the step timing out, not failing.
        const outOfTime = isWorkfrontError(error) &&
            ((error.kind === 'timeout' && clock.now() >= deadline) || error.details.pastDeadline === true);
        result.outcome = signal?.aborted ? 'cancelled' : outOfTime ? 'timed-out' : outcomeOf(error);
        const message = error instanceof Error ? error.message : String(error);
        if (error instanceof StepError || isWorkfrontError(error))
            result.error = plainLines(message);
        else {
            // Not a failure the action foresaw: say so, and keep the stack for the debug log.
            log.debug(error?.stack ?? message);
            result.error = plainLines(`Unexpected error (an answer the action cannot handle, or a bug): ${message}`);
        }
    }
    if (result.skipped && result.outcome === 'succeeded')
        result.outcome = 'skipped';
    result.endedAt = clock.now();
    return result;
}
/** The progress an operation reports, kept on its result; ids are published at once. */
function progressOf(result, publish) {
    return {
        package: (pkg) => {
            result.package = { ...result.package, ...pkg };
            publish();
        },
        installation: (id, installation) => {
            result.installationId = id;
            if (installation)
                result.installation = installation;
            publish();
        },
        warning: (...messages) => void result.warnings.push(...messages),
        note: (...messages) => void result.notes.push(...messages),
        phase: (entry) => void result.phases.push(entry),
    };
}

;// CONCATENATED MODULE: ./src/report/budget.ts
// One byte budget over a report's blocks, for the job summary and the pull-request comment alike: the fixed lines
// first, then each list gets a share of the bytes left, its rows are cut to the share, and `… and N more` says
// what was left out.
/** The bytes of lines joined by line breaks, a break counted after each. */
const bytes = (lines) => lines.reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0);
/** What a list takes besides its rows, its cut line at the longest (every row left out) included. */
const budget_frame = (list) => Math.max(bytes(list.head), bytes(list.bareHead ?? [])) +
    bytes(list.foot) +
    (list.count ? bytes(['', list.more(list.count)]) : 0);
/** The bytes of a list's rows, counted only until they pass `limit`: no share is larger than that. */
function rowsSize(list, limit) {
    let size = 0;
    for (let i = 0; i < list.count && size <= limit; i++)
        size += bytes([list.row(i)]);
    return size;
}
/**
 * Each list's share of `free` bytes, smallest need first: a list gets what it needs or an equal share of what is
 * still free, whichever is less, so a short list shows whole and passes the rest on. The `last` lists then share
 * what the others leave.
 */
function shares(lists, free) {
    const out = new Map();
    let left = Math.max(0, free);
    const give = (list, need, among) => {
        const share = Math.min(need, Math.floor(left / among));
        out.set(list, share);
        left -= share;
    };
    const shared = lists.filter((l) => !l.last).map((list) => ({ list, need: rowsSize(list, free) }));
    shared.sort((a, b) => a.need - b.need);
    shared.forEach(({ list, need }, index) => give(list, need, shared.length - index));
    const last = lists.filter((l) => l.last);
    last.forEach((list, index) => give(list, Infinity, last.length - index));
    return out;
}
/** The rows that fit in `allowance` bytes, then `… and N more` when any are left out. */
function budget_cut(list, allowance) {
    const rows = [];
    let used = 0;
    while (rows.length < list.count) {
        const line = list.row(rows.length);
        used += bytes([line]);
        if (used > allowance)
            break;
        rows.push(line);
    }
    const left = list.count - rows.length;
    const head = !rows.length && left && list.bareHead ? list.bareHead : list.head;
    return [...head, ...rows, ...(left ? ['', list.more(left)] : []), ...list.foot];
}
/**
 * The blocks in order, the lists cut so that the whole stays within `budget` bytes (when the fixed lines alone
 * do).
 */
function layout(blocks, budget) {
    const lists = blocks.filter((b) => !Array.isArray(b));
    const fixed = bytes(blocks.filter((b) => Array.isArray(b)).flat()) +
        lists.reduce((sum, list) => sum + budget_frame(list), 0);
    const allowance = shares(lists, budget - fixed);
    return blocks
        .flatMap((block) => (Array.isArray(block) ? block : budget_cut(block, allowance.get(block) ?? 0)))
        .join('\n');
}

;// CONCATENATED MODULE: ./src/report/verdict.ts
// The one-line verdict a release manager reads in two seconds: how it ended, what went where, what changed,
// the names that need a look, until when it can be rolled back. Shared by the job summary and the PR comment.





const MARK = {
    succeeded: '✅',
    skipped: '⏭️',
    failed: '❌',
    'timed-out': '⏱️',
    cancelled: '🛑',
};
/** Words per action: after an installation, and in a plan. Actions the API adds later are shown as they are. */
const ACTION_WORDS = {
    CREATE: { done: 'created', plan: 'to create', always: true },
    CREATEWITHALTNAME: {
        done: 'created under another name',
        plan: 'to create under another name',
        named: true,
    },
    USEEXISTING: { done: 'reused', plan: 'to reuse', always: true },
    OVERWRITING: { done: 'overwritten', plan: 'to overwrite', named: true, always: true },
    IGNORE: { done: 'ignored', plan: 'to ignore', named: true, always: true },
};
const verdict_FAILED = 'FAILED';
/** `created` after an installation, `to create` in a plan; an action the API adds later as it is. */
function actionWord(action, installed) {
    const words = ACTION_WORDS[action];
    if (words)
        return installed ? words.done : words.plan;
    return installed ? action : `to ${action}`;
}
const NAMES_SHOWN = 3;
function escaper(format) {
    return format === 'markdown' ? md : plain;
}
function title(result, esc) {
    const pkg = result.package;
    const what = pkg
        ? `"${esc(pkg.name ?? pkg.id, 120)}"${pkg.version !== undefined ? ` v${esc(pkg.version)}` : ''}`
        : '';
    const where = `${esc(result.target.host)}${result.target.kind !== 'unknown' ? ` (${result.target.kind})` : ''}`;
    const outcome = result.outcome === 'succeeded' ? '' : ` — ${result.outcome}`;
    switch (result.operation) {
        case 'install':
            if (result.skipped)
                return `${what} is already installed in ${where} — skipped`;
            return `Install ${what} into ${where}${outcome}`;
        case 'prepare':
            return `Plan for ${what} in ${where}${outcome}`;
        case 'transition':
            return result.changed
                ? `${what}: ${esc(result.previousStatus)} → ${esc(pkg?.status)}${outcome}`
                : `${what} is ${esc(pkg?.status ?? '?')}${result.outcome === 'succeeded' ? ', nothing to change' : outcome}`;
        default:
            return `${OPERATIONS[result.operation].verb} ${what}${outcome}`.replace(/\s+/g, ' ').trim();
    }
}
const keyOf = (r) => `${r.objCode}\u0000${r.sourceId}`;
/**
 * Records per action (failed ones counted as failed only, so the counts add up to the records), each with the
 * first names of the records worth a look; records the map file changed are named first.
 */
function counts(result, esc) {
    const records = result.records ?? [];
    if (records.length === 0)
        return [];
    const installed = records.some((r) => r.installationStatus);
    const changed = new Set((result.overrideChanges ?? []).map((c) => keyOf(c.record)));
    const tally = new Map();
    const actionOf = actionWords();
    for (const record of records) {
        const key = installed && record.installationStatus === verdict_FAILED ? verdict_FAILED : actionOf(record.action);
        let entry = tally.get(key);
        if (!entry)
            tally.set(key, (entry = { count: 0, first: [], rest: [] }));
        entry.count++;
        if (key !== verdict_FAILED && !ACTION_WORDS[key]?.named)
            continue;
        const names = changed.has(keyOf(record)) ? entry.first : entry.rest;
        if (names.length < NAMES_SHOWN)
            names.push(record.name ? esc(record.name, 60) : esc(shortId(record.sourceId)));
    }
    const part = (key, word) => {
        const entry = tally.get(key);
        if (!entry)
            return undefined;
        const names = [...entry.first, ...entry.rest].slice(0, NAMES_SHOWN);
        if (names.length && entry.count > names.length)
            names.push(andMore(entry.count - names.length));
        const listed = names.length ? ` (${names.join(', ')})` : '';
        return `${entry.count.toLocaleString('en-US')} ${word}${listed}`;
    };
    const out = [];
    for (const [action, words] of Object.entries(ACTION_WORDS)) {
        const word = actionWord(action, installed);
        out.push(part(action, word) ?? (words.always ? `0 ${word}` : ''));
    }
    for (const action of tally.keys()) {
        if (action !== verdict_FAILED && !ACTION_WORDS[action])
            out.push(part(action, actionWord(esc(action, 40), installed)));
    }
    if (installed)
        out.push(part(verdict_FAILED, 'failed') ?? '0 failed');
    return out.filter(Boolean);
}
/** Where the earlier installation can be read: the API's address of it, when its id is a plain id. */
function installationLink(result, id, format) {
    const label = `installation ${shortId(id)}`;
    if (format === 'text' || !isId(id))
        return format === 'text' ? plain(label) : md(label);
    try {
        const base = resolveApiBase(result.target.url).base.replace(/[()]/g, encodeURIComponent);
        return `[${label}](${base}/installations/${id})`;
    }
    catch {
        return label;
    }
}
function more(result, format) {
    const esc = escaper(format);
    const out = [];
    const installation = result.installation;
    if (result.skipped && installation) {
        const at = installation.registeredAt ? ` on ${esc(when(installation.registeredAt))}` : '';
        const status = installation.status ? ` (${esc(installation.status)})` : '';
        out.push(`installed earlier by ${installationLink(result, installation.id, format)}${at}${status}`);
    }
    if (result.rollbackUntil)
        out.push(`rollback in the Workfront UI until ${esc(when(result.rollbackUntil))}`);
    return out;
}
function plan(result, format) {
    if (result.operation !== 'prepare' || !result.planHash)
        return undefined;
    const hash = escaper(format)(result.planHash.slice(0, 12));
    return `nothing installed; plan ${format === 'markdown' ? `\`${hash}\`` : hash}`;
}
/** The verdict in parts, for a report that lays them out itself (the summary's heading and first line). */
function verdictParts(result, format = 'markdown') {
    const esc = escaper(format);
    const failed = result.outcome !== 'succeeded' && result.outcome !== 'skipped';
    const firstLine = failed && result.error ? result.error.split('\n')[0].replace(/[:\s]+$/, '') : '';
    return {
        mark: MARK[result.outcome],
        title: title(result, esc),
        counts: result.skipped ? [] : counts(result, esc),
        reason: firstLine ? esc(firstLine, 300) : undefined,
        more: more(result, format),
        plan: plan(result, format),
    };
}
/**
 * One line: `✅ Install "Release 7" v3 into acme.my.workfront.com (production): 37 created, 15 reused,
 * 1 overwritten (New Agency Offboarding), 1 ignored, 0 failed; rollback in the Workfront UI until …`.
 */
function verdict(result, format = 'markdown') {
    const parts = verdictParts(result, format);
    const counted = parts.counts.length ? `: ${parts.counts.join(', ')}` : '';
    const tail = [parts.reason, ...parts.more, parts.plan].filter(Boolean).map((text) => `; ${text}`);
    return `${parts.mark} ${parts.title}${counted}${tail.join('')}`;
}

;// CONCATENATED MODULE: ./src/report/summary.ts
// The job summary as a release manager reads it: the verdict first, then counts per objCode, failures with their
// reasons, what the map file changed, and the long tables folded. One byte budget covers every section.








/** GitHub drops a step summary over 1 MiB whole. */
const SUMMARY_LIMIT_BYTES = 1024 * 1024;
/** What every section shares; the rest is a margin for what GitHub adds around it. */
const BUDGET_BYTES = SUMMARY_LIMIT_BYTES - 64 * 1024;
/** Tables longer than this are folded. */
const FOLD_ROWS = 20;
const row = (cells) => `| ${cells.map((cell) => (cell === undefined || cell === '' ? ' ' : String(cell))).join(' | ')} |`;
const tableHead = (header) => [row(header), row(header.map(() => '---'))];
/** An id as a code span, cut short; full ids are in the outputs and the translation map file. */
function id(value, full = false) {
    if (!value)
        return '';
    const shown = full ? value : shortId(value);
    return isId(value) ? `\`${shown}\`` : md(shown, 80);
}
/** A text field a later result may carry (target names): read without widening the types here. */
function textField(from, key) {
    const value = from[key];
    return typeof value === 'string' && value ? value : undefined;
}
/** `Campaign Ops (6500c0de…)` when the name is known, else the short id. */
function target(targetId, name) {
    if (!targetId)
        return name ? md(name, 80) : '';
    return name ? `${md(name, 80)} (${id(targetId)})` : id(targetId);
}
const recordName = (r) => (r.name ? md(r.name, 120) : '');
/** A table under a heading, folded when long. */
function table(heading, header, count, cells, options = {}) {
    const fold = options.fold ?? count > FOLD_ROWS;
    const [singular, pluralForm] = options.unit ?? ['row', 'rows'];
    return {
        count,
        row: (index) => row(cells(index)),
        head: [
            `#### ${heading}`,
            '',
            ...(fold ? [`<details><summary>Show ${plural(count, singular, pluralForm)}</summary>`, ''] : []),
            ...tableHead(header),
        ],
        foot: fold ? ['', '</details>', ''] : [''],
        more: (left) => `${andMore(left)}${options.rest ? ` ${options.rest}` : ''}`,
        last: options.last,
    };
}
function detailsTable(result, now) {
    const pkg = result.package;
    const rows = [
        ['Operation', `\`${result.operation}\``],
        ['Environment', `${md(result.target.host)} (${result.target.kind})`],
    ];
    if (pkg) {
        rows.push(['Package', `${pkg.name ? `${md(pkg.name, 120)} ` : ''}${id(pkg.id, true)}`]);
        if (pkg.version !== undefined)
            rows.push(['Version', md(pkg.version)]);
        if (pkg.status)
            rows.push([
                'Status',
                `${result.previousStatus && result.changed ? `${md(result.previousStatus)} → ` : ''}${md(pkg.status)}`,
            ]);
        if (pkg.publishedAt)
            rows.push(['Published', md(when(pkg.publishedAt))]);
        if (pkg.retiredAt)
            rows.push(['Retired', md(when(pkg.retiredAt))]);
    }
    const installationId = result.installationId ?? result.installation?.id;
    if (installationId)
        rows.push(['Installation', `${id(installationId, true)} ${md(result.installation?.status ?? '')}`]);
    if (result.planHash)
        rows.push(['Plan hash', `${code(result.planHash, 1000)}`]);
    if (result.translationMapFile)
        rows.push(['Translation map', `${code(result.translationMapFile, 1000)}`]);
    if (result.definitionFile)
        rows.push(['Definition', `${code(result.definitionFile, 1000)}`]);
    rows.push(['Duration', formatDuration((result.endedAt ?? now) - result.startedAt)]);
    return [...tableHead(['Outcome', `${MARK[result.outcome]} ${result.outcome}`]), ...rows.map(row), ''];
}
function timeline(result, now) {
    if (!result.phases.length)
        return [];
    return [
        '<details><summary>Timeline</summary>',
        '',
        ...tableHead(['phase', 'duration', 'detail']),
        ...result.phases.map((p) => row([md(p.name), formatDuration((p.endedAt ?? now) - p.startedAt), md(p.detail ?? '', 300)])),
        '',
        '</details>',
        '',
    ];
}
/** The error's first line stands out; the lines after it (lists of records or entries, hints) follow it. */
function errorBlock(result) {
    if (!result.error)
        return [];
    const [first, ...rest] = result.error.split('\n');
    const label = result.outcome === 'cancelled' ? 'Cancelled' : 'Error';
    return [
        [`> **${label}:** ${md(first, 2000)}`],
        {
            count: rest.length,
            row: (i) => rest[i].startsWith('- ') ? `> - ${md(rest[i].slice(2), 1000)}` : `>\n> ${md(rest[i], 1000)}`,
            head: [],
            foot: [''],
            more: andMore,
        },
    ];
}
function messages(result) {
    const ended = result.endsRollbackOf;
    const all = [
        // Logged before the install request; said here too, as it changes what the UI can still undo.
        ...(ended
            ? [
                `> ⚠️ ${result.operation === 'install' ? 'This install ended' : 'Installing this plan would end'} the rollback window of installation ${code(ended.installationId)} (${md(ended.at)}): the Workfront UI rolls back only the latest deployment`,
            ]
            : []),
        ...result.warnings.map((w) => `> ⚠️ ${md(w, 1000)}`),
        // A skipped run's notes say what its second line says; the log keeps them.
        ...(result.skipped ? [] : result.notes).map((n) => `> ℹ️ ${md(n, 1000)}`),
    ];
    // A blank quoted line between two messages keeps each its own paragraph.
    return {
        count: all.length,
        row: (i) => (i ? `>\n${all[i]}` : all[i]),
        head: [],
        foot: [''],
        more: andMore,
    };
}
/**
 * Records per objCode, one column per action that occurs (failed records counted as failed only): the table the
 * summary and the pull-request comment both show, its cells made inert.
 */
function objCodeCounts(records) {
    const installed = records.some((r) => r.installationStatus);
    const byCode = new Map();
    const columns = new Set();
    const actionOf = actionWords();
    for (const r of records) {
        const key = installed && r.installationStatus === 'FAILED' ? 'FAILED' : actionOf(r.action);
        columns.add(key);
        let counts = byCode.get(r.objCode);
        if (!counts)
            byCode.set(r.objCode, (counts = new Map()));
        counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const order = ['CREATE', 'CREATEWITHALTNAME', 'USEEXISTING', 'OVERWRITING', 'IGNORE'];
    const keys = [
        ...order.filter((k) => columns.has(k)),
        ...[...columns].filter((k) => !order.includes(k) && k !== 'FAILED').sort(),
        ...(columns.has('FAILED') ? ['FAILED'] : []),
    ];
    const header = [
        'objCode',
        'records',
        ...keys.map((k) => (k === 'FAILED' ? 'failed' : md(actionWord(k, installed), 40))),
    ];
    const totals = new Map();
    for (const counts of byCode.values())
        for (const [k, n] of counts)
            totals.set(k, (totals.get(k) ?? 0) + n);
    const cells = (code, counts) => {
        const label = objCodeLabel(code);
        return [
            label === code ? md(code, 40) : `${md(code, 40)} ${md(label)}`,
            [...counts.values()].reduce((a, b) => a + b, 0).toLocaleString('en-US'),
            ...keys.map((k) => counts.get(k)?.toLocaleString('en-US')),
        ];
    };
    const rows = [...byCode.keys()].sort().map((code) => cells(code, byCode.get(code)));
    const total = cells('', totals).map((cell, i) => (i === 0 ? '**total**' : cell ? `**${cell}**` : cell));
    return { header, rows, total };
}
function perObjCode(records) {
    const { header, rows, total } = objCodeCounts(records);
    const list = table(`Records per objCode (${plural(records.length, 'record')} in ${plural(rows.length, 'objCode')})`, header, rows.length, (i) => rows[i], { fold: rows.length > 10, unit: ['objCode', 'objCodes'] });
    // The totals row stays below the rows, cut or not.
    list.foot = [row(total), ...list.foot];
    return list;
}
function failedRecords(records, rest) {
    const failed = records.filter((r) => r.installationStatus === 'FAILED');
    if (!failed.length)
        return undefined;
    return table(`Failed records (${failed.length.toLocaleString('en-US')})`, ['name', 'objCode', 'source id', 'action', 'reason'], failed.length, (i) => {
        const r = failed[i];
        const hint = hintForRecordFailure(r.reason ?? '');
        return [
            recordName(r),
            md(r.objCode, 40),
            id(r.sourceId),
            md(r.action, 40),
            `${md(r.reason ?? 'no reason given', 300)}${hint ? ` _Hint: ${md(hint, 300)}_` : ''}`,
        ];
    }, { rest });
}
function mapChanges(result, rest) {
    const changes = result.overrideChanges ?? [];
    if (!changes.length)
        return undefined;
    const side = (action, targetId, name) => `${md(action, 40)}${targetId || name ? ` → ${target(targetId, name)}` : ''}`;
    return table(`What the map file changes (${changes.length.toLocaleString('en-US')})`, ['name', 'objCode', 'source id', 'pre-run', 'map file'], changes.length, (i) => {
        const c = changes[i];
        return [
            recordName(c.record),
            md(c.record.objCode, 40),
            id(c.record.sourceId),
            side(c.from, c.fromTarget, textField(c, 'fromTargetName')),
            side(c.to, c.toTarget, textField(c, 'toTargetName') ?? textField(c.record, 'targetName')),
        ];
    }, { rest });
}
function dependants(result, rest) {
    const list = result.dependents ?? [];
    if (!list.length)
        return undefined;
    return table(`Ignored as dependants of ignored records (${list.length.toLocaleString('en-US')})`, ['name', 'objCode', 'source id', 'depends on'], list.length, (i) => {
        const d = list[i];
        return [
            recordName(d.record),
            md(d.record.objCode, 40),
            id(d.record.sourceId),
            `${md(d.because.objCode, 40)} ${d.because.name ? md(d.because.name, 120) : id(d.because.sourceId)}`,
        ];
    }, { fold: list.length > 10, rest });
}
function allRecords(records, rest) {
    const withStatus = records.some((r) => r.installationStatus);
    const withReason = records.some((r) => r.reason);
    const header = [
        'name',
        'objCode',
        'source id',
        'action',
        'target',
        ...(withStatus ? ['result'] : []),
        ...(withReason ? ['reason'] : []),
    ];
    const list = table(`All records (${records.length.toLocaleString('en-US')})`, header, records.length, (i) => {
        const r = records[i];
        return [
            recordName(r),
            md(r.objCode, 40),
            id(r.sourceId),
            md(r.action, 40),
            target(r.targetId, textField(r, 'targetName')),
            ...(withStatus ? [md(r.installationStatus ?? '', 40)] : []),
            ...(withReason ? [md(r.reason ?? '', 300)] : []),
        ];
    }, { fold: true, rest, last: true });
    return list;
}
function listings(result) {
    const out = [];
    if (result.packages) {
        const packages = result.packages;
        out.push(table(`Packages (${packages.length.toLocaleString('en-US')})`, ['name', 'id', 'status', 'created'], packages.length, (i) => [
            md(packages[i].name ?? '', 120),
            id(packages[i].id, true),
            md(packages[i].status ?? ''),
            md(when(packages[i].createdAt)),
        ]));
    }
    if (result.installations) {
        const list = result.installations;
        out.push(table(`Installations (${list.length.toLocaleString('en-US')})`, ['id', 'version', 'environment', 'status', 'registered'], list.length, (i) => [
            id(list[i].id, true),
            md(list[i].environmentPromotionPackageVersion ?? ''),
            md(list[i].environment ?? ''),
            md(list[i].status ?? ''),
            md(when(list[i].registeredAt)),
        ]));
    }
    return out;
}
function renderSummary(result, now = Date.now()) {
    const verdict = verdictParts(result, 'markdown');
    const blocks = [[`### ${verdict.mark} ${verdict.title}`, '']];
    const line = [
        verdict.counts.length ? `**${verdict.counts.join(', ')}**` : '',
        ...verdict.more.map((text, i) => (i === 0 && !verdict.counts.length ? capitalise(text) : text)),
    ].filter(Boolean);
    if (result.skipped)
        line.push('to install it again anyway, set `skip-if-installed: false`');
    if (line.length)
        blocks.push([`${line.join('; ')}.`, '']);
    if (verdict.plan && result.planHash)
        blocks.push([
            `Plan hash ${code(result.planHash, 1000)}: once it is approved, install with ${code(`expected-plan: ${result.planHash}`, 1000)}.`,
            '',
        ]);
    blocks.push(...errorBlock(result), messages(result));
    const records = result.records ?? [];
    // A skipped run points at the earlier installation; its records are that installation's, not this run's.
    const recordCentric = ['install', 'prepare', 'installation'].includes(result.operation);
    if (!result.skipped && records.length) {
        const rest = `to stay under GitHub's 1 MiB limit${result.translationMapFile ? `; every record is in the translation map file ${code(result.translationMapFile, 1000)}` : ''}`;
        blocks.push(perObjCode(records));
        for (const list of [failedRecords(records, rest), mapChanges(result, rest), dependants(result, rest)])
            if (list)
                blocks.push(list);
        blocks.push(allRecords(records, rest));
    }
    else if (result.dependents?.length || result.overrideChanges?.length) {
        for (const list of [mapChanges(result, ''), dependants(result, '')])
            if (list)
                blocks.push(list);
    }
    blocks.push(...listings(result));
    if (recordCentric) {
        blocks.push([
            '<details><summary>Package, installation and timing</summary>',
            '',
            ...detailsTable(result, now),
            ...timeline(result, now),
            '</details>',
            '',
        ]);
    }
    else {
        blocks.splice(1, 0, detailsTable(result, now));
        blocks.push(timeline(result, now));
    }
    return layout(blocks, BUDGET_BYTES);
}
const capitalise = (text) => text.charAt(0).toUpperCase() + text.slice(1);

;// CONCATENATED MODULE: ./src/report/comment.ts





/** GitHub refuses a comment body over 65,536 characters. */
const COMMENT_LIMIT = 65_536;
/**
 * Counted in UTF-8 bytes, never fewer than characters however GitHub counts them. Every line is counted, cut
 * lines and footer too; 4 KiB are kept spare.
 */
const comment_BUDGET_BYTES = COMMENT_LIMIT - 4_096;
/** Warnings and notes shown; with the error and the deny-actions line they stay far below the budget. */
const MAX_NOTICES = 8;
const RISKY = ['OVERWRITING', 'CREATEWITHALTNAME', 'IGNORE'];
const WHY_RISKY = {
    OVERWRITING: 'replaces the target record',
    CREATEWITHALTNAME: 'a second copy under another name',
    IGNORE: 'left out; what refers to it falls back to defaults',
};
/** The hidden first line that finds the comment again: one per package and target. */
function commentMarker(packageId, host) {
    const safe = (text) => text.replace(/[^A-Za-z0-9._:[\]-]/g, '');
    return `<!-- workfront-promotion-action:${safe(packageId)}:${safe(host.toLowerCase())} -->`;
}
/**
 * Server text for the comment: md() (no markup, link, mention or emoji), and no issue reference either (`#12`
 * links an issue in a comment), broken by a zero-width space so that it reads the same.
 */
function inert(text, max = 300) {
    return md(String(text ?? '').replace(/#/g, '#\u200b'), max);
}
/** An id in a code span when it is plain (escapes would show inside one), inert text otherwise. */
function comment_code(id) {
    const text = String(id ?? '');
    return /^[A-Za-z0-9._-]{1,80}$/.test(text) ? `\`${text}\`` : inert(text, 120);
}
const safeUrl = (url) => (url && /^https?:\/\/[^\s()<>"'`]+$/.test(url) ? url : undefined);
const comment_keyOf = (r) => `${r.objCode}\t${r.sourceId}`;
const label = (r) => `${inert(r.objCode, 40)} ${r.name ? `"${inert(r.name, 120)}"` : comment_code(r.sourceId)}`;
function comment_row(cells) {
    return `| ${cells.map((cell) => (cell === undefined || cell === '' ? ' ' : String(cell))).join(' | ')} |`;
}
/** A list of the comment: a heading and a table; when not one row fits, the heading and the cut line alone. */
function section(heading, header, items, render, more) {
    if (!items.length)
        return [];
    return [
        {
            count: items.length,
            row: (index) => comment_row(render(items[index])),
            head: [heading, '', comment_row(header), comment_row(header.map(() => '---'))],
            bareHead: [heading],
            foot: [''],
            more,
        },
    ];
}
/**
 * The verdict the job summary leads with, made inert for GitHub: its plain-text form, then escaped, so no
 * name in it mentions, references or links anything.
 */
function commentVerdict(result) {
    return inert(verdict(result, 'text'), 2000);
}
function riskyRows(result) {
    const records = result.records ?? [];
    const dependents = result.dependents ?? [];
    const dependentKeys = new Set(dependents.map((d) => comment_keyOf(d.record)));
    const byRoot = new Map();
    for (const d of dependents) {
        const list = byRoot.get(comment_keyOf(d.because));
        if (list)
            list.push(d);
        else
            byRoot.set(comment_keyOf(d.because), [d]);
    }
    const rows = [];
    for (const action of RISKY) {
        for (const record of records) {
            if (record.action !== action || dependentKeys.has(comment_keyOf(record)))
                continue;
            const own = byRoot.get(comment_keyOf(record)) ?? [];
            rows.push({
                record,
                note: `${WHY_RISKY[action]}${own.length ? `; ${own.length} dependants ignored with it` : ''}`,
            });
            for (const d of own)
                rows.push({ record: d.record, note: `dependant of ${label(d.because)}` });
        }
    }
    return rows;
}
function renderComment(result, context) {
    const runUrl = safeUrl(context.runUrl);
    const { targetNames } = result;
    const target = (objCode, id) => {
        if (!id)
            return '';
        const name = targetNames?.[objCode]?.[id];
        return name ? `${comment_code(id)} "${inert(name, 120)}"` : comment_code(id);
    };
    const more = (n) => `… and ${n} more${runUrl ? ` in [the job summary](${runUrl})` : ' in the job summary of this run'}`;
    const records = result.records ?? [];
    const counts = result.counts;
    // Fixed, bounded parts first: they are never cut.
    const head = [commentMarker(context.packageId, result.target.host), `### ${commentVerdict(result)}`, ''];
    if (result.error) {
        head.push(`> **${result.outcome === 'cancelled' ? 'Cancelled' : 'Error'}:** ${inert(result.error, 2000)}`, '');
    }
    const guards = [];
    if (context.denyActions.length) {
        const list = context.denyActions.map((a) => inert(a, 40)).join(', ');
        if (!result.records)
            guards.push(`- **deny-actions** ${list}: not checked, there is no plan`);
        else {
            const denied = deniedRecords(records, context.denyActions);
            guards.push(denied.length
                ? `- ❌ **deny-actions** ${list}: ${denied.length} records of the plan are refused, ${denied
                    .slice(0, 10)
                    .map((r) => `${inert(r.action, 40)} ${label(r)}`)
                    .join(', ')}${denied.length > 10 ? `, ${more(denied.length - 10)}` : ''}`
                : `- ✅ **deny-actions** ${list}: no record of the plan has them`);
        }
    }
    else
        guards.push('- **deny-actions** not set: every action is allowed');
    if (context.expectedPlan && result.planHash) {
        guards.push(context.expectedPlan === result.planHash
            ? '- ✅ **expected-plan** matches: this is the plan that was pinned'
            : `- ❌ **expected-plan** \`${inert(context.expectedPlan, 130)}\` does not match this plan`);
    }
    guards.push('');
    if (result.planHash && result.operation === 'install' && result.changed) {
        guards.push(`**plan-hash** \`${result.planHash}\`: the plan this run installed.`, '');
    }
    else if (result.planHash) {
        guards.push(`**plan-hash** \`${result.planHash}\`. To install exactly this plan and nothing else, add to the install step:`, '', '```yaml', `expected-plan: ${result.planHash}`, '```', '');
    }
    const outcome = [];
    if (result.operation === 'prepare') {
        outcome.push(`Nothing was installed${result.installationId ? ` (pre-run ${comment_code(result.installationId)})` : ''}.`, '');
    }
    else {
        const installation = result.installationId ?? result.installation?.id;
        const status = result.installation?.status;
        // Refused by a guard after the pre-run: the pre-run is all there is, and nothing was installed.
        const prerunOnly = status === 'PREPARING' && !result.changed;
        if (installation)
            outcome.push(`#### Result`, '', prerunOnly
                ? `Nothing was installed (pre-run ${comment_code(installation)}).`
                : `Installation ${comment_code(installation)}${status ? `: **${inert(status, 60)}**` : ''}${result.skipped ? ' (an earlier one: skipped)' : ''}`, '');
    }
    const notices = [
        ...result.warnings.map((w) => `> [!WARNING]\n> ${inert(w, 400)}`),
        ...result.notes.map((n) => `> [!NOTE]\n> ${inert(n, 400)}`),
    ];
    for (const notice of notices.slice(0, MAX_NOTICES))
        outcome.push(notice, '');
    if (notices.length > MAX_NOTICES)
        outcome.push(more(notices.length - MAX_NOTICES), '');
    const footer = [
        '---',
        `<sub>${runUrl ? `[Run](${runUrl}) · ` : ''}every record is in the job summary and the translation map file of the run · updated ${new Date(context.now).toISOString()} by workfront-promotion-action</sub>`,
    ];
    const failed = records.filter((r) => r.installationStatus === 'FAILED');
    const failedSection = section(`#### Failed records (${failed.length})`, ['objCode', 'name', 'source id', 'action', 'reason'], failed, (r) => [
        inert(r.objCode, 40),
        inert(r.name ?? '', 120),
        comment_code(r.sourceId),
        inert(r.action, 40),
        inert(r.reason ?? '', 300),
    ], more);
    const risky = riskyRows(result);
    const riskySection = section(`#### Risky actions (${risky.length})`, ['action', 'objCode', 'name', 'source id', 'target id', 'why'], risky, ({ record: r, note }) => [
        `**${inert(r.action, 40)}**`,
        inert(r.objCode, 40),
        inert(r.name ?? '', 120),
        comment_code(r.sourceId),
        target(r.objCode, r.targetId),
        note,
    ], more);
    const changes = result.overrideChanges ?? [];
    const changesSection = section(`#### What the map file changes (${changes.length})`, ['objCode', 'name', 'source id', 'pre-run', 'map file'], changes, (c) => [
        inert(c.record.objCode, 40),
        inert(c.record.name ?? '', 120),
        comment_code(c.record.sourceId),
        `${inert(c.from, 40)}${c.fromTarget ? ` → ${target(c.record.objCode, c.fromTarget)}` : ''}`,
        `**${inert(c.to, 40)}**${c.toTarget ? ` → ${target(c.record.objCode, c.toTarget)}` : ''}`,
    ], more);
    // The summary's table, so both read alike; the totals row comes last.
    const perCode = objCodeCounts(records);
    const perCodeSection = section(`#### Records per objCode (${counts?.total ?? 0})`, perCode.header, perCode.rows.length ? [...perCode.rows, perCode.total] : [], (cells) => cells, more);
    return layout([head, ...perCodeSection, ...changesSection, ...riskySection, guards, outcome, ...failedSection, footer], comment_BUDGET_BYTES);
}

;// CONCATENATED MODULE: ./src/github.ts
// The pull-request comment on GitHub: which pull request, then one comment per package and target, found by its
// hidden marker and edited in place. Octokit is imported only when a comment is due: it costs start-up time.



/** The events whose runs belong to a pull request. */
const PULL_REQUEST_EVENTS = ['pull_request', 'pull_request_target'];
const COMMENT_OPERATIONS = ['prepare', 'install'];
/** The whole exchange with GitHub; a comment is never worth holding the step longer. */
const COMMENT_TIMEOUT_MS = 20_000;
/** Whether this step keeps a comment: prepare or install, pr-comment auto, on a pull-request event. */
function commentDue(config, env) {
    return (config.prComment === 'auto' &&
        COMMENT_OPERATIONS.includes(config.operation) &&
        PULL_REQUEST_EVENTS.includes(env.GITHUB_EVENT_NAME ?? ''));
}
/** The pull request of the event (GITHUB_EVENT_PATH), or why there is none. */
function pullRequestOf(env) {
    const path = env.GITHUB_EVENT_PATH;
    if (!path)
        return { missing: 'GITHUB_EVENT_PATH is not set' };
    let payload;
    try {
        payload = JSON.parse((0,external_node_fs_.readFileSync)(path, 'utf8'));
    }
    catch (error) {
        return { missing: `the event file could not be read (${plain(error.message, 200)})` };
    }
    const number = payload?.pull_request?.number ?? payload?.number;
    if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 1) {
        return { missing: 'the event holds no pull request number' };
    }
    const fullName = env.GITHUB_REPOSITORY || String(payload.repository?.full_name ?? '');
    const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(fullName);
    if (!match)
        return { missing: 'GITHUB_REPOSITORY is not owner/name' };
    return { owner: match[1], repo: match[2], number };
}
/** The run's page: its job summaries are there. */
function runUrlOf(env) {
    const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: runId } = env;
    if (!server || !repository || !runId || !/^\d+$/.test(runId))
        return undefined;
    const attempt = env.GITHUB_RUN_ATTEMPT && env.GITHUB_RUN_ATTEMPT !== '1' ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : '';
    return `${server.replace(/\/+$/, '')}/${repository}/actions/runs/${runId}${attempt}`;
}
/** Why GitHub did not take the comment, in words that say what to change. */
function explainFailure(error, apiUrl) {
    const failure = (error ?? {});
    const status = failure.status;
    const message = plain(failure.message ?? String(error), 300);
    // Octokit reports a request that got no answer as status 500 without a response.
    if (!failure.response) {
        const names = [failure.name, failure.cause?.name];
        if (names.includes('AbortError') || names.includes('TimeoutError')) {
            return `GitHub's API at ${plain(apiUrl, 200)} did not answer within ${COMMENT_TIMEOUT_MS / 1000} s`;
        }
        return `GitHub's API at ${plain(apiUrl, 200)} could not be reached (${message})`;
    }
    const headers = failure.response.headers ?? {};
    if (status === 429 ||
        (status === 403 && (headers['x-ratelimit-remaining'] === '0' || /rate limit/i.test(message)))) {
        const reset = Number(headers['x-ratelimit-reset']);
        return `GitHub's rate limit is spent (${status})${reset > 0 ? `, it resets at ${new Date(reset * 1000).toISOString()}` : ''}`;
    }
    if (status === 403) {
        return `GitHub refused it (403 ${message}): the token needs "permissions: pull-requests: write" in the workflow; a pull request from a fork gets a read-only GITHUB_TOKEN (use pull_request_target with care, or pr-comment: off)`;
    }
    if (status === 401)
        return `GitHub refused github-token (401 ${message})`;
    if (status === 404)
        return `the pull request or the repository is not visible to this token (404 ${message})`;
    if (status !== undefined && status >= 500) {
        return `GitHub answered ${status} (${message}): an outage on GitHub's side`;
    }
    return `GitHub answered ${status ?? 'without a status'} (${message})`;
}
/** Finds the comment that starts with the marker (every page) and edits it, or creates one. */
async function upsertComment(options) {
    const { getOctokit } = await __webpack_require__.e(/* import() */ 413).then(__webpack_require__.bind(__webpack_require__, 2413));
    const octokit = getOctokit(options.token, { baseUrl: options.apiUrl });
    const { owner, repo, number } = options.pullRequest;
    const request = { signal: options.signal };
    let existing;
    for await (const page of octokit.paginate.iterator(octokit.rest.issues.listComments, {
        owner,
        repo,
        issue_number: number,
        per_page: 100,
        request,
    })) {
        // Only a body that starts with the marker: a reply quoting it starts with "> ".
        existing = page.data.find((comment) => comment.body?.startsWith(options.marker))?.id;
        if (existing !== undefined)
            break;
    }
    if (existing !== undefined) {
        const { data } = await octokit.rest.issues.updateComment({
            owner,
            repo,
            comment_id: existing,
            body: options.body,
            request,
        });
        return { action: 'updated', id: data.id, url: data.html_url };
    }
    const { data } = await octokit.rest.issues.createComment({
        owner,
        repo,
        issue_number: number,
        body: options.body,
        request,
    });
    return { action: 'created', id: data.id, url: data.html_url };
}
/** Keeps the pull request's comment up to date with the result; every failure is a warning, never the step's. */
async function commentOnPullRequest(config, result, options) {
    const { env, log } = options;
    const skip = (why) => log.warning(`The pull-request comment was not written: ${why}`);
    if (options.signal?.aborted) {
        log.info('The step was cancelled: the pull-request comment was not updated');
        return;
    }
    const pullRequest = pullRequestOf(env);
    if ('missing' in pullRequest)
        return skip(`no pull request, ${pullRequest.missing}`);
    if (!config.githubToken)
        return skip('github-token is empty (pass ${{ github.token }}, or set pr-comment: off)');
    const apiUrl = (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '');
    const packageId = config.packageId;
    const marker = commentMarker(packageId, config.api.host);
    let body;
    try {
        body = renderComment(result, {
            packageId,
            runUrl: runUrlOf(env),
            denyActions: config.denyActions,
            expectedPlan: config.expectedPlan,
            now: options.now,
        });
    }
    catch (error) {
        // A result no one foresaw costs the comment, never the step.
        return skip(`it could not be rendered (${plain(error?.message ?? error, 300)})`);
    }
    const timeout = AbortSignal.timeout(COMMENT_TIMEOUT_MS);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    try {
        const done = await upsertComment({
            token: config.githubToken,
            apiUrl,
            pullRequest,
            marker,
            body,
            signal,
        });
        log.info(`Pull request #${pullRequest.number}: comment ${done.id} ${done.action}${done.url ? ` ${plain(done.url, 300)}` : ''}`);
    }
    catch (error) {
        skip(explainFailure(error, apiUrl));
    }
}

;// CONCATENATED MODULE: ./src/environment.ts
// What kind of environment a host is, from Workfront's naming: {domain}.{environment}.workfront.com.
const environment_WORKFRONT_HOST = /^[a-z0-9-]+\.([a-z0-9-]+)\.workfront(?:\.adobe)?\.com$/;
function detectEnvironmentKind(hostname) {
    const match = environment_WORKFRONT_HOST.exec(hostname.toLowerCase().replace(/:\d+$/, ''));
    if (!match)
        return 'unknown';
    const environment = match[1];
    if (environment === 'my')
        return 'production';
    if (environment === 'preview' || /^sb\d{2}$/.test(environment))
        return 'sandbox';
    return 'unknown';
}

;// CONCATENATED MODULE: ./src/object-collections.ts
// The `object-collections` input: the API's array, or the shorthand map `{OBJCODE: [id | {ID, name}]}`.




function entity(raw, where, errors) {
    if (typeof raw === 'string') {
        if (ID_PATTERN.test(raw))
            return { ID: raw };
        if (raw.trim() !== '')
            return { name: raw.trim() };
        errors.push(`${where}: an empty text is neither an ID nor a name`);
        return undefined;
    }
    if (typeof raw === 'number') {
        errors.push(`${where}: ${raw} is a number; quote the ID so it stays exact`);
        return undefined;
    }
    if (!isRecord(raw)) {
        errors.push(`${where}: expected an ID or {ID, name}, found ${describeType(raw)}`);
        return undefined;
    }
    const id = raw.ID ?? raw.id;
    if (id === undefined && typeof raw.name === 'string' && raw.name.trim() !== '') {
        const unknown = Object.keys(raw).filter((key) => key !== 'name');
        if (unknown.length)
            errors.push(`${where}: unknown field ${unknown.join(', ')} (an entity has ID and name)`);
        return { name: raw.name.trim() };
    }
    if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
        errors.push(`${where}: ID must be a Workfront ID string, found ${describeType(id)} (or give only a name, resolved in the source environment)`);
        return undefined;
    }
    if (raw.name !== undefined && typeof raw.name !== 'string') {
        errors.push(`${where}: name must be text, found ${describeType(raw.name)}`);
        return undefined;
    }
    const unknown = Object.keys(raw).filter((key) => !['ID', 'id', 'name'].includes(key));
    if (unknown.length)
        errors.push(`${where}: unknown field ${unknown.join(', ')} (an entity has ID and name)`);
    return raw.name === undefined ? { ID: id } : { ID: id, name: raw.name };
}
function collection(objCode, entities, where, out) {
    if (!OBJCODE_PATTERN.test(objCode)) {
        out.errors.push(`${where}: "${objCode}" is not an objCode (upper-case letters, e.g. TMPL, PTLTAB)`);
        return undefined;
    }
    if (!(objCode in PROMOTABLE_OBJCODES)) {
        out.warnings.push(`${where}: objCode ${objCode} is not in the documented list; the service may refuse it`);
    }
    if (!Array.isArray(entities) || entities.length === 0) {
        out.errors.push(`${where}: ${objCode} needs a non-empty list of entities`);
        return undefined;
    }
    const refs = entities
        .map((raw, index) => entity(raw, `${where} ${objCode}[${index}]`, out.errors))
        .filter((ref) => ref !== undefined);
    return { objCode, entities: refs };
}
/** Validates an already parsed JSON/YAML value; `where` names the input for messages. */
function parseObjectCollections(raw, where) {
    const out = { errors: [], warnings: [] };
    const collections = [];
    if (Array.isArray(raw)) {
        raw.forEach((item, index) => {
            if (!isRecord(item) || typeof item.objCode !== 'string') {
                out.errors.push(`${where}[${index}]: expected {objCode, entities: [{ID, name?} | {name}]}, found ${describeType(item)}`);
                return;
            }
            const unknown = Object.keys(item).filter((key) => key !== 'objCode' && key !== 'entities');
            if (unknown.length) {
                out.errors.push(`${where}[${index}]: unknown field ${unknown.join(', ')} (an item has objCode and entities)`);
            }
            const parsed = collection(item.objCode, item.entities, `${where}[${index}]`, out);
            if (parsed)
                collections.push(parsed);
        });
    }
    else if (isRecord(raw)) {
        for (const [objCode, entities] of Object.entries(raw)) {
            if (objCode === '$schema')
                continue;
            const parsed = collection(objCode, entities, where, out);
            if (parsed)
                collections.push(parsed);
        }
    }
    else {
        out.errors.push(`${where}: expected a list [{objCode, entities}] or a map {OBJCODE: [IDs]}, found ${describeType(raw)}`);
    }
    if (out.errors.length === 0 && collections.length === 0)
        out.errors.push(`${where}: no objects to promote`);
    const seen = new Set();
    for (const { objCode, entities } of collections) {
        for (const { ID } of entities) {
            if (ID === undefined)
                continue;
            const key = `${objCode}/${ID}`;
            if (seen.has(key))
                out.warnings.push(`${where}: ${objCode} ${ID} is listed twice`);
            seen.add(key);
        }
    }
    if (out.errors.length === 0)
        out.value = collections;
    return out;
}

// EXTERNAL MODULE: ./node_modules/@cfworker/json-schema/dist/esm/validator.js + 6 modules
var validator = __webpack_require__(207);
;// CONCATENATED MODULE: ./schemas/map-file.schema.json
const map_file_schema_namespaceObject = /*#__PURE__*/JSON.parse('{"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"https://raw.githubusercontent.com/acme/workfront-promotion-action/v1/schemas/map-file.schema.json","title":"Workfront translation-map overrides (map-file)","description":"The map-file input of workfront-promotion-action: {OBJCODE: {sourceId: {action, targetId?, targetName?, name?} | ACTION}}. Each entry overrides one record of the translation map the pre-run computes; the action checks every objCode and source id against that map before installing anything. The translation map the action writes (translation-map-file) is itself a valid map file.","type":"object","properties":{"$schema":{"type":"string","description":"The URL or path of this schema, for editors; ignored by the action."},"PROJ":{"$ref":"#/$defs/records","description":"Project (PROJ): overrides by source id."},"TMPL":{"$ref":"#/$defs/records","description":"Template (TMPL): overrides by source id."},"UITMPL":{"$ref":"#/$defs/records","description":"Layout template (UITMPL): overrides by source id."},"PTLTAB":{"$ref":"#/$defs/records","description":"Dashboard (PTLTAB): overrides by source id."},"CALEND":{"$ref":"#/$defs/records","description":"Calendar (CALEND): overrides by source id."},"EXTSEC":{"$ref":"#/$defs/records","description":"External page (EXTSEC): overrides by source id."},"PTLSEC":{"$ref":"#/$defs/records","description":"Report (PTLSEC): overrides by source id."},"UIFT":{"$ref":"#/$defs/records","description":"Filter (UIFT): overrides by source id."},"UIGB":{"$ref":"#/$defs/records","description":"Grouping (UIGB): overrides by source id."},"UIVW":{"$ref":"#/$defs/records","description":"View (UIVW): overrides by source id."},"CTGY":{"$ref":"#/$defs/records","description":"Custom form (CTGY): overrides by source id."},"PARAM":{"$ref":"#/$defs/records","description":"Custom field (PARAM): overrides by source id."},"PGRP":{"$ref":"#/$defs/records","description":"Custom field section (PGRP): overrides by source id."},"GROUP":{"$ref":"#/$defs/records","description":"Group (GROUP): overrides by source id."},"ROLE":{"$ref":"#/$defs/records","description":"Job role (ROLE): overrides by source id."},"TEAM":{"$ref":"#/$defs/records","description":"Team (TEAM): overrides by source id."},"CMPY":{"$ref":"#/$defs/records","description":"Company (CMPY): overrides by source id."},"PORT":{"$ref":"#/$defs/records","description":"Portfolio (PORT): overrides by source id."},"PRGM":{"$ref":"#/$defs/records","description":"Program (PRGM): overrides by source id."},"ARVPRC":{"$ref":"#/$defs/records","description":"Approval process (ARVPRC): overrides by source id."},"SCHED":{"$ref":"#/$defs/records","description":"Schedule (SCHED): overrides by source id."},"MPATH":{"$ref":"#/$defs/records","description":"Milestone path (MPATH): overrides by source id."},"TSPRO":{"$ref":"#/$defs/records","description":"Timesheet profile (TSPRO): overrides by source id."},"HOURT":{"$ref":"#/$defs/records","description":"Hour type (HOURT): overrides by source id."},"EXPTYP":{"$ref":"#/$defs/records","description":"Expense type (EXPTYP): overrides by source id."},"RSKTYP":{"$ref":"#/$defs/records","description":"Risk type (RSKTYP): overrides by source id."},"RSPL":{"$ref":"#/$defs/records","description":"Resource pool (RSPL): overrides by source id."},"ACSLVL":{"$ref":"#/$defs/records","description":"Access level (ACSLVL): overrides by source id."},"RTCRD":{"$ref":"#/$defs/records","description":"Rate card (RTCRD): overrides by source id."},"CLSF":{"$ref":"#/$defs/records","description":"Location (CLSF): overrides by source id."},"BSNRUL":{"$ref":"#/$defs/records","description":"Business rule (BSNRUL): overrides by source id."},"TTSK":{"$ref":"#/$defs/records","description":"Template task (TTSK): overrides by source id."},"TPRED":{"$ref":"#/$defs/records","description":"Template task predecessor (TPRED): overrides by source id."},"TASSGN":{"$ref":"#/$defs/records","description":"Template task assignment (TASSGN): overrides by source id."},"QUED":{"$ref":"#/$defs/records","description":"Queue definition (QUED): overrides by source id."},"QUET":{"$ref":"#/$defs/records","description":"Queue topic (QUET): overrides by source id."},"QUTG":{"$ref":"#/$defs/records","description":"Queue topic group (QUTG): overrides by source id."},"RRUL":{"$ref":"#/$defs/records","description":"Routing rule (RRUL): overrides by source id."},"TASK":{"$ref":"#/$defs/records","description":"Task (TASK): overrides by source id."},"PRED":{"$ref":"#/$defs/records","description":"Predecessor (PRED): overrides by source id."},"ASSGN":{"$ref":"#/$defs/records","description":"Assignment (ASSGN): overrides by source id."},"CTGYPA":{"$ref":"#/$defs/records","description":"Form field (CTGYPA): overrides by source id."},"CTGYPG":{"$ref":"#/$defs/records","description":"Form section (CTGYPG): overrides by source id."},"POPT":{"$ref":"#/$defs/records","description":"Field option (POPT): overrides by source id."},"CLSEC":{"$ref":"#/$defs/records","description":"Calendar section (CLSEC): overrides by source id."},"ARVPTH":{"$ref":"#/$defs/records","description":"Approval path (ARVPTH): overrides by source id."},"ARVSTP":{"$ref":"#/$defs/records","description":"Approval step (ARVSTP): overrides by source id."},"SARVPR":{"$ref":"#/$defs/records","description":"Step approver (SARVPR): overrides by source id."}},"patternProperties":{"^[A-Z][A-Z0-9]{1,15}$":{"$ref":"#/$defs/records","description":"An objCode of the translation map (upper-case letters and digits): overrides by source id."}},"additionalProperties":false,"if":{"required":["$schema"]},"then":{"minProperties":2,"description":"At least one objCode besides $schema."},"else":{"minProperties":1,"description":"At least one objCode."},"$defs":{"records":{"type":"object","description":"Source id (the record\'s id in the package, as the translation map shows it) → override.","minProperties":1,"additionalProperties":{"$ref":"#/$defs/override"}},"override":{"description":"An action, or {action, targetId?, targetName?, name?}; the fields a written translation map also carries (isValid, installationStatus, reason…) are accepted and ignored.","anyOf":[{"$ref":"#/$defs/action"},{"type":"object","properties":{"action":{"$ref":"#/$defs/action"},"targetId":{"type":"string","description":"The id of the record in the target environment: needed for USEEXISTING and OVERWRITING (when absent, the pre-run\'s targetId is kept), empty or absent for any other action."},"name":{"description":"The record\'s name, for the reader of the file; the action ignores it."},"targetName":{"type":"string","pattern":"\\\\S","description":"The name of the record in the target environment, for USEEXISTING and OVERWRITING only: looked up there (case-insensitive, exact) when targetId is absent, checked against targetId when both are given."},"isValid":{"type":"boolean","description":"Written by the action in its translation map (translation-map-file); ignored in a map file."},"installationStatus":{"type":"string","description":"Written by the action in its translation map (translation-map-file); ignored in a map file."},"reason":{"description":"Written by the action in its translation map (translation-map-file); ignored in a map file."},"failureReason":{"description":"Written by the action in its translation map (translation-map-file); ignored in a map file."},"message":{"description":"Written by the action in its translation map (translation-map-file); ignored in a map file."},"error":{"description":"Written by the action in its translation map (translation-map-file); ignored in a map file."}},"required":["action"],"additionalProperties":false,"if":{"required":["targetName"]},"then":{"properties":{"action":{"type":"string","pattern":"^\\\\s*(?:[Uu][Ss][Ee][Ee][Xx][Ii][Ss][Tt][Ii][Nn][Gg]|[Oo][Vv][Ee][Rr][Ww][Rr][Ii][Tt][Ii][Nn][Gg])\\\\s*$","description":"targetName goes with USEEXISTING or OVERWRITING only."}}}}]},"action":{"description":"A translation-map action, case-insensitive. There is no UPDATE: use OVERWRITING.","anyOf":[{"enum":["CREATE","USEEXISTING","IGNORE","OVERWRITING","CREATEWITHALTNAME"]},{"type":"string","pattern":"^\\\\s*(?:[Cc][Rr][Ee][Aa][Tt][Ee]|[Uu][Ss][Ee][Ee][Xx][Ii][Ss][Tt][Ii][Nn][Gg]|[Ii][Gg][Nn][Oo][Rr][Ee]|[Oo][Vv][Ee][Rr][Ww][Rr][Ii][Tt][Ii][Nn][Gg]|[Cc][Rr][Ee][Aa][Tt][Ee][Ww][Ii][Tt][Hh][Aa][Ll][Tt][Nn][Aa][Mm][Ee])\\\\s*$"}]}}}');
;// CONCATENATED MODULE: ./schemas/object-collections.schema.json
const object_collections_schema_namespaceObject = /*#__PURE__*/JSON.parse('{"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"https://raw.githubusercontent.com/acme/workfront-promotion-action/v1/schemas/object-collections.schema.json","title":"Workfront object collections (object-collections, object-collections-file)","description":"What a promotion package is built from: the API\'s list [{objCode, entities: [{ID, name?}]}], or the shorthand map {OBJCODE: [ID | {ID, name?}]}. An entry may name its object instead of giving its ID ({name}, or a text that is not an ID): it is looked up by name in the source environment before the package is built. Each record pulls in its sub-objects (a template its tasks, assignments, queue…).","anyOf":[{"$ref":"#/$defs/list"},{"$ref":"#/$defs/shorthand"}],"$defs":{"objCode":{"description":"A top-level objCode: upper-case letters and digits. The documented ones are listed; others are accepted with a warning (the list grows, Preview gets new codes first).","anyOf":[{"enum":["PROJ","TMPL","UITMPL","PTLTAB","CALEND","EXTSEC","PTLSEC","UIFT","UIGB","UIVW","CTGY","PARAM","PGRP","GROUP","ROLE","TEAM","CMPY","PORT","PRGM","ARVPRC","SCHED","MPATH","TSPRO","HOURT","EXPTYP","RSKTYP","RSPL","ACSLVL","RTCRD","CLSF","BSNRUL"]},{"type":"string","pattern":"^[A-Z][A-Z0-9]{1,15}$"}]},"id":{"type":"string","description":"A Workfront ID (quote it in YAML when it is all digits).","pattern":"^[A-Za-z0-9_-]{1,64}$"},"entity":{"anyOf":[{"anyOf":[{"$ref":"#/$defs/id"},{"$ref":"#/$defs/name","not":{"$ref":"#/$defs/id"}}]},{"type":"object","properties":{"ID":{"$ref":"#/$defs/id"},"id":{"$ref":"#/$defs/id","description":"Accepted for ID, as the API\'s answers spell it."},"name":{"type":"string","description":"The record\'s name: for the reader beside an ID (sent to the API as given), or alone to look the record up by name."}},"anyOf":[{"required":["ID"]},{"required":["id"]},{"required":["name"],"properties":{"name":{"$ref":"#/$defs/name"}}}],"additionalProperties":false}]},"entities":{"type":"array","description":"The records to promote: IDs, names, {ID, name?} or {name}.","minItems":1,"items":{"$ref":"#/$defs/entity"}},"list":{"type":"array","description":"The API\'s own shape: [{objCode, entities: [{ID, name?} | {name}]}].","minItems":1,"items":{"type":"object","properties":{"objCode":{"$ref":"#/$defs/objCode"},"entities":{"$ref":"#/$defs/entities"}},"required":["objCode","entities"],"additionalProperties":false}},"shorthand":{"type":"object","description":"The shorthand: {OBJCODE: [ID | name | {ID, name?} | {name}]}.","minProperties":1,"properties":{"$schema":{"type":"string","description":"The URL or path of this schema, for editors; ignored by the action."},"PROJ":{"$ref":"#/$defs/entities","description":"Project (PROJ)"},"TMPL":{"$ref":"#/$defs/entities","description":"Template (TMPL)"},"UITMPL":{"$ref":"#/$defs/entities","description":"Layout template (UITMPL)"},"PTLTAB":{"$ref":"#/$defs/entities","description":"Dashboard (PTLTAB)"},"CALEND":{"$ref":"#/$defs/entities","description":"Calendar (CALEND)"},"EXTSEC":{"$ref":"#/$defs/entities","description":"External page (EXTSEC)"},"PTLSEC":{"$ref":"#/$defs/entities","description":"Report (PTLSEC)"},"UIFT":{"$ref":"#/$defs/entities","description":"Filter (UIFT)"},"UIGB":{"$ref":"#/$defs/entities","description":"Grouping (UIGB)"},"UIVW":{"$ref":"#/$defs/entities","description":"View (UIVW)"},"CTGY":{"$ref":"#/$defs/entities","description":"Custom form (CTGY)"},"PARAM":{"$ref":"#/$defs/entities","description":"Custom field (PARAM)"},"PGRP":{"$ref":"#/$defs/entities","description":"Custom field section (PGRP)"},"GROUP":{"$ref":"#/$defs/entities","description":"Group (GROUP)"},"ROLE":{"$ref":"#/$defs/entities","description":"Job role (ROLE)"},"TEAM":{"$ref":"#/$defs/entities","description":"Team (TEAM)"},"CMPY":{"$ref":"#/$defs/entities","description":"Company (CMPY)"},"PORT":{"$ref":"#/$defs/entities","description":"Portfolio (PORT)"},"PRGM":{"$ref":"#/$defs/entities","description":"Program (PRGM)"},"ARVPRC":{"$ref":"#/$defs/entities","description":"Approval process (ARVPRC)"},"SCHED":{"$ref":"#/$defs/entities","description":"Schedule (SCHED)"},"MPATH":{"$ref":"#/$defs/entities","description":"Milestone path (MPATH)"},"TSPRO":{"$ref":"#/$defs/entities","description":"Timesheet profile (TSPRO)"},"HOURT":{"$ref":"#/$defs/entities","description":"Hour type (HOURT)"},"EXPTYP":{"$ref":"#/$defs/entities","description":"Expense type (EXPTYP)"},"RSKTYP":{"$ref":"#/$defs/entities","description":"Risk type (RSKTYP)"},"RSPL":{"$ref":"#/$defs/entities","description":"Resource pool (RSPL)"},"ACSLVL":{"$ref":"#/$defs/entities","description":"Access level (ACSLVL)"},"RTCRD":{"$ref":"#/$defs/entities","description":"Rate card (RTCRD)"},"CLSF":{"$ref":"#/$defs/entities","description":"Location (CLSF)"},"BSNRUL":{"$ref":"#/$defs/entities","description":"Business rule (BSNRUL)"}},"patternProperties":{"^[A-Z][A-Z0-9]{1,15}$":{"$ref":"#/$defs/entities","description":"An objCode not in the documented list: accepted with a warning."}},"additionalProperties":false},"name":{"type":"string","pattern":"\\\\S","description":"The object\'s name in the source environment, matched exactly and case-insensitively; a text that is not an ID (letters, digits, - and _ only) is a name, so a one-word name goes in {name: …}."}}}');
;// CONCATENATED MODULE: ./src/schemas.ts
// The published JSON schemas (schemas/), checked at run time too: editors and the action judge a file alike.




const validators = {
    'map-file': new validator/* Validator */.D(map_file_schema_namespaceObject, '2020-12', false),
    'object-collections': new validator/* Validator */.D(object_collections_schema_namespaceObject, '2020-12', false),
};
/**
 * What the schema finds wrong with a parsed document, after the parser's own, friendlier checks passed
 * (a test keeps the two in agreement, so this is a second line, not the first).
 */
function schemaErrors(schema, value, where) {
    const result = validators[schema].validate(value);
    if (result.valid)
        return [];
    // One message per place, the most telling one: "A subschema had errors" says nothing a user can act on.
    const generic = /subschema/i;
    const byPlace = new Map();
    for (const { instanceLocation, error } of result.errors) {
        const place = instanceLocation.replace(/^#/, '') || '/';
        if (!byPlace.has(place) || generic.test(byPlace.get(place)))
            byPlace.set(place, error);
    }
    const places = [...byPlace.keys()];
    const inside = (outer, inner) => inner !== outer && inner.startsWith(outer === '/' ? '/' : `${outer}/`);
    const deepest = places.filter((place) => !places.some((other) => inside(place, other)));
    const shown = cutList(deepest.map((place) => `${where}: ${place} ${byPlace.get(place)} (schemas/${schema}.schema.json)`), { max: 10 });
    if (shown.length > 10)
        shown[10] = `${where}: ${shown[10]} places that do not fit the schema`;
    return shown;
}

;// CONCATENATED MODULE: ./src/inputs.ts
// Every input of action.yml read into one typed, validated Config; all errors collected, none thrown. Each
// input (or group of inputs) has its small parser answering its value, errors and warnings; readInputs puts
// them together, with each operation's descriptor (operations/) saying which inputs it needs and reads.













/** GitHub ends a job after 6 h; a wait must end before that to report anything. */
const MAX_TIMEOUT_MS = 6 * 60 * 60 * 1000 - 60_000;
const MIN_POLL_INTERVAL_MS = 1000;
/** Documents up to this size are also checked against their published schema. */
const MAX_SCHEMA_CHECKED_CHARS = 256 * 1024;
const PR_COMMENT_MODES = ['auto', 'off'];
/** Inputs holding secrets: masked before anything is logged. */
const SECRET_INPUTS = [
    'api-key',
    'session-id',
    'bearer-token',
    'client-secret',
    'private-key',
    'github-token',
];
/** Every input an operation may need or use: what the descriptors' `needs` and `uses` are checked against. */
const OPERATION_INPUTS = [
    'package-id',
    'installation-id',
    'status',
    'expected-status',
    'name',
    'description',
    'source',
    'object-collections',
    'object-collections-file',
    'map-file',
    'definition-file',
    'expected-plan',
    'deny-actions',
    'confirm-delete',
    'core-api-version',
];
/** What a required input's error adds after "is required for operation …". */
const REQUIRED_HINT = {
    status: `: one of ${USER_STATUSES.join(', ')}`,
};
/** PUT expects every editable field (seed 000). */
const REPLACE_FIELDS = ['name', 'description', 'source', 'status', 'version', 'packageEntities'];
/** Normalises a private key pasted with literal `\n` (as secrets often are); never echoes it. */
function normalisePrivateKey(raw) {
    const text = raw.trim();
    return text.includes('\n') ? text : text.replace(/\\n/g, '\n');
}
function listOf(raw) {
    return raw
        .split(/[,\n]/)
        .map((item) => item.trim())
        .filter(Boolean);
}
function parseStatus(raw) {
    const upper = raw.trim().toUpperCase();
    return [...USER_STATUSES, ...SYSTEM_STATUSES].find((status) => status === upper);
}
const ok = (value, warnings = []) => ({ value, errors: [], warnings });
const refused = (...errors) => ({ errors, warnings: [] });
/** `true`/`false` (and yes/no, on/off) in any case; empty is `fallback`. The one boolean parser. */
function parseBoolean(raw, fallback) {
    const text = raw.trim();
    if (text === '')
        return fallback;
    if (/^(true|yes|on)$/i.test(text))
        return true;
    if (/^(false|no|off)$/i.test(text))
        return false;
    return undefined;
}
function readBoolean(input, name, fallback) {
    const value = parseBoolean(input(name), fallback);
    return value === undefined
        ? {
            value: fallback,
            errors: [`Input "${name}": "${input(name)}" is not a boolean; use true or false`],
            warnings: [],
        }
        : ok(value);
}
function readDuration(input, name, fallback, min, max) {
    const raw = input(name) || fallback;
    const ms = parseDuration(raw);
    if (ms === null) {
        return {
            value: parseDuration(fallback) ?? 0,
            errors: [`Input "${name}": "${raw}" is not a duration; use e.g. 90s, 15m, 1h30m or bare seconds`],
            warnings: [],
        };
    }
    if (ms < min || ms > max) {
        return {
            value: ms,
            errors: [
                `Input "${name}": ${raw} is out of range; use between ${formatDuration(min)} and ${formatDuration(max)}`,
            ],
            warnings: [],
        };
    }
    return ok(ms);
}
/** Parses a JSON or YAML document, checks it with its parser, then with its published schema. */
function readDocument(name, read, what, parse, schema) {
    try {
        const text = read();
        const raw = parseStructured(text, what);
        const parsed = parse(raw, `Input "${name}"`);
        // The schema is a second line (a test keeps it in agreement with the parsers) and costs seconds on a
        // translation map of 20,000 records: large documents rely on the parser's checks alone.
        const checkSchema = !parsed.errors.length && text.length <= MAX_SCHEMA_CHECKED_CHARS;
        const problems = checkSchema ? schemaErrors(schema, raw, `Input "${name}"`) : parsed.errors;
        return { value: problems.length ? undefined : parsed.value, errors: problems, warnings: parsed.warnings };
    }
    catch (error) {
        return refused(`Input "${name}": ${error.message}`);
    }
}
function readOperation(input) {
    const raw = input('operation').toLowerCase();
    const operation = OPERATION_NAMES.find((op) => op === raw);
    if (!raw)
        return refused(`Input "operation" is required: one of ${OPERATION_NAMES.join(', ')}`);
    if (!operation) {
        return refused(`Input "operation": "${input('operation')}" is unknown; use one of ${OPERATION_NAMES.join(', ')}`);
    }
    return ok(operation);
}
function readUrl(input, name) {
    if (!input.given(name))
        return refused('Input "url" is required: https://{domain}.{environment}.workfront.com');
    try {
        const api = resolveApiBase(input(name));
        return ok(api, api.adjusted ? [adjustedUrl(name, api.adjusted)] : []);
    }
    catch (error) {
        return refused(`Input "${name}": ${error.message}`);
    }
}
/** The operation's required inputs, from its descriptor, and its own rules across inputs. */
function readNeeds(input, operation) {
    const { needs, check } = OPERATIONS[operation];
    const errors = [];
    for (const need of needs) {
        const oneOf = typeof need === 'string' ? [need] : need;
        if (oneOf.some(input.given))
            continue;
        const alternatives = oneOf.length > 1
            ? ` (or ${oneOf
                .slice(1)
                .map((n) => `"${n}"`)
                .join(', ')})`
            : '';
        errors.push(`Input "${oneOf[0]}"${alternatives} is required for operation ${operation}${REQUIRED_HINT[oneOf[0]] ?? ''}`);
    }
    errors.push(...(check?.(input) ?? []));
    return errors.length ? { errors, warnings: [] } : ok(true);
}
/** Whether an operation needs or uses an input. */
function reads(operation, name) {
    const { needs, uses } = OPERATIONS[operation];
    return uses.includes(name) || needs.some((need) => need === name || need.includes(name));
}
/** An input this operation does not read is warned about, unless it was refused (reported once, as the error). */
function unusedInputs(input, operation, errors) {
    return OPERATION_INPUTS.filter((name) => input.given(name) &&
        !reads(operation, name) &&
        !errors.some((error) => error.startsWith(`Input "${name}"`))).map((name) => `Input "${name}" is not used by operation ${operation}; it is not read`);
}
function readIds(input) {
    const errors = ['package-id', 'installation-id', 'confirm-delete']
        .filter((name) => input.given(name) && !ID_PATTERN.test(input(name)))
        // Redacted before the cut: a secret pasted here by mistake leaves no fragment.
        .map((name) => `Input "${name}": "${redact(input(name)).slice(0, 80)}" is not an id (letters, digits, - and _)`);
    return errors.length ? { errors, warnings: [] } : ok(true);
}
/** `status`: a status a person may set; for list, any status (the filter). */
function readStatus(input, anyStatus) {
    if (!input.given('status'))
        return ok(undefined);
    const parsed = parseStatus(input('status'));
    if (!parsed) {
        return refused(`Input "status": "${input('status')}" is unknown; use one of ${USER_STATUSES.join(', ')}`);
    }
    if (!anyStatus && !isUserStatus(parsed)) {
        return refused(`Input "status": ${parsed} is set by the system only; use one of ${USER_STATUSES.join(', ')}`);
    }
    return ok(parsed);
}
const isUserStatus = (status) => USER_STATUSES.includes(status ?? '');
function readExpectedStatus(input) {
    if (!input.given('expected-status'))
        return ok(undefined);
    const statuses = [];
    const errors = [];
    for (const item of listOf(input('expected-status'))) {
        const parsed = parseStatus(item);
        if (parsed)
            statuses.push(parsed);
        else {
            errors.push(`Input "expected-status": "${item}" is not a status; use ${[...USER_STATUSES, ...SYSTEM_STATUSES].join(', ')}`);
        }
    }
    return { value: statuses, errors, warnings: [] };
}
function readName(input) {
    const name = input.given('name') ? input('name') : undefined;
    if (name && name.length > 255)
        return refused(`Input "name": ${name.length} characters, at most 255 are allowed`);
    return ok(name);
}
/** `source`, or the environment of `url`. */
function readSource(input, api) {
    if (!input.given('source'))
        return ok(api ? environmentUrl(api) : '');
    const parsed = readUrl(input, 'source');
    return { ...parsed, value: parsed.value && environmentUrl(parsed.value) };
}
function readCollections(input, used) {
    if (used('object-collections') && used('object-collections-file')) {
        return refused('Inputs "object-collections" and "object-collections-file" are both set; give one of them');
    }
    if (used('object-collections')) {
        return readDocument('object-collections', () => input('object-collections'), 'the value', parseObjectCollections, 'object-collections');
    }
    if (used('object-collections-file')) {
        const path = input('object-collections-file');
        return readDocument('object-collections-file', () => readTextFile(path, MAX_DOCUMENT_BYTES), `file ${path}`, parseObjectCollections, 'object-collections');
    }
    return ok(undefined);
}
function readOverrides(mapFile) {
    if (!mapFile)
        return ok(undefined);
    return readDocument('map-file', () => readTextFile(mapFile, MAX_DOCUMENT_BYTES), `file ${mapFile}`, parseOverrides, 'map-file');
}
/** `replace`: the whole package from `definition-file`. */
function readReplaceBody(definitionFile) {
    if (!definitionFile)
        return ok(undefined);
    try {
        const body = parseStructured(readTextFile(definitionFile), `file ${definitionFile}`);
        if (!isRecord(body))
            return refused(`Input "definition-file": file ${definitionFile} must hold a package object`);
        const missing = REPLACE_FIELDS.filter((field) => body[field] === undefined);
        if (missing.length) {
            return refused(`Input "definition-file": PUT replaces the whole package, and file ${definitionFile} lacks ${missing.join(', ')} (operation definition writes a file that has them all)`);
        }
        return ok(body);
    }
    catch (error) {
        return refused(`Input "definition-file": ${error.message}`);
    }
}
function readEnvironmentKind(input, api) {
    const raw = (input('environment-kind') || 'auto').toLowerCase();
    if (raw === 'production' || raw === 'sandbox')
        return ok({ kind: raw, source: 'input' });
    if (raw === 'auto') {
        return ok({
            kind: api ? detectEnvironmentKind(new URL(api.origin).hostname) : 'unknown',
            source: 'host',
        });
    }
    return {
        value: { kind: 'unknown', source: 'host' },
        errors: [
            `Input "environment-kind": "${input('environment-kind')}" is unknown; use production, sandbox or auto`,
        ],
        warnings: [],
    };
}
function readDenyActions(input) {
    const actions = [];
    const errors = [];
    for (const item of listOf(input('deny-actions'))) {
        const action = parseAction(item);
        if (action)
            actions.push(action);
        else
            errors.push(`Input "deny-actions": "${item}" is not a translation-map action`);
    }
    return { value: actions, errors, warnings: [] };
}
function readExpectedPlan(input) {
    const plan = input.given('expected-plan') ? input('expected-plan').toLowerCase() : undefined;
    if (plan && !/^[0-9a-f]{16,128}$/.test(plan)) {
        return refused('Input "expected-plan": not a plan-hash; use the plan-hash output of an earlier prepare');
    }
    return ok(plan);
}
function readCoreApiVersion(input) {
    const version = normaliseCoreApiVersion(input('core-api-version') || DEFAULT_CORE_API_VERSION);
    if (version)
        return ok(version);
    return refused(`Input "core-api-version": "${input('core-api-version').slice(0, 40)}" is not a version of Workfront's core API; use e.g. ${DEFAULT_CORE_API_VERSION}`);
}
function readInputs(getInput) {
    const errors = [];
    const warnings = [];
    /** Keeps a parser's errors and warnings, answers its value. */
    const take = (read) => {
        // Loops, not spreads: a hostile document can hold a million problems.
        for (const error of read.errors)
            errors.push(error);
        for (const warning of read.warnings)
            warnings.push(warning);
        return read.value;
    };
    const input = Object.assign((name) => getInput(name).trim(), {
        given: (name) => getInput(name).trim() !== '',
        raw: (name) => getInput(name),
    });
    const operation = take(readOperation(input));
    /** Given, and read by this operation: an input it does not read is warned about, never read (files included). */
    const used = (name) => input.given(name) && operation !== undefined && reads(operation, name);
    const api = take(readUrl(input, 'url'));
    const credential = take(credentialOf(input, api));
    take(readIds(input));
    if (operation)
        take(readNeeds(input, operation));
    const status = take(readStatus(input, operation === 'list'));
    const expectedStatus = take(readExpectedStatus(input));
    const name = take(readName(input));
    const description = input.given('description') ? input.raw('description') : undefined;
    const source = take(readSource(input, api)) ?? '';
    const objectCollections = take(readCollections(input, used));
    const mapFile = used('map-file') ? input('map-file') : undefined;
    const overrides = take(readOverrides(mapFile));
    const definitionFile = input.given('definition-file') ? input('definition-file') : undefined;
    const replaceBody = take(readReplaceBody(operation === 'replace' ? definitionFile : undefined));
    const wait = take(readBoolean(input, 'wait', true)) ?? true;
    const timeoutMs = take(readDuration(input, 'timeout', '30m', 1000, MAX_TIMEOUT_MS)) ?? 0;
    const pollIntervalMs = take(readDuration(input, 'poll-interval', '10s', MIN_POLL_INTERVAL_MS, MAX_TIMEOUT_MS)) ?? 0;
    const environment = take(readEnvironmentKind(input, api));
    const denyActions = take(readDenyActions(input)) ?? [];
    const expectedPlan = take(readExpectedPlan(input));
    const failOnRecordFailure = take(readBoolean(input, 'fail-on-record-failure', true)) ?? true;
    const skipIfInstalled = take(readBoolean(input, 'skip-if-installed', true)) ?? true;
    const ignoreDependents = take(readBoolean(input, 'ignore-dependents', true)) ?? true;
    const summary = take(readBoolean(input, 'summary', true)) ?? true;
    const coreApiVersion = take(readCoreApiVersion(input));
    const { prComment, githubToken } = take(readPrComment(input)) ?? { prComment: 'off' };
    if (operation)
        warnings.push(...unusedInputs(input, operation, errors));
    if (errors.length > 0 || !operation || !api || !credential || !coreApiVersion || !environment) {
        return { errors, warnings };
    }
    const base = {
        url: api.adjusted?.use ?? input('url'),
        api,
        credential,
        wait,
        timeoutMs,
        pollIntervalMs,
        environmentKind: environment.kind,
        environmentKindSource: environment.source,
        summary,
        coreApiVersion,
        prComment,
        githubToken,
    };
    const values = {
        packageId: input('package-id'),
        installationId: input.given('installation-id') ? input('installation-id') : undefined,
        status,
        expectedStatus,
        name,
        description,
        source,
        objectCollections,
        mapFile,
        overrides,
        definitionFile,
        replaceBody,
        expectedPlan,
        denyActions,
        failOnRecordFailure,
        skipIfInstalled,
        ignoreDependents,
    };
    return { errors, warnings, config: configFor(operation, base, values) };
}
/** The Config of `operation`: the inputs it reads, typed as it needs them. */
function configFor(operation, base, values) {
    const { packageId, installationId, status, expectedStatus, name, description, source } = values;
    const { objectCollections, mapFile, overrides, definitionFile, replaceBody, expectedPlan } = values;
    const { denyActions, failOnRecordFailure, skipIfInstalled, ignoreDependents } = values;
    /** A value the operation's `needs` made sure of: checked again, so a descriptor that forgets one fails loudly. */
    const needed = (value, what) => {
        if (value === undefined || value === '')
            throw new Error(`operation ${operation}: ${what} was not checked`);
        return value;
    };
    const userStatus = isUserStatus(status) ? status : undefined;
    const plan = (op) => ({
        ...base,
        operation: op,
        packageId,
        expectedStatus,
        installationId,
        mapFile,
        overrides,
        expectedPlan,
        denyActions,
        failOnRecordFailure,
        skipIfInstalled,
        ignoreDependents,
    });
    const configs = {
        create: () => ({
            ...base,
            operation: 'create',
            name: needed(name, 'name'),
            description,
            source,
            objectCollections: needed(objectCollections, 'object-collections'),
            status: userStatus,
        }),
        update: () => ({
            ...base,
            operation: 'update',
            packageId,
            expectedStatus,
            name,
            description,
            source,
            objectCollections,
        }),
        transition: () => ({
            ...base,
            operation: 'transition',
            packageId,
            expectedStatus,
            status: needed(userStatus, 'status'),
        }),
        prepare: () => plan('prepare'),
        install: () => plan('install'),
        get: () => ({ ...base, operation: 'get', packageId }),
        installations: () => ({ ...base, operation: 'installations', packageId }),
        definition: () => ({ ...base, operation: 'definition', packageId, definitionFile }),
        list: () => ({ ...base, operation: 'list', name, status }),
        installation: () => ({
            ...base,
            operation: 'installation',
            installationId: needed(installationId, 'installation-id'),
            failOnRecordFailure,
        }),
        replace: () => ({
            ...base,
            operation: 'replace',
            packageId,
            expectedStatus,
            definitionFile: needed(definitionFile, 'definition-file'),
            replaceBody: needed(replaceBody, 'definition-file'),
        }),
        delete: () => ({ ...base, operation: 'delete', packageId, expectedStatus, confirmDelete: packageId }),
    };
    return configs[operation]();
}
function credentialOf(input, api) {
    const errors = [];
    const value = readCredential(input, input.given, api, errors);
    return { value, errors, warnings: [] };
}
/** The pull-request comment: its mode, and the token (never echoed; an empty one is warned about when a comment is due). */
function readPrComment(input) {
    const raw = (input('pr-comment') || 'auto').toLowerCase();
    const prComment = PR_COMMENT_MODES.find((mode) => mode === raw);
    // Outside a runner (local-action, a .env file) the default stays the unexpanded expression: no token.
    const token = input('github-token').replace(/^\$\{\{.*\}\}$/, '');
    const value = { prComment: prComment ?? 'off', githubToken: token || undefined };
    if (prComment)
        return ok(value);
    return {
        value,
        errors: [`Input "pr-comment": "${input('pr-comment').slice(0, 40)}" is unknown; use auto or off`],
        warnings: [],
    };
}
function adjustedUrl(name, adjusted) {
    return `Input "${name}": ${adjusted.given} is ${adjusted.reason}; the action uses ${adjusted.use}: set ${name} to that`;
}
/** The environment's own URL: the API base without its API path. */
function environmentUrl(api) {
    return api.base.replace(/(?:\/environment-promotion)?(?:\/api)?\/v1$/, '');
}
function readCredential(input, given, api, errors) {
    const plain = ['api-key', 'session-id', 'bearer-token'].filter(given);
    const oauthInputs = [
        'client-id',
        'client-secret',
        'private-key',
        'scopes',
        'customer-id',
        'user-id',
        'token-url',
    ];
    const oauthGiven = oauthInputs.filter(given);
    const forms = [...plain, ...(oauthGiven.length ? ['client-id/client-secret'] : [])];
    const before = errors.length;
    if (forms.length === 0) {
        errors.push('A credential is required: one of "api-key", "session-id", "bearer-token", or "client-id" with "client-secret"');
        return undefined;
    }
    if (forms.length > 1) {
        errors.push(`Give exactly one credential form; found ${forms.map((f) => `"${f}"`).join(' and ')}`);
    }
    if (plain.length && !oauthGiven.length && forms.length === 1) {
        const value = plain[0] === 'bearer-token' ? input(plain[0]).replace(/^Bearer\s+/i, '') : input(plain[0]);
        if (/\s/.test(value))
            errors.push(`Input "${plain[0]}" contains whitespace; copy the credential exactly`);
        if (errors.length > before)
            return undefined;
        if (plain[0] === 'api-key')
            return { kind: 'api-key', apiKey: value };
        if (plain[0] === 'session-id')
            return { kind: 'session-id', sessionId: value };
        return { kind: 'bearer-token', token: value };
    }
    if (!oauthGiven.length)
        return undefined;
    const hasClient = given('client-id') && given('client-secret');
    if (given('client-id') !== given('client-secret')) {
        errors.push(given('client-id')
            ? 'Input "client-secret" is required with "client-id"'
            : 'Input "client-id" is required with "client-secret"');
    }
    if (!given('client-id') && !given('client-secret')) {
        const stray = oauthGiven.map((n) => `"${n}"`).join(', ');
        errors.push(`Inputs ${stray} need an OAuth2 client: set "client-id" and "client-secret"`);
    }
    const jwt = given('private-key');
    if (jwt && given('scopes')) {
        errors.push('Inputs "private-key" and "scopes" select two flows; use private-key (Workfront JWT) or scopes (Adobe IMS)');
    }
    let privateKey = '';
    if (jwt) {
        privateKey = normalisePrivateKey(input('private-key'));
        const problem = checkPrivateKey(privateKey);
        if (problem)
            errors.push(`Input "private-key": ${problem}`);
        if (!given('customer-id'))
            errors.push('Input "customer-id" is required for the Workfront JWT flow (the JWT\'s iss)');
        if (!given('user-id'))
            errors.push('Input "user-id" is required for the Workfront JWT flow (the JWT\'s sub)');
    }
    else {
        for (const name of ['customer-id', 'user-id']) {
            if (given(name))
                errors.push(`Input "${name}" is used only by the Workfront JWT flow, which needs "private-key"`);
        }
        if (hasClient && !given('scopes')) {
            errors.push('Input "scopes" is required for Adobe IMS server-to-server (or set "private-key" for Workfront\'s JWT flow)');
        }
    }
    let tokenUrl = jwt ? (api ? `${api.origin}${JWT_EXCHANGE_PATH}` : '') : DEFAULT_IMS_TOKEN_URL;
    if (given('token-url')) {
        tokenUrl = input('token-url');
        try {
            const parsed = new URL(tokenUrl);
            if (parsed.username || parsed.password) {
                errors.push('Input "token-url": a user name or password in the URL is refused (it would show in logs); the OAuth2 client goes in "client-id" and "client-secret"');
            }
            else if (parsed.protocol !== 'https:' &&
                !(parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname))) {
                errors.push(`Input "token-url": ${parsed.protocol}// is refused for ${parsed.hostname}; use https://`);
            }
        }
        catch {
            errors.push('Input "token-url" is not a URL; give the token endpoint, e.g. https://ims-na1.adobelogin.com/ims/token/v3');
        }
    }
    if (errors.length > before)
        return undefined;
    const clientId = input('client-id');
    const clientSecret = input('client-secret');
    if (jwt) {
        return {
            kind: 'workfront-jwt',
            clientId,
            clientSecret,
            privateKey,
            customerId: input('customer-id'),
            userId: input('user-id'),
            tokenUrl,
        };
    }
    return { kind: 'adobe-ims', clientId, clientSecret, scopes: listOf(input('scopes')), tokenUrl };
}

;// CONCATENATED MODULE: ./src/report/outputs.ts

function count(result, ...actions) {
    if (!result.counts)
        return '';
    return String(actions.reduce((sum, action) => sum + (result.counts?.byAction[action] ?? 0), 0));
}
/**
 * The most characters `result` holds. GitHub allows 1 MB of outputs per job, counted as UTF-16 (two bytes a
 * character): `result` keeps to a quarter of that, so it can be passed on as a job output beside others.
 */
const RESULT_LIMIT_CHARS = 256 * 1024;
/** The most characters of any other output: a name or status from a server can be of any length. */
const OUTPUT_LIMIT_CHARS = 2_000;
/**
 * `result`, its lists (`packages`, `installations`) cut from the end until it fits, with how many were left
 * out (`packagesOmitted`, `installationsOmitted`); ids and totals come first and are never cut. Counts per
 * objCode (as many as a server sends objCodes) go when nothing else is left to cut (`byObjCodeOmitted`).
 */
function resultJson(json, lists) {
    const text = listsCut(json, lists);
    const counts = json.counts;
    if (text.length <= RESULT_LIMIT_CHARS || !counts)
        return text;
    const byObjCodeOmitted = Object.keys(counts.byObjCode).length;
    return listsCut({ ...json, counts: { ...counts, byObjCode: {} }, byObjCodeOmitted }, lists);
}
function listsCut(json, lists) {
    const withLists = (kept) => {
        const out = { ...json };
        for (const [name, list] of Object.entries(lists)) {
            out[name] = list.slice(0, kept);
            if (list.length > kept)
                out[`${name}Omitted`] = list.length - kept;
        }
        return JSON.stringify(out);
    };
    const longest = Math.max(0, ...Object.values(lists).map((l) => l.length));
    const whole = withLists(longest);
    if (whole.length <= RESULT_LIMIT_CHARS)
        return whole;
    // The most items of each list that fit: found by halving, each try one JSON.stringify.
    let low = 0;
    let high = longest;
    while (low < high) {
        const mid = Math.ceil((low + high) / 2);
        if (withLists(mid).length <= RESULT_LIMIT_CHARS)
            low = mid;
        else
            high = mid - 1;
    }
    return withLists(low);
}
function outputsOf(result) {
    const pkg = result.package;
    const installation = result.installation;
    const outputs = {
        outcome: result.outcome,
        'package-id': pkg?.id ?? '',
        'package-name': pkg?.name ?? '',
        'package-status': pkg?.status ?? '',
        'previous-status': result.previousStatus ?? '',
        changed: String(result.changed),
        'package-version': pkg?.version === undefined ? '' : String(pkg.version),
        'published-at': pkg?.publishedAt ?? '',
        'installation-id': result.installationId ?? installation?.id ?? '',
        'installation-status': installation?.status ?? '',
        'created-count': count(result, 'CREATE', 'CREATEWITHALTNAME'),
        'registered-count': count(result, 'USEEXISTING'),
        'overwritten-count': count(result, 'OVERWRITING'),
        'ignored-count': count(result, 'IGNORE'),
        'failed-count': result.counts ? String(result.counts.byStatus.FAILED ?? 0) : '',
        skipped: String(result.skipped ?? false),
        'plan-hash': result.planHash ?? '',
        'translation-map-file': result.translationMapFile ?? '',
        'definition-file': result.definitionFile ?? '',
    };
    for (const name of Object.keys(outputs))
        outputs[name] = cut(outputs[name], OUTPUT_LIMIT_CHARS);
    const json = { ...outputs, operation: result.operation };
    // The error holds cut lists (input errors, refused records) of a few thousand characters.
    if (result.error)
        json.error = result.error.slice(0, 4 * OUTPUT_LIMIT_CHARS);
    if (result.counts)
        json.counts = result.counts;
    const lists = {};
    if (result.packages)
        lists.packages = result.packages.map(({ id, name, status, createdAt }) => ({
            id,
            name,
            status,
            createdAt,
        }));
    if (result.installations) {
        lists.installations = result.installations.map(({ id, status, environment, registeredAt, environmentPromotionPackageVersion }) => ({
            id,
            status,
            environment,
            registeredAt,
            version: environmentPromotionPackageVersion,
        }));
    }
    return { ...outputs, result: resultJson(json, lists) };
}

;// CONCATENATED MODULE: ./src/version.ts
/** The action's version, sent in the User-Agent; a test keeps it equal to package.json's. */
const ACTION_VERSION = '1.0.0';

// EXTERNAL MODULE: ./src/heap.ts
var heap = __webpack_require__(2753);
;// CONCATENATED MODULE: ./src/main.ts
// Orchestration: inputs → operation → outputs and summary. The only place that sets outputs or fails the step.













const masked = new Set();
/** Masks a secret in each of its forms (line by line too: the runner matches masks per log line). */
function maskSecret(value) {
    registerSecret(value);
    // A secret shorter than a form (an api-key of 3 characters) is still masked whole.
    for (const form of new Set([value.trim(), ...secretForms(value)])) {
        if (!form || masked.has(form))
            continue;
        masked.add(form);
        core/* setSecret */.Pq(form);
    }
}
/** Long enough for a debug line with a 2,000-character body excerpt and its request line. */
const LOG_LINE_CHARS = 8000;
/** Every log line passes here: whatever server text a caller left in it, it forms no workflow command. */
const line = (message) => plain(message, LOG_LINE_CHARS);
const logger = {
    info: (message) => core/* info */.pq(line(message)),
    warning: (message) => core/* warning */.$e(line(message)),
    debug: (message) => core/* debug */.Yz(line(message)),
    error: (message, title) => core/* error */.z3(plainLines(message, LOG_LINE_CHARS), title ? { title: plain(title, 200) } : undefined),
    group: (name, fn) => core/* group */.Os(line(name), fn),
};
/** Loaded only when a package needs it: Octokit and its HTTP stack cost start-up time every other step. */
async function provenance() {
    const { context } = await __webpack_require__.e(/* import() */ 413).then(__webpack_require__.bind(__webpack_require__, 2413));
    const repository = process.env.GITHUB_REPOSITORY;
    return {
        repository,
        sha: context.sha,
        ref: context.ref,
        workflow: context.workflow,
        runUrl: repository && context.runId
            ? `${context.serverUrl}/${repository}/actions/runs/${context.runId}`
            : undefined,
    };
}
/**
 * Outputs on one line each. While the step runs (`provisional`), `outcome` says failed: a process that dies
 * before its report then exits non-zero with outputs that agree.
 */
function setOutputs(result, provisional = false) {
    const outputs = outputsOf(provisional ? { ...result, outcome: 'failed' } : result);
    // Without GITHUB_OUTPUT (an old runner), core prints `::set-output` on the log: a log line then.
    const value = process.env.GITHUB_OUTPUT ? outputValue : (text) => plain(text, Infinity);
    for (const [name, text] of Object.entries(outputs))
        core/* setOutput */.uH(name, value(text));
}
async function writeSummary(text) {
    if (!process.env.GITHUB_STEP_SUMMARY)
        return;
    try {
        await core/* summary */.z.addRaw(text, true).write();
    }
    catch (error) {
        core/* warning */.$e(`The job summary could not be written: ${plain(error.message)}`);
    }
}
/** Before (or without) a Config: an unreadable `summary` is taken as its default, true. */
const summaryWanted = () => parseBoolean(core/* getInput */.V4('summary'), true) !== false;
async function failInputs(errors) {
    core/* setOutput */.uH('outcome', 'failed');
    const count = plural(errors.length, 'input error');
    // A map file with thousands of bad entries must not make a failure message or a summary GitHub drops.
    const shown = cutList(errors, { max: 100, chars: 20_000 });
    const message = `${count}, nothing was sent to Workfront:\n${shown.map((e) => `- ${plainLines(e, 2000)}`).join('\n')}`;
    if (summaryWanted()) {
        await writeSummary(`### ❌ ${count}, nothing was sent to Workfront\n\n${shown.map((e) => `- ${md(e, 1000)}`).join('\n')}\n`);
    }
    core/* setFailed */.C1(message);
}
/**
 * The step's guard: whatever throws (a bug, or an answer no check foresaw), the step ends failed with its
 * outputs and a summary, and `outcome` agrees with the exit code.
 */
async function run(options = {}) {
    try {
        await runStep(options);
    }
    catch (error) {
        await reportCrash(error);
    }
}
/** Reports an error that escaped every other handler; never throws, whichever of its own steps fails. */
async function reportCrash(error) {
    const message = `The action stopped on an unexpected error: ${plain(error instanceof Error ? error.message : String(error), 1000)}. Whether anything changed in Workfront is in the log above`;
    const attempt = (step) => {
        try {
            step();
        }
        catch {
            // The report goes on with what can still be written.
        }
    };
    attempt(() => core/* debug */.Yz(plain(error?.stack ?? '', LOG_LINE_CHARS)));
    attempt(() => core/* setOutput */.uH('outcome', 'failed'));
    if (summaryWanted())
        await writeSummary(`### ❌ Unexpected error\n\n${md(message, 1200)}\n`);
    attempt(() => core/* setFailed */.C1(message));
    process.exitCode = 1;
}
async function runStep(options) {
    const clock = options.clock ?? systemClock;
    core/* debug */.Yz((0,heap/* youngGenerationNote */.Fs)());
    for (const name of SECRET_INPUTS) {
        const value = core/* getInput */.V4(name);
        maskSecret(value);
        if (name === 'private-key')
            maskSecret(normalisePrivateKey(value));
    }
    const { config, errors, warnings } = readInputs((name) => core/* getInput */.V4(name));
    for (const warning of warnings)
        core/* warning */.$e(plain(warning, 2000));
    if (!config)
        return failInputs(errors);
    const result = await execute(config, {
        clock,
        log: logger,
        version: ACTION_VERSION,
        signal: options.signal,
        tempDir: process.env.RUNNER_TEMP || (0,external_node_os_.tmpdir)(),
        provenance,
        publish: (sofar) => setOutputs(sofar, true),
        onSecret: maskSecret,
    });
    // Rendered before any output is set: a summary that cannot be rendered changes nothing else.
    const summary = config.summary ? summaryOf(result, clock.now()) : undefined;
    setOutputs(result);
    for (const warning of result.warnings)
        core/* warning */.$e(plain(warning, 2000));
    for (const note of result.notes)
        core/* notice */.lm(plain(note, 2000));
    if (summary !== undefined)
        await writeSummary(summary);
    if (commentDue(config, process.env)) {
        await commentOnPullRequest(config, result, {
            env: process.env,
            now: clock.now(),
            log: logger,
            signal: options.signal,
        });
    }
    if (result.outcome !== 'succeeded' && result.outcome !== 'skipped') {
        core/* setFailed */.C1(plainLines(result.error ?? `The step ended ${result.outcome}`));
    }
}
/** The summary, or, should rendering fail, its verdict and the error in a few lines. */
function summaryOf(result, now) {
    try {
        return renderSummary(result, now);
    }
    catch (error) {
        const why = plain(error instanceof Error ? error.message : String(error), 300);
        core/* warning */.$e(`The job summary could not be rendered in full (${why}); it shows the outcome only`);
        const lines = [`### Workfront ${result.operation}: ${result.outcome}`, ''];
        if (result.package?.id)
            lines.push(`Package ${md(result.package.id, 64)}`, '');
        if (result.error)
            lines.push(`> ${md(result.error, 2000)}`, '');
        return lines.join('\n');
    }
}


/***/ })

};

//# sourceMappingURL=683.index.js.map