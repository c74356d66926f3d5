// Every input of action.yml read into one typed, validated Config; all errors collected, none thrown.
import { SYSTEM_STATUSES, USER_STATUSES, type PackageStatus, type UserStatus } from './api/types.js';
import { checkPrivateKey, DEFAULT_IMS_TOKEN_URL, JWT_EXCHANGE_PATH, type Credential } from './api/auth.js';
import { isLoopbackHost, resolveApiBase, type ApiBase } from './api/url.js';
import { formatDuration, parseDuration } from './duration.js';
import { detectEnvironmentKind, type EnvironmentKind } from './environment.js';
import { isRecord, MAX_DOCUMENT_BYTES, parseStructured, readTextFile } from './files.js';
import { parseObjectCollections, type CollectionInput, type Parsed } from './object-collections.js';
import { DEFAULT_CORE_API_VERSION, normaliseCoreApiVersion } from './api/core.js';
import { schemaErrors, type SchemaName } from './schemas.js';
import { parseAction, parseOverrides, type MapOverrides } from './translation-map.js';
import type { TranslationAction } from './api/types.js';
import { redact } from './text.js';

export const OPERATIONS = [
  'create',
  'update',
  'transition',
  'prepare',
  'install',
  'get',
  'definition',
  'list',
  'installations',
  'installation',
  'replace',
  'delete',
] as const;
export type Operation = (typeof OPERATIONS)[number];

/** GitHub ends a job after 6 h; a wait must end before that to report anything. */
export const MAX_TIMEOUT_MS = 6 * 60 * 60 * 1000 - 60_000;
export const MIN_POLL_INTERVAL_MS = 1000;
/** Documents up to this size are also checked against their published schema. */
const MAX_SCHEMA_CHECKED_CHARS = 256 * 1024;

export interface Config {
  operation: Operation;
  url: string;
  api: ApiBase;
  credential: Credential;
  packageId?: string;
  installationId?: string;
  status?: UserStatus;
  /** `list`: the status filter, any status. */
  listStatus?: PackageStatus;
  expectedStatus?: PackageStatus[];
  name?: string;
  description?: string;
  /** Explicit `source`, or `url` without the API path. */
  source: string;
  /** Entries may name their object instead of giving its id: resolved before create/update (names.ts). */
  objectCollections?: CollectionInput[];
  mapFile?: string;
  overrides?: MapOverrides;
  definitionFile?: string;
  /** `replace`: the body read from `definition-file`. */
  replaceBody?: Record<string, unknown>;
  wait: boolean;
  timeoutMs: number;
  pollIntervalMs: number;
  failOnRecordFailure: boolean;
  skipIfInstalled: boolean;
  ignoreDependents: boolean;
  environmentKind: EnvironmentKind;
  /** Where the kind came from: the input, or the host under `auto`. */
  environmentKindSource: 'input' | 'host';
  expectedPlan?: string;
  denyActions: TranslationAction[];
  confirmDelete?: string;
  summary: boolean;
  /** `v21.0`: the core API (`/attask/api/{version}`) that resolves names and checks target ids. */
  coreApiVersion: string;
  /** `auto`: prepare and install keep a comment on the pull request of a pull_request event. */
  prComment: PrComment;
  /** For the pull-request comment; a credential, masked like the others. */
  githubToken?: string;
}

export const PR_COMMENT_MODES = ['auto', 'off'] as const;
export type PrComment = (typeof PR_COMMENT_MODES)[number];

export type GetInput = (name: string) => string;

/** Inputs holding secrets: masked before anything is logged. */
export const SECRET_INPUTS = [
  'api-key',
  'session-id',
  'bearer-token',
  'client-secret',
  'private-key',
  'github-token',
] as const;

/** Which operations read each optional input; any other use is warned about (and the input not read), not refused. */
const USED_BY: Record<string, readonly Operation[]> = {
  // prepare plans from that pre-run instead of making one.
  'installation-id': ['install', 'installation', 'prepare'],
  status: ['create', 'transition', 'list'],
  'expected-status': ['transition', 'update', 'replace', 'delete', 'install', 'prepare'],
  name: ['create', 'update', 'list'],
  description: ['create', 'update'],
  source: ['create', 'update'],
  'object-collections': ['create', 'update'],
  'object-collections-file': ['create', 'update'],
  'map-file': ['install', 'prepare'],
  'definition-file': ['definition', 'replace'],
  // prepare compares its plan too: a different one fails the step (nothing is installed either way).
  'expected-plan': ['install', 'prepare'],
  'deny-actions': ['install', 'prepare'],
  'confirm-delete': ['delete'],
  'core-api-version': ['create', 'update', 'install', 'prepare'],
};

/** Every operation acts on one package, but create (makes one), list and installation (reads one by its id). */
const NEEDS_PACKAGE_ID: readonly Operation[] = OPERATIONS.filter(
  (operation) => !['create', 'list', 'installation'].includes(operation),
);

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** PUT expects every editable field (seed 000). */
const REPLACE_FIELDS = ['name', 'description', 'source', 'status', 'version', 'packageEntities'];

export interface InputResult {
  config?: Config;
  errors: string[];
  warnings: string[];
}

/** Normalises a private key pasted with literal `\n` (as secrets often are); never echoes it. */
export function normalisePrivateKey(raw: string): string {
  const text = raw.trim();
  return text.includes('\n') ? text : text.replace(/\\n/g, '\n');
}

function listOf(raw: string): string[] {
  return raw
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter(Boolean);
}

function parseStatus(raw: string): PackageStatus | undefined {
  const upper = raw.trim().toUpperCase();
  return [...USER_STATUSES, ...SYSTEM_STATUSES].find((status) => status === upper);
}

export function readInputs(getInput: GetInput): InputResult {
  const errors: string[] = [];
  const warnings: string[] = [];
  const input = (name: string) => getInput(name).trim();
  const given = (name: string) => input(name) !== '';

  const bool = (name: string, fallback: boolean): boolean => {
    const raw = input(name);
    if (raw === '') return fallback;
    if (/^(true|yes|on)$/i.test(raw)) return true;
    if (/^(false|no|off)$/i.test(raw)) return false;
    errors.push(`Input "${name}": "${raw}" is not a boolean; use true or false`);
    return fallback;
  };

  const duration = (name: string, fallback: string, min: number, max: number): number => {
    const raw = input(name) || fallback;
    const ms = parseDuration(raw);
    if (ms === null) {
      errors.push(`Input "${name}": "${raw}" is not a duration; use e.g. 90s, 15m, 1h30m or bare seconds`);
      return parseDuration(fallback) ?? 0;
    }
    if (ms < min || ms > max) {
      errors.push(
        `Input "${name}": ${raw} is out of range; use between ${formatDuration(min)} and ${formatDuration(max)}`,
      );
    }
    return ms;
  };

  /** Parses a JSON or YAML document, checks it with its parser, then with its published schema. */
  const document = <T>(
    name: string,
    read: () => string,
    what: string,
    parse: (raw: unknown, where: string) => Parsed<T>,
    schema: SchemaName,
  ): T | undefined => {
    try {
      const text = read();
      const raw = parseStructured(text, what);
      const parsed = parse(raw, `Input "${name}"`);
      // The schema is a second line (a test keeps it in agreement with the parsers) and costs seconds on a
      // translation map of 20,000 records: large documents rely on the parser's checks alone.
      const checkSchema = !parsed.errors.length && text.length <= MAX_SCHEMA_CHECKED_CHARS;
      const problems = checkSchema ? schemaErrors(schema, raw, `Input "${name}"`) : parsed.errors;
      // A loop, not a spread: a hostile document can hold a million problems.
      for (const problem of problems) errors.push(problem);
      for (const warning of parsed.warnings) warnings.push(warning);
      return problems.length ? undefined : parsed.value;
    } catch (error) {
      errors.push(`Input "${name}": ${(error as Error).message}`);
      return undefined;
    }
  };

  // operation
  const operationRaw = input('operation').toLowerCase();
  const operation = OPERATIONS.find((op) => op === operationRaw);
  if (!operationRaw) errors.push(`Input "operation" is required: one of ${OPERATIONS.join(', ')}`);
  else if (!operation) {
    errors.push(`Input "operation": "${input('operation')}" is unknown; use one of ${OPERATIONS.join(', ')}`);
  }

  /** Given, and read by this operation: an input no operation reads is warned about, never read (files included). */
  const used = (name: string) => given(name) && operation !== undefined && USED_BY[name].includes(operation);

  // url
  let api: ApiBase | undefined;
  if (!given('url')) errors.push('Input "url" is required: https://{domain}.{environment}.workfront.com');
  else {
    try {
      api = resolveApiBase(input('url'));
      if (api.adjusted) warnings.push(adjustedUrl('url', api.adjusted));
    } catch (error) {
      errors.push(`Input "url": ${(error as Error).message}`);
    }
  }

  // credential: exactly one form
  const credential = readCredential(input, given, api, errors);

  // ids
  for (const name of ['package-id', 'installation-id', 'confirm-delete']) {
    if (given(name) && !ID_PATTERN.test(input(name))) {
      // Redacted before the cut: a secret pasted here by mistake leaves no fragment.
      errors.push(
        `Input "${name}": "${redact(input(name)).slice(0, 80)}" is not an id (letters, digits, - and _)`,
      );
    }
  }
  if (operation && NEEDS_PACKAGE_ID.includes(operation) && !given('package-id')) {
    errors.push(`Input "package-id" is required for operation ${operation}`);
  }
  if (operation === 'installation' && !given('installation-id')) {
    errors.push('Input "installation-id" is required for operation installation');
  }

  // statuses
  let status: UserStatus | undefined;
  let listStatus: PackageStatus | undefined;
  if (given('status')) {
    const parsed = parseStatus(input('status'));
    if (parsed && operation === 'list') listStatus = parsed;
    else if (parsed && (USER_STATUSES as readonly string[]).includes(parsed)) status = parsed as UserStatus;
    else if (parsed) {
      errors.push(
        `Input "status": ${parsed} is set by the system only; use one of ${USER_STATUSES.join(', ')}`,
      );
    } else if (!parsed) {
      errors.push(`Input "status": "${input('status')}" is unknown; use one of ${USER_STATUSES.join(', ')}`);
    }
  }
  if (operation === 'transition' && !given('status')) {
    errors.push(`Input "status" is required for operation transition: one of ${USER_STATUSES.join(', ')}`);
  }
  if (operation === 'update' && given('status')) {
    errors.push('Input "status" is not changed by update; use operation transition, which guards the move');
  }
  let expectedStatus: PackageStatus[] | undefined;
  if (given('expected-status')) {
    expectedStatus = [];
    for (const item of listOf(input('expected-status'))) {
      const parsed = parseStatus(item);
      if (parsed) expectedStatus.push(parsed);
      else {
        errors.push(
          `Input "expected-status": "${item}" is not a status; use ${[...USER_STATUSES, ...SYSTEM_STATUSES].join(', ')}`,
        );
      }
    }
  }

  // texts
  const name = given('name') ? input('name') : undefined;
  if (name && name.length > 255)
    errors.push(`Input "name": ${name.length} characters, at most 255 are allowed`);
  if (operation === 'create' && !name) errors.push('Input "name" is required for operation create');
  const description = given('description') ? getInput('description') : undefined;

  // source
  let source = api ? environmentUrl(api) : '';
  if (given('source')) {
    try {
      const sourceApi = resolveApiBase(input('source'));
      if (sourceApi.adjusted) warnings.push(adjustedUrl('source', sourceApi.adjusted));
      source = environmentUrl(sourceApi);
    } catch (error) {
      errors.push(`Input "source": ${(error as Error).message}`);
    }
  }

  // object collections
  let objectCollections: CollectionInput[] | undefined;
  if (used('object-collections') && used('object-collections-file')) {
    errors.push('Inputs "object-collections" and "object-collections-file" are both set; give one of them');
  } else if (used('object-collections')) {
    objectCollections = document(
      'object-collections',
      () => input('object-collections'),
      'the value',
      parseObjectCollections,
      'object-collections',
    );
  } else if (used('object-collections-file')) {
    const path = input('object-collections-file');
    objectCollections = document(
      'object-collections-file',
      () => readTextFile(path, MAX_DOCUMENT_BYTES),
      `file ${path}`,
      parseObjectCollections,
      'object-collections',
    );
  } else if (operation === 'create') {
    errors.push('Input "object-collections" (or "object-collections-file") is required for operation create');
  }

  // map file
  const mapFile = used('map-file') ? input('map-file') : undefined;
  if (mapFile && given('installation-id') && (operation === 'install' || operation === 'prepare')) {
    errors.push(
      `Inputs "installation-id" and "map-file" are both set: that pre-run is ${operation === 'install' ? 'installed' : 'planned'} as it is, without the map file's overrides; drop one (without installation-id the map file's overrides are applied to a fresh translation map)`,
    );
  }
  const overrides = mapFile
    ? document(
        'map-file',
        () => readTextFile(mapFile, MAX_DOCUMENT_BYTES),
        `file ${mapFile}`,
        parseOverrides,
        'map-file',
      )
    : undefined;

  // definition file
  const definitionFile = given('definition-file') ? input('definition-file') : undefined;
  let replaceBody: Record<string, unknown> | undefined;
  if (operation === 'replace') {
    if (!definitionFile) errors.push('Input "definition-file" is required for operation replace');
    else {
      try {
        const body = parseStructured(readTextFile(definitionFile), `file ${definitionFile}`);
        if (!isRecord(body)) {
          errors.push(`Input "definition-file": file ${definitionFile} must hold a package object`);
        } else {
          const missing = REPLACE_FIELDS.filter((field) => body[field] === undefined);
          if (missing.length) {
            errors.push(
              `Input "definition-file": PUT replaces the whole package, and file ${definitionFile} lacks ${missing.join(', ')} (operation definition writes a file that has them all)`,
            );
          } else replaceBody = body;
        }
      } catch (error) {
        errors.push(`Input "definition-file": ${(error as Error).message}`);
      }
    }
  }

  // waiting
  const wait = bool('wait', true);
  const timeoutMs = duration('timeout', '30m', 1000, MAX_TIMEOUT_MS);
  const pollIntervalMs = duration('poll-interval', '10s', MIN_POLL_INTERVAL_MS, MAX_TIMEOUT_MS);

  // environment kind
  let environmentKind: EnvironmentKind = 'unknown';
  let environmentKindSource: Config['environmentKindSource'] = 'host';
  const kindRaw = (input('environment-kind') || 'auto').toLowerCase();
  if (kindRaw === 'production' || kindRaw === 'sandbox') {
    environmentKind = kindRaw;
    environmentKindSource = 'input';
  } else if (kindRaw === 'auto') {
    environmentKind = api ? detectEnvironmentKind(new URL(api.origin).hostname) : 'unknown';
  } else {
    errors.push(
      `Input "environment-kind": "${input('environment-kind')}" is unknown; use production, sandbox or auto`,
    );
  }

  // install guards
  const denyActions: TranslationAction[] = [];
  for (const item of listOf(input('deny-actions'))) {
    const action = parseAction(item);
    if (action) denyActions.push(action);
    else errors.push(`Input "deny-actions": "${item}" is not a translation-map action`);
  }
  const expectedPlan = given('expected-plan') ? input('expected-plan').toLowerCase() : undefined;
  if (expectedPlan && !/^[0-9a-f]{16,128}$/.test(expectedPlan)) {
    errors.push('Input "expected-plan": not a plan-hash; use the plan-hash output of an earlier prepare');
  }

  // delete
  if (operation === 'delete' && input('confirm-delete') !== input('package-id')) {
    errors.push(
      'Input "confirm-delete" must equal "package-id" for operation delete (deleting is irreversible; consider status DISABLED)',
    );
  }

  const failOnRecordFailure = bool('fail-on-record-failure', true);
  const skipIfInstalled = bool('skip-if-installed', true);
  const ignoreDependents = bool('ignore-dependents', true);
  const summary = bool('summary', true);
  const coreApiVersion = normaliseCoreApiVersion(input('core-api-version') || DEFAULT_CORE_API_VERSION);
  if (!coreApiVersion) {
    errors.push(
      `Input "core-api-version": "${input('core-api-version').slice(0, 40)}" is not a version of Workfront's core API; use e.g. ${DEFAULT_CORE_API_VERSION}`,
    );
  }
  const { prComment, githubToken } = readPrComment(input, errors);

  if (operation) {
    for (const [inputName, operations] of Object.entries(USED_BY)) {
      // An input refused for this operation is reported once, as the error.
      const refused = errors.some((error) => error.startsWith(`Input "${inputName}"`));
      if (given(inputName) && !operations.includes(operation) && !refused) {
        warnings.push(`Input "${inputName}" is not used by operation ${operation}; it is not read`);
      }
    }
  }
  if (
    operation === 'update' &&
    !name &&
    description === undefined &&
    !objectCollections &&
    errors.length === 0
  ) {
    errors.push('Operation update needs something to change: name, description or object-collections');
  }
  if (errors.length > 0 || !operation || !api || !credential || !coreApiVersion) return { errors, warnings };
  return {
    errors,
    warnings,
    config: {
      operation,
      url: api.adjusted?.use ?? input('url'),
      api,
      credential,
      packageId: given('package-id') ? input('package-id') : undefined,
      installationId: given('installation-id') ? input('installation-id') : undefined,
      status,
      listStatus,
      expectedStatus,
      name,
      description,
      source,
      objectCollections,
      mapFile,
      overrides,
      definitionFile,
      replaceBody,
      wait,
      timeoutMs,
      pollIntervalMs,
      failOnRecordFailure,
      skipIfInstalled,
      ignoreDependents,
      environmentKind,
      environmentKindSource,
      expectedPlan,
      denyActions,
      confirmDelete: given('confirm-delete') ? input('confirm-delete') : undefined,
      summary,
      coreApiVersion,
      prComment,
      githubToken,
    },
  };
}

/** The pull-request comment: its mode, and the token (never echoed; an empty one is warned about when a comment is due). */
function readPrComment(
  input: (name: string) => string,
  errors: string[],
): { prComment: PrComment; githubToken?: string } {
  const raw = (input('pr-comment') || 'auto').toLowerCase();
  const prComment = PR_COMMENT_MODES.find((mode) => mode === raw);
  if (!prComment) {
    errors.push(`Input "pr-comment": "${input('pr-comment').slice(0, 40)}" is unknown; use auto or off`);
  }
  // Outside a runner (local-action, a .env file) the default stays the unexpanded expression: no token.
  const token = input('github-token').replace(/^\$\{\{.*\}\}$/, '');
  return { prComment: prComment ?? 'off', githubToken: token || undefined };
}

function adjustedUrl(name: string, adjusted: NonNullable<ApiBase['adjusted']>): string {
  return `Input "${name}": ${adjusted.given} is ${adjusted.reason}; the action uses ${adjusted.use}: set ${name} to that`;
}

/** The environment's own URL: the API base without its API path. */
function environmentUrl(api: ApiBase): string {
  return api.base.replace(/(?:\/environment-promotion)?(?:\/api)?\/v1$/, '');
}

function readCredential(
  input: (name: string) => string,
  given: (name: string) => boolean,
  api: ApiBase | undefined,
  errors: string[],
): Credential | undefined {
  const plain = (['api-key', 'session-id', 'bearer-token'] as const).filter(given);
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
    errors.push(
      'A credential is required: one of "api-key", "session-id", "bearer-token", or "client-id" with "client-secret"',
    );
    return undefined;
  }
  if (forms.length > 1) {
    errors.push(`Give exactly one credential form; found ${forms.map((f) => `"${f}"`).join(' and ')}`);
  }
  if (plain.length && !oauthGiven.length && forms.length === 1) {
    const value = plain[0] === 'bearer-token' ? input(plain[0]).replace(/^Bearer\s+/i, '') : input(plain[0]);
    if (/\s/.test(value)) errors.push(`Input "${plain[0]}" contains whitespace; copy the credential exactly`);
    if (errors.length > before) return undefined;
    if (plain[0] === 'api-key') return { kind: 'api-key', apiKey: value };
    if (plain[0] === 'session-id') return { kind: 'session-id', sessionId: value };
    return { kind: 'bearer-token', token: value };
  }
  if (!oauthGiven.length) return undefined;

  const hasClient = given('client-id') && given('client-secret');
  if (given('client-id') !== given('client-secret')) {
    errors.push(
      given('client-id')
        ? 'Input "client-secret" is required with "client-id"'
        : 'Input "client-id" is required with "client-secret"',
    );
  }
  if (!given('client-id') && !given('client-secret')) {
    const stray = oauthGiven.map((n) => `"${n}"`).join(', ');
    errors.push(`Inputs ${stray} need an OAuth2 client: set "client-id" and "client-secret"`);
  }
  const jwt = given('private-key');
  if (jwt && given('scopes')) {
    errors.push(
      'Inputs "private-key" and "scopes" select two flows; use private-key (Workfront JWT) or scopes (Adobe IMS)',
    );
  }
  let privateKey = '';
  if (jwt) {
    privateKey = normalisePrivateKey(input('private-key'));
    const problem = checkPrivateKey(privateKey);
    if (problem) errors.push(`Input "private-key": ${problem}`);
    if (!given('customer-id'))
      errors.push('Input "customer-id" is required for the Workfront JWT flow (the JWT\'s iss)');
    if (!given('user-id'))
      errors.push('Input "user-id" is required for the Workfront JWT flow (the JWT\'s sub)');
  } else {
    for (const name of ['customer-id', 'user-id']) {
      if (given(name))
        errors.push(`Input "${name}" is used only by the Workfront JWT flow, which needs "private-key"`);
    }
    if (hasClient && !given('scopes')) {
      errors.push(
        'Input "scopes" is required for Adobe IMS server-to-server (or set "private-key" for Workfront\'s JWT flow)',
      );
    }
  }
  let tokenUrl = jwt ? (api ? `${api.origin}${JWT_EXCHANGE_PATH}` : '') : DEFAULT_IMS_TOKEN_URL;
  if (given('token-url')) {
    tokenUrl = input('token-url');
    try {
      const parsed = new URL(tokenUrl);
      if (parsed.username || parsed.password) {
        errors.push(
          'Input "token-url": a user name or password in the URL is refused (it would show in logs); the OAuth2 client goes in "client-id" and "client-secret"',
        );
      } else if (
        parsed.protocol !== 'https:' &&
        !(parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname))
      ) {
        errors.push(
          `Input "token-url": ${parsed.protocol}// is refused for ${parsed.hostname}; use https://`,
        );
      }
    } catch {
      errors.push(
        'Input "token-url" is not a URL; give the token endpoint, e.g. https://ims-na1.adobelogin.com/ims/token/v3',
      );
    }
  }
  if (errors.length > before) return undefined;
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
