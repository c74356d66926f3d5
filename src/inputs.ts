// Every input of action.yml read into one typed, validated Config; all errors collected, none thrown. Each
// input (or group of inputs) has its small parser answering its value, errors and warnings; readInputs puts
// them together, with each operation's descriptor (operations/) saying which inputs it needs and reads.
import { SYSTEM_STATUSES, USER_STATUSES, type PackageStatus, type UserStatus } from './api/types.js';
import { checkPrivateKey, DEFAULT_IMS_TOKEN_URL, JWT_EXCHANGE_PATH, type Credential } from './api/auth.js';
import { isLoopbackHost, resolveApiBase, type ApiBase } from './api/url.js';
import type { BaseConfig, Config, ConfigOf, Operation, OperationInput, PrComment } from './config.js';
import { formatDuration, parseDuration } from './duration.js';
import { detectEnvironmentKind, type EnvironmentKind } from './environment.js';
import { isRecord } from './api/parse.js';
import { MAX_DOCUMENT_BYTES, parseStructured, readTextFile } from './files.js';
import { parseObjectCollections, type CollectionInput, type Parsed } from './object-collections.js';
import { DEFAULT_CORE_API_VERSION, normaliseCoreApiVersion } from './api/core.js';
import { OPERATION_NAMES, OPERATIONS } from './operations/index.js';
import { schemaErrors, type SchemaName } from './schemas.js';
import { parseAction, parseOverrides, type MapOverrides } from './translation-map.js';
import type { TranslationAction } from './api/types.js';
import { ID_PATTERN, redact } from './text.js';

/** GitHub ends a job after 6 h; a wait must end before that to report anything. */
const MAX_TIMEOUT_MS = 6 * 60 * 60 * 1000 - 60_000;
const MIN_POLL_INTERVAL_MS = 1000;
/** Documents up to this size are also checked against their published schema. */
const MAX_SCHEMA_CHECKED_CHARS = 256 * 1024;

const PR_COMMENT_MODES: readonly PrComment[] = ['auto', 'off'];

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

/** Every input an operation may need or use: what the descriptors' `needs` and `uses` are checked against. */
const OPERATION_INPUTS: readonly OperationInput[] = [
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
const REQUIRED_HINT: Partial<Record<OperationInput, string>> = {
  status: `: one of ${USER_STATUSES.join(', ')}`,
};

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

/** The inputs as given: trimmed, and whether set. */
interface Inputs {
  (name: string): string;
  given(name: string): boolean;
  /** Untrimmed, for texts whose spaces are theirs (description). */
  raw(name: string): string;
}

/** A parser's answer: its value (absent when refused), and what it has to say. */
type Read<T> = Parsed<T>;

const ok = <T>(value: T, warnings: string[] = []): Read<T> => ({ value, errors: [], warnings });
const refused = <T>(...errors: string[]): Read<T> => ({ errors, warnings: [] });

/** `true`/`false` (and yes/no, on/off) in any case; empty is `fallback`. The one boolean parser. */
export function parseBoolean(raw: string, fallback: boolean): boolean | undefined {
  const text = raw.trim();
  if (text === '') return fallback;
  if (/^(true|yes|on)$/i.test(text)) return true;
  if (/^(false|no|off)$/i.test(text)) return false;
  return undefined;
}

function readBoolean(input: Inputs, name: string, fallback: boolean): Read<boolean> {
  const value = parseBoolean(input(name), fallback);
  return value === undefined
    ? {
        value: fallback,
        errors: [`Input "${name}": "${input(name)}" is not a boolean; use true or false`],
        warnings: [],
      }
    : ok(value);
}

function readDuration(input: Inputs, name: string, fallback: string, min: number, max: number): Read<number> {
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
function readDocument<T>(
  name: string,
  read: () => string,
  what: string,
  parse: (raw: unknown, where: string) => Parsed<T>,
  schema: SchemaName,
): Read<T> {
  try {
    const text = read();
    const raw = parseStructured(text, what);
    const parsed = parse(raw, `Input "${name}"`);
    // The schema is a second line (a test keeps it in agreement with the parsers) and costs seconds on a
    // translation map of 20,000 records: large documents rely on the parser's checks alone.
    const checkSchema = !parsed.errors.length && text.length <= MAX_SCHEMA_CHECKED_CHARS;
    const problems = checkSchema ? schemaErrors(schema, raw, `Input "${name}"`) : parsed.errors;
    return { value: problems.length ? undefined : parsed.value, errors: problems, warnings: parsed.warnings };
  } catch (error) {
    return refused(`Input "${name}": ${(error as Error).message}`);
  }
}

function readOperation(input: Inputs): Read<Operation> {
  const raw = input('operation').toLowerCase();
  const operation = OPERATION_NAMES.find((op) => op === raw);
  if (!raw) return refused(`Input "operation" is required: one of ${OPERATION_NAMES.join(', ')}`);
  if (!operation) {
    return refused(
      `Input "operation": "${input('operation')}" is unknown; use one of ${OPERATION_NAMES.join(', ')}`,
    );
  }
  return ok(operation);
}

function readUrl(input: Inputs, name: 'url' | 'source'): Read<ApiBase> {
  if (!input.given(name))
    return refused('Input "url" is required: https://{domain}.{environment}.workfront.com');
  try {
    const api = resolveApiBase(input(name));
    return ok(api, api.adjusted ? [adjustedUrl(name, api.adjusted)] : []);
  } catch (error) {
    return refused(`Input "${name}": ${(error as Error).message}`);
  }
}

/** The operation's required inputs, from its descriptor, and its own rules across inputs. */
function readNeeds(input: Inputs, operation: Operation): Read<true> {
  const { needs, check } = OPERATIONS[operation];
  const errors: string[] = [];
  for (const need of needs) {
    const oneOf = typeof need === 'string' ? [need] : need;
    if (oneOf.some(input.given)) continue;
    const alternatives =
      oneOf.length > 1
        ? ` (or ${oneOf
            .slice(1)
            .map((n) => `"${n}"`)
            .join(', ')})`
        : '';
    errors.push(
      `Input "${oneOf[0]}"${alternatives} is required for operation ${operation}${REQUIRED_HINT[oneOf[0]] ?? ''}`,
    );
  }
  errors.push(...(check?.(input) ?? []));
  return errors.length ? { errors, warnings: [] } : ok(true);
}

/** Whether an operation needs or uses an input. */
function reads(operation: Operation, name: OperationInput): boolean {
  const { needs, uses } = OPERATIONS[operation];
  return uses.includes(name) || needs.some((need) => need === name || need.includes(name));
}

/** An input this operation does not read is warned about, unless it was refused (reported once, as the error). */
function unusedInputs(input: Inputs, operation: Operation, errors: string[]): string[] {
  return OPERATION_INPUTS.filter(
    (name) =>
      input.given(name) &&
      !reads(operation, name) &&
      !errors.some((error) => error.startsWith(`Input "${name}"`)),
  ).map((name) => `Input "${name}" is not used by operation ${operation}; it is not read`);
}

function readIds(input: Inputs): Read<true> {
  const errors = (['package-id', 'installation-id', 'confirm-delete'] as const)
    .filter((name) => input.given(name) && !ID_PATTERN.test(input(name)))
    // Redacted before the cut: a secret pasted here by mistake leaves no fragment.
    .map(
      (name) =>
        `Input "${name}": "${redact(input(name)).slice(0, 80)}" is not an id (letters, digits, - and _)`,
    );
  return errors.length ? { errors, warnings: [] } : ok(true);
}

/** `status`: a status a person may set; for list, any status (the filter). */
function readStatus(input: Inputs, anyStatus: boolean): Read<PackageStatus | undefined> {
  if (!input.given('status')) return ok(undefined);
  const parsed = parseStatus(input('status'));
  if (!parsed) {
    return refused(`Input "status": "${input('status')}" is unknown; use one of ${USER_STATUSES.join(', ')}`);
  }
  if (!anyStatus && !isUserStatus(parsed)) {
    return refused(
      `Input "status": ${parsed} is set by the system only; use one of ${USER_STATUSES.join(', ')}`,
    );
  }
  return ok(parsed);
}

const isUserStatus = (status: PackageStatus | undefined): status is UserStatus =>
  (USER_STATUSES as readonly string[]).includes(status ?? '');

function readExpectedStatus(input: Inputs): Read<PackageStatus[] | undefined> {
  if (!input.given('expected-status')) return ok(undefined);
  const statuses: PackageStatus[] = [];
  const errors: string[] = [];
  for (const item of listOf(input('expected-status'))) {
    const parsed = parseStatus(item);
    if (parsed) statuses.push(parsed);
    else {
      errors.push(
        `Input "expected-status": "${item}" is not a status; use ${[...USER_STATUSES, ...SYSTEM_STATUSES].join(', ')}`,
      );
    }
  }
  return { value: statuses, errors, warnings: [] };
}

function readName(input: Inputs): Read<string | undefined> {
  const name = input.given('name') ? input('name') : undefined;
  if (name && name.length > 255)
    return refused(`Input "name": ${name.length} characters, at most 255 are allowed`);
  return ok(name);
}

/** `source`, or the environment of `url`. */
function readSource(input: Inputs, api: ApiBase | undefined): Read<string> {
  if (!input.given('source')) return ok(api ? environmentUrl(api) : '');
  const parsed = readUrl(input, 'source');
  return { ...parsed, value: parsed.value && environmentUrl(parsed.value) };
}

function readCollections(
  input: Inputs,
  used: (name: OperationInput) => boolean,
): Read<CollectionInput[] | undefined> {
  if (used('object-collections') && used('object-collections-file')) {
    return refused(
      'Inputs "object-collections" and "object-collections-file" are both set; give one of them',
    );
  }
  if (used('object-collections')) {
    return readDocument(
      'object-collections',
      () => input('object-collections'),
      'the value',
      parseObjectCollections,
      'object-collections',
    );
  }
  if (used('object-collections-file')) {
    const path = input('object-collections-file');
    return readDocument(
      'object-collections-file',
      () => readTextFile(path, MAX_DOCUMENT_BYTES),
      `file ${path}`,
      parseObjectCollections,
      'object-collections',
    );
  }
  return ok(undefined);
}

function readOverrides(mapFile: string | undefined): Read<MapOverrides | undefined> {
  if (!mapFile) return ok(undefined);
  return readDocument(
    'map-file',
    () => readTextFile(mapFile, MAX_DOCUMENT_BYTES),
    `file ${mapFile}`,
    parseOverrides,
    'map-file',
  );
}

/** `replace`: the whole package from `definition-file`. */
function readReplaceBody(definitionFile: string | undefined): Read<Record<string, unknown> | undefined> {
  if (!definitionFile) return ok(undefined);
  try {
    const body = parseStructured(readTextFile(definitionFile), `file ${definitionFile}`);
    if (!isRecord(body))
      return refused(`Input "definition-file": file ${definitionFile} must hold a package object`);
    const missing = REPLACE_FIELDS.filter((field) => body[field] === undefined);
    if (missing.length) {
      return refused(
        `Input "definition-file": PUT replaces the whole package, and file ${definitionFile} lacks ${missing.join(', ')} (operation definition writes a file that has them all)`,
      );
    }
    return ok(body);
  } catch (error) {
    return refused(`Input "definition-file": ${(error as Error).message}`);
  }
}

function readEnvironmentKind(
  input: Inputs,
  api: ApiBase | undefined,
): Read<{ kind: EnvironmentKind; source: Config['environmentKindSource'] }> {
  const raw = (input('environment-kind') || 'auto').toLowerCase();
  if (raw === 'production' || raw === 'sandbox') return ok({ kind: raw, source: 'input' });
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

function readDenyActions(input: Inputs): Read<TranslationAction[]> {
  const actions: TranslationAction[] = [];
  const errors: string[] = [];
  for (const item of listOf(input('deny-actions'))) {
    const action = parseAction(item);
    if (action) actions.push(action);
    else errors.push(`Input "deny-actions": "${item}" is not a translation-map action`);
  }
  return { value: actions, errors, warnings: [] };
}

function readExpectedPlan(input: Inputs): Read<string | undefined> {
  const plan = input.given('expected-plan') ? input('expected-plan').toLowerCase() : undefined;
  if (plan && !/^[0-9a-f]{16,128}$/.test(plan)) {
    return refused('Input "expected-plan": not a plan-hash; use the plan-hash output of an earlier prepare');
  }
  return ok(plan);
}

function readCoreApiVersion(input: Inputs): Read<string> {
  const version = normaliseCoreApiVersion(input('core-api-version') || DEFAULT_CORE_API_VERSION);
  if (version) return ok(version);
  return refused(
    `Input "core-api-version": "${input('core-api-version').slice(0, 40)}" is not a version of Workfront's core API; use e.g. ${DEFAULT_CORE_API_VERSION}`,
  );
}

export function readInputs(getInput: GetInput): InputResult {
  const errors: string[] = [];
  const warnings: string[] = [];
  /** Keeps a parser's errors and warnings, answers its value. */
  const take = <T>(read: Read<T>): T | undefined => {
    // Loops, not spreads: a hostile document can hold a million problems.
    for (const error of read.errors) errors.push(error);
    for (const warning of read.warnings) warnings.push(warning);
    return read.value;
  };
  const input: Inputs = Object.assign((name: string) => getInput(name).trim(), {
    given: (name: string) => getInput(name).trim() !== '',
    raw: (name: string) => getInput(name),
  });

  const operation = take(readOperation(input));
  /** Given, and read by this operation: an input it does not read is warned about, never read (files included). */
  const used = (name: OperationInput) =>
    input.given(name) && operation !== undefined && reads(operation, name);
  const api = take(readUrl(input, 'url'));
  const credential = take(credentialOf(input, api));
  take(readIds(input));
  if (operation) take(readNeeds(input, operation));
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
  const pollIntervalMs =
    take(readDuration(input, 'poll-interval', '10s', MIN_POLL_INTERVAL_MS, MAX_TIMEOUT_MS)) ?? 0;
  const environment = take(readEnvironmentKind(input, api));
  const denyActions = take(readDenyActions(input)) ?? [];
  const expectedPlan = take(readExpectedPlan(input));
  const failOnRecordFailure = take(readBoolean(input, 'fail-on-record-failure', true)) ?? true;
  const skipIfInstalled = take(readBoolean(input, 'skip-if-installed', true)) ?? true;
  const ignoreDependents = take(readBoolean(input, 'ignore-dependents', true)) ?? true;
  const summary = take(readBoolean(input, 'summary', true)) ?? true;
  const coreApiVersion = take(readCoreApiVersion(input));
  const { prComment, githubToken } = take(readPrComment(input)) ?? { prComment: 'off' };
  if (operation) warnings.push(...unusedInputs(input, operation, errors));

  if (errors.length > 0 || !operation || !api || !credential || !coreApiVersion || !environment) {
    return { errors, warnings };
  }
  const base: BaseConfig = {
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
  const values: Values = {
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

/** The parsed values of the operations' own inputs, before each takes its share. */
interface Values {
  packageId: string;
  installationId?: string;
  status?: PackageStatus;
  expectedStatus?: PackageStatus[];
  name?: string;
  description?: string;
  source: string;
  objectCollections?: CollectionInput[];
  mapFile?: string;
  overrides?: MapOverrides;
  definitionFile?: string;
  replaceBody?: Record<string, unknown>;
  expectedPlan?: string;
  denyActions: TranslationAction[];
  failOnRecordFailure: boolean;
  skipIfInstalled: boolean;
  ignoreDependents: boolean;
}

/** The Config of `operation`: the inputs it reads, typed as it needs them. */
function configFor(operation: Operation, base: BaseConfig, values: Values): Config {
  const { packageId, installationId, status, expectedStatus, name, description, source } = values;
  const { objectCollections, mapFile, overrides, definitionFile, replaceBody, expectedPlan } = values;
  const { denyActions, failOnRecordFailure, skipIfInstalled, ignoreDependents } = values;
  /** A value the operation's `needs` made sure of: checked again, so a descriptor that forgets one fails loudly. */
  const needed = <T>(value: T | undefined, what: string): T => {
    if (value === undefined || value === '')
      throw new Error(`operation ${operation}: ${what} was not checked`);
    return value;
  };
  const userStatus = isUserStatus(status) ? status : undefined;
  const plan = (op: 'prepare' | 'install'): ConfigOf<typeof op> => ({
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
  const configs: { [O in Operation]: () => ConfigOf<O> } = {
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

function credentialOf(input: Inputs, api: ApiBase | undefined): Read<Credential> {
  const errors: string[] = [];
  const value = readCredential(input, input.given, api, errors);
  return { value, errors, warnings: [] };
}

/** The pull-request comment: its mode, and the token (never echoed; an empty one is warned about when a comment is due). */
function readPrComment(input: Inputs): Read<{ prComment: PrComment; githubToken?: string }> {
  const raw = (input('pr-comment') || 'auto').toLowerCase();
  const prComment = PR_COMMENT_MODES.find((mode) => mode === raw);
  // Outside a runner (local-action, a .env file) the default stays the unexpanded expression: no token.
  const token = input('github-token').replace(/^\$\{\{.*\}\}$/, '');
  const value = { prComment: prComment ?? 'off', githubToken: token || undefined };
  if (prComment) return ok(value);
  return {
    value,
    errors: [`Input "pr-comment": "${input('pr-comment').slice(0, 40)}" is unknown; use auto or off`],
    warnings: [],
  };
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
