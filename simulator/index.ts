// The simulator's programmatic API: start three environments and an IMS token host on 127.0.0.1, and control
// them from tests.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ObjectCollection, UserStatus } from '../src/api/types.js';
import { adminHandler } from './admin.js';
import { Faults, seededRandom, type ActiveFault, type FaultRule } from './faults.js';
import { RequestLog, type RequestLogEntry } from './log.js';
import { createOAuthApp, Tokens, type OAuthApp } from './oauth.js';
import type { SimRecord } from './records.js';
import {
  generateTemplates,
  SEED,
  seedEnvironments,
  seedRecords,
  type GeneratedTemplates,
  type SeedRecordInput,
} from './seed-data.js';
import {
  API_BASE,
  createSimServer,
  IMS_TOKEN_PATH,
  LEGACY_API_BASE,
  type ServerContext,
  type StaticCredentials,
} from './server.js';
import {
  ENV_KEYS,
  Store,
  type Counters,
  type EnvironmentInfo,
  type EnvKey,
  type Settings,
  type SimInstallation,
  type SimPackage,
} from './store.js';

export { SEED } from './seed-data.js';
export type { FaultRule, ActiveFault } from './faults.js';
export type { RequestLogEntry } from './log.js';
export type { EnvironmentInfo, EnvKey, Settings, SimPackage, SimInstallation } from './store.js';
export type { SimRecord } from './records.js';
export type { GeneratedTemplates, SeedRecordInput } from './seed-data.js';

export interface SimulatorOptions extends Partial<Settings> {
  /** 0 (the default) picks a free port. */
  ports?: Partial<Record<EnvKey | 'ims', number>>;
  /** Seed of the PRNG behind fault probabilities. */
  seed?: number;
  apiKey?: string;
  sessionId?: string;
  bearerToken?: string;
  /** Scopes the IMS client-credentials grant must ask for. */
  scopes?: string[];
  /** Load the default records (SEED); false starts with empty environments. */
  seedData?: boolean;
}

const DEFAULT_SETTINGS: Settings = {
  assemblyMs: 300,
  installMs: 500,
  completedWord: 'INSTALLED',
  installAnswerStatus: 202,
  environmentFormat: 'host',
  packageShape: 'current',
  tokenLifetimeSec: 3600,
  visibilityLagMs: 0,
  clockSkewMs: 0,
};

const ENVIRONMENT_NAMES: Record<EnvKey, { name: string; kind: EnvironmentInfo['kind'] }> = {
  production: { name: 'my', kind: 'production' },
  preview: { name: 'preview', kind: 'sandbox' },
  sandbox: { name: 'sb01', kind: 'sandbox' },
};

export interface MakePackageSpec {
  name?: string;
  description?: string;
  /** The environment assembled from (default preview). */
  env?: EnvKey;
  objectCollections: ObjectCollection[];
  /** Default DRAFT; UNASSEMBLED skips assembly. */
  status?: UserStatus | 'UNASSEMBLED';
}

export interface SimulatorControl {
  /** Adds a rule; answers its id. */
  addFault(rule: FaultRule): number;
  clearFaults(): void;
  faults(): readonly ActiveFault[];
  setOption<K extends keyof Settings>(key: K, value: Settings[K]): void;
  /** Every OAuth2 access token stops working (401). */
  revokeTokens(): void;
  seedRecords(env: EnvKey, objCode: string, records: SeedRecordInput[]): SimRecord[];
  /** Big data sets: `count` templates of `tasksPerTemplate` tasks in `env`. */
  generateTemplates(
    env: EnvKey,
    count: number,
    tasksPerTemplate: number,
    namePrefix?: string,
  ): GeneratedTemplates;
  /** A package assembled at once, in the given status; answers it (the store's live object). */
  makePackage(spec: MakePackageSpec): SimPackage;
  clearLog(): void;
}

/** Read-only access to the state, for assertions. */
export interface SimulatorStore {
  packages(): SimPackage[];
  package(id: string): SimPackage | undefined;
  installations(): SimInstallation[];
  installation(id: string): SimInstallation | undefined;
  record(env: EnvKey, objCode: string, id: string): SimRecord | undefined;
  findByName(env: EnvKey, objCode: string, name: string): SimRecord | undefined;
  records(env: EnvKey, objCode: string): SimRecord[];
  recordCount(env: EnvKey): number;
}

export interface SimulatorCounts extends Counters {
  /** Requests logged (admin endpoints excluded). */
  requests: number;
  /** Names of packages created more than once. */
  duplicatePackageNames: string[];
  /** `packageId@host` targets that had more than one installation started. */
  repeatedInstallTargets: string[];
}

export interface Simulator {
  environments: Record<EnvKey, EnvironmentInfo>;
  imsTokenUrl: string;
  credentials: StaticCredentials & { oauth: OAuthApp };
  control: SimulatorControl;
  /** Live request log. */
  log: readonly RequestLogEntry[];
  counts(): SimulatorCounts;
  store: SimulatorStore;
  settings: Readonly<Settings>;
  stop(): Promise<void>;
}

/**
 * Idle keep-alive connections stay open longer than any client keeps them (Node's agent 5 s, undici 4 s): the
 * client always closes first. With Node's default (5 s) the server could close a connection just as a client
 * reused it, and on a busy machine that reset requests the tests expected to go through.
 */
const KEEP_ALIVE_MS = 65_000;

function listen(server: Server, port: number): Promise<number> {
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const settings: Settings = { ...DEFAULT_SETTINGS };
  for (const field of Object.keys(DEFAULT_SETTINGS) as Array<keyof Settings>)
    if (options[field] !== undefined) Object.assign(settings, { [field]: options[field] });
  const oauth = createOAuthApp(
    SEED.customerId,
    SEED.userId,
    options.scopes ?? ['openid', 'AdobeID', 'additional_info.projectedProductContext'],
  );
  const credentials: StaticCredentials = {
    apiKey: options.apiKey ?? 'sim-api-key-0123456789abcdef',
    sessionId: options.sessionId ?? 'sim-session-0123456789abcdef',
    bearerToken: options.bearerToken ?? 'sim-bearer-0123456789abcdef',
  };
  const infos = ENV_KEYS.map((key): EnvironmentInfo => ({
    key,
    ...ENVIRONMENT_NAMES[key],
    url: '',
    host: '',
    apiBase: '',
    legacyApiBase: '',
  }));
  const store = new Store(settings, { customerId: SEED.customerId, userId: SEED.userId }, infos);
  const tables = {
    production: store.env('production').records,
    preview: store.env('preview').records,
    sandbox: store.env('sandbox').records,
  };
  if (options.seedData !== false) seedEnvironments(tables);
  const faults = new Faults(seededRandom(options.seed ?? 1));
  const tokens = new Tokens(oauth, () => settings.tokenLifetimeSec);
  const log = new RequestLog();

  const control: SimulatorControl = {
    addFault: (rule) => faults.add(rule),
    clearFaults: () => faults.clear(),
    faults: () => faults.list(),
    setOption: (key, value) => {
      if (!(key in DEFAULT_SETTINGS)) throw new Error(`unknown option ${String(key)}`);
      settings[key] = value;
    },
    revokeTokens: () => tokens.revokeAll(),
    seedRecords: (env, objCode, records) => seedRecords(tables[env], objCode, records),
    generateTemplates: (env, count, tasksPerTemplate, namePrefix) =>
      generateTemplates(tables[env], count, tasksPerTemplate, namePrefix),
    makePackage: (spec) =>
      store.makePackage(
        {
          name: spec.name ?? 'Simulator package',
          description: spec.description ?? null,
          source: store.env(spec.env ?? 'preview').info.url,
          objectCollections: spec.objectCollections,
        },
        spec.env ?? 'preview',
        spec.status ?? 'DRAFT',
      ),
    clearLog: () => log.clear(),
  };

  const counts = (): SimulatorCounts => {
    const { counters } = store;
    const repeated = (record: Record<string, number>) =>
      Object.entries(record)
        .filter(([, count]) => count > 1)
        .map(([name]) => name);
    return {
      ...counters,
      packagesByName: { ...counters.packagesByName },
      installationsByTarget: { ...counters.installationsByTarget },
      requests: log.entries.length,
      duplicatePackageNames: repeated(counters.packagesByName),
      repeatedInstallTargets: repeated(counters.installationsByTarget),
    };
  };

  const environments = {} as Record<EnvKey, EnvironmentInfo>;
  const context: ServerContext = {
    store,
    tokens,
    faults,
    log,
    credentials,
    admin: adminHandler({ control, counts, store, log, environments, settings, faults }),
  };
  const servers: Server[] = [];
  try {
    for (const info of infos) {
      const server = createSimServer(context, info.key);
      servers.push(server);
      const port = await listen(server, options.ports?.[info.key] ?? 0);
      Object.assign(info, {
        url: `http://127.0.0.1:${port}`,
        host: `127.0.0.1:${port}`,
        apiBase: `http://127.0.0.1:${port}${API_BASE}`,
        legacyApiBase: `http://127.0.0.1:${port}${LEGACY_API_BASE}`,
      });
      environments[info.key] = info;
    }
    const imsServer = createSimServer(context, 'ims');
    servers.push(imsServer);
    const imsPort = await listen(imsServer, options.ports?.ims ?? 0);

    const storeView: SimulatorStore = {
      packages: () => [...store.packages.values()],
      package: (id) => store.packages.get(id),
      installations: () => [...store.installations.values()],
      installation: (id) => store.installations.get(id),
      record: (env, objCode, id) => tables[env].get(objCode, id),
      findByName: (env, objCode, name) => tables[env].findByName(objCode, name),
      records: (env, objCode) => tables[env].all(objCode),
      recordCount: (env) => tables[env].count(),
    };
    return {
      environments,
      imsTokenUrl: `http://127.0.0.1:${imsPort}${IMS_TOKEN_PATH}`,
      credentials: { ...credentials, oauth },
      control,
      log: log.entries,
      counts,
      store: storeView,
      settings,
      stop: async () => {
        store.dispose();
        await Promise.all(servers.map(close));
      },
    };
  } catch (error) {
    store.dispose();
    await Promise.all(servers.filter((server) => server.listening).map(close));
    throw error;
  }
}
