// The Workfront Environment Promotion API, one method per endpoint (WorkfrontApi), over the retrying transport.
import { createAuthenticator, type Authenticator, type Credential } from './auth.js';
import { createCoreApi, type CoreApi } from './core.js';
import { definitionReader, indexOfDefinition } from './definition.js';
import { historyReader, parseInstallationList } from './history.js';
import { WorkfrontError } from './errors.js';
import type { Endpoint } from './hints.js';
import { systemClock, type Clock } from '../clock.js';
import { Transport, type Call, type Landed, type Log, type Method } from './http.js';
import {
  DEFAULT_MAX_JSON_DEPTH,
  parseDefinition,
  parseInstallation,
  parseAccepted,
  parseDeleted,
  parseInstallationId,
  parsePackage,
  parsePackages,
  parseTranslationMap,
  ShapeError,
  type Body,
} from './parse.js';
import { Redactor } from './redact.js';
import type {
  CreatePackageBody,
  Installation,
  Lookup,
  DefinitionIndex,
  PackageDefinition,
  PatchPackageBody,
  PromotionPackage,
  ReplacePackageBody,
  TranslationMap,
  WorkfrontApi,
} from './types.js';
import { resolveApiBase, type ApiBase } from './url.js';

export const ACTION_NAME = 'workfront-promotion-action';
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RETRIES = 4;
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;
/** An installation history, read as it arrives with its maps unread, may be this large. */
const DEFAULT_MAX_STREAMED_BYTES = 1024 * 1024 * 1024;

export function userAgentFor(version: string): string {
  return `${ACTION_NAME}/${version}`;
}

export interface ClientOptions {
  /** The `url` input, or the base resolved from it. */
  baseUrl: string | ApiBase;
  /** A credential (the client builds its authenticator, token flows included) or an authenticator. */
  auth: Credential | Authenticator;
  /** The action's version, for the User-Agent `workfront-promotion-action/<version>`. */
  version: string;
  requestTimeoutMs?: number;
  /** Retries after the first attempt of a call. */
  maxRetries?: number;
  /** Epoch ms by which the whole operation must end. */
  deadline?: number;
  signal?: AbortSignal;
  log?: Log;
  /** Called with every credential, secret and token as soon as it exists (the action calls core.setSecret). */
  onSecret?: (value: string) => void;
  /** An answer held whole may be this large (and each installation of a history). */
  maxBodyBytes?: number;
  /** An installation history, read as it arrives with its maps unread, may be this large. */
  maxStreamedBytes?: number;
  maxJsonDepth?: number;
  /** First backoff step and the longest backoff (full jitter in between). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** The time and the backoff pauses; the system's by default. */
  clock?: Clock;
  random?: () => number;
}

export interface WorkfrontClient extends WorkfrontApi {
  readonly api: ApiBase;
  /** Masks every credential the client knows of; for anything else the caller logs. */
  readonly redactor: Redactor;
  /** Workfront's core API of an environment (default: this one), on the same transport and credential. */
  core(version?: string, origin?: string): CoreApi;
}

export function createClient(options: ClientOptions): WorkfrontClient {
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
  const secret = (value: string): void => {
    redactor.add(value);
    options.onSecret?.(value);
  };
  const auth =
    'kind' in options.auth ? createAuthenticator(options.auth, { transport, secret, now }) : options.auth;
  return new Client(api, transport, auth);
}

interface Request<T> {
  endpoint: Endpoint;
  method: Method;
  /** Below the API base; `{id}` stands for the id, which must not be empty. */
  path: string;
  id?: string;
  body?: unknown;
  parse: (body: Body) => T;
  readStream?: Call<T>['readStream'];
  largeAnswer?: boolean;
  repeatable?: boolean;
  landed?: () => Promise<Landed<T> | undefined>;
  landedWithinMs?: number;
  undocumented?: boolean;
}

/** A caller's lookup as the transport asks it. */
function landedBy<T, R>(lookup: Lookup<T>, value: (found: T) => R) {
  return {
    landed: async () => {
      const found = await lookup.find();
      return found === undefined ? undefined : { value: value(found) };
    },
    landedWithinMs: lookup.withinMs,
  };
}

class Client implements WorkfrontClient {
  constructor(
    readonly api: ApiBase,
    private readonly transport: Transport,
    private readonly auth: Authenticator,
  ) {}

  get redactor(): Redactor {
    return this.transport.redactor;
  }

  core(version?: string, origin?: string): CoreApi {
    return createCoreApi({
      transport: this.transport,
      auth: this.auth,
      origin: origin ?? this.api.origin,
      version,
    });
  }

  createPackage(body: CreatePackageBody, lookup: Lookup<PromotionPackage>): Promise<PromotionPackage> {
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

  listPackages(): Promise<PromotionPackage[]> {
    return this.request({ endpoint: 'listPackages', method: 'GET', path: '/packages', parse: parsePackages });
  }

  getPackage(id: string): Promise<PromotionPackage> {
    return this.request({
      endpoint: 'getPackage',
      method: 'GET',
      path: '/packages/{id}',
      id,
      parse: (body) => answerFor(id, 'package', parsePackage(body)),
    });
  }

  /** The definition as dependants are found from it: read entity by entity, never held whole. */
  getDefinitionIndex(id: string): Promise<DefinitionIndex> {
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

  getDefinition(id: string): Promise<PackageDefinition> {
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

  replacePackage(id: string, body: ReplacePackageBody): Promise<PromotionPackage> {
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

  updatePackage(id: string, body: PatchPackageBody): Promise<PromotionPackage> {
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

  async deletePackage(id: string): Promise<void> {
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
        } catch (error) {
          if (error instanceof WorkfrontError && error.kind === 'not-found') return { value: undefined };
          throw error;
        }
      },
    });
  }

  prepareInstallation(packageId: string, lookup?: Lookup<Installation>): Promise<Installation> {
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

  async installInstallation(installationId: string, lookup?: Lookup<true>): Promise<void> {
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
  listInstallations(packageId: string): Promise<Installation[]> {
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

  getInstallation(id: string): Promise<Installation> {
    return this.request({
      endpoint: 'getInstallation',
      method: 'GET',
      path: '/installations/{id}',
      id,
      parse: (body) => answerFor(id, 'installation', parseInstallation(body)),
    });
  }

  createTranslationMap(packageId: string): Promise<TranslationMap> {
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

  installPackage(packageId: string, translationMap: TranslationMap, lookup: Lookup<string>): Promise<string> {
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

  private async request<T>(request: Request<T>): Promise<T> {
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
  private withLegacyName<B extends { name?: string }>(body: B): B | Record<string, unknown> {
    if (!this.api.legacy || body.name === undefined) return body;
    const { name, ...rest } = body;
    return { ...rest, packageName: name };
  }
}

/**
 * A read by id must answer for that id: a server (or a proxy or cache before it) answering for another would
 * have the action report, change or install a package or installation the server chose.
 */
function answerFor<T extends { id: string }>(id: string, what: string, answer: T): T {
  if (answer.id !== id) throw new ShapeError(`${what} ${id}, but it answered for ${what} ${answer.id}`);
  return answer;
}
