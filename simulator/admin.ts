// Admin endpoints under /__simulator on every host: what tests and demos outside the Node process use.
import { isObject } from './bodies.js';
import { ApiError } from './errors.js';
import { parseFaultRule, type ActiveFault, type FaultRule, type Faults } from './faults.js';
import type { RequestLog } from './log.js';
import type { Reply } from './routes.js';
import type { Counters, EnvironmentInfo, EnvKey, Settings, Store } from './store.js';

/**
 * The part of the simulator's control the endpoints drive. Declared here, not imported from index.ts (whose
 * SimulatorControl fits it), so that the two modules do not import each other.
 */
export interface AdminControl {
  addFault(rule: FaultRule): number;
  clearFaults(): void;
  faults(): readonly ActiveFault[];
  setOption<K extends keyof Settings>(key: K, value: Settings[K]): void;
  revokeTokens(): void;
  clearLog(): void;
}

export interface AdminDeps {
  control: AdminControl;
  counts(): Counters;
  store: Store;
  log: RequestLog;
  environments: Record<EnvKey, EnvironmentInfo>;
  settings: Settings;
  faults: Faults;
}

/** A rule as JSON shows it: a RegExp path as its source text. */
function showFault(fault: ActiveFault): Record<string, unknown> {
  return fault.path instanceof RegExp
    ? { ...fault, path: undefined, pathPattern: fault.path.source }
    : { ...fault };
}

function toRule(body: unknown) {
  try {
    return parseFaultRule(body);
  } catch (error) {
    throw new ApiError(400, `Invalid fault rule: ${(error as Error).message}`);
  }
}

export function adminHandler(deps: AdminDeps) {
  const { control, store, log, settings } = deps;
  const state = () => ({
    environments: deps.environments,
    settings: {
      ...settings,
      installMs: typeof settings.installMs === 'function' ? 'function' : settings.installMs,
    },
    counts: deps.counts(),
    faults: control.faults().map(showFault),
    packages: [...store.packages.values()].map((pkg) => ({
      id: pkg.id,
      name: pkg.name,
      status: pkg.status,
      version: pkg.version,
      sourceEnv: pkg.sourceEnv,
      records: store.recordCount(pkg),
    })),
    installations: [...store.installations.values()].map((installation) => ({
      id: installation.id,
      packageId: installation.packageId,
      env: installation.env,
      status: installation.status,
    })),
    records: Object.fromEntries([...store.environments].map(([key, env]) => [key, env.records.count()])),
  });

  return (method: string, path: string, query: URLSearchParams, body: unknown): Reply => {
    switch (`${method} ${path}`) {
      case 'GET /state':
        return { status: 200, body: state() };
      case 'GET /log': {
        const since = Number(query.get('since') ?? 0);
        return { status: 200, body: log.entries.filter((entry) => entry.seq > since) };
      }
      case 'DELETE /log':
        control.clearLog();
        return { status: 200, body: { cleared: true } };
      case 'GET /faults':
        return { status: 200, body: control.faults().map(showFault) };
      case 'POST /faults':
        return { status: 201, body: { id: control.addFault(toRule(body)) } };
      case 'DELETE /faults':
        control.clearFaults();
        return { status: 200, body: { cleared: true } };
      case 'POST /options': {
        if (!isObject(body)) throw new ApiError(400, 'expected {option: value, …}');
        for (const [key, value] of Object.entries(body)) {
          if (!(key in settings))
            throw new ApiError(400, `unknown option ${key}; one of ${Object.keys(settings).join(', ')}`);
          control.setOption(key as keyof Settings, value as never);
        }
        return { status: 200, body: state().settings };
      }
      case 'POST /tokens/revoke':
        control.revokeTokens();
        return { status: 200, body: { revoked: true } };
      default:
        throw new ApiError(404, `No admin endpoint ${method} /__simulator${path}`);
    }
  };
}
