// Fault injection: rules matched against each request, in the order they were added; the first match applies.

export const FAULT_KINDS = [
  /** Wait `delayMs`, then answer normally. */
  'latency',
  /** Answer `status` (500, 502, 503, 504…; default 500) with an error body; `retryAfter` adds the header. */
  'error',
  /** Answer 429 with `Retry-After: retryAfter` (seconds, default 1). */
  'rate-limit',
  /** Destroy the socket without answering. */
  'drop',
  /** Answer a body that is not JSON, under `Content-Type: application/json`. */
  'malformed',
  /** Announce the whole body's length, send half of it, then close the connection. */
  'truncated',
  /** Keep the connection open without answering; close it after `delayMs` when given. */
  'hang',
  /** The assembly this request starts (POST/PATCH packages) takes `delayMs` longer. */
  'slow-assembly',
  /** The installation this request starts takes `delayMs` longer. */
  'slow-install',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultRule {
  /** HTTP method; any when missing. */
  method?: string;
  /**
   * The path after the API base (`/packages`, `/installations/…/install`), either base; a string matches as a
   * prefix, a RegExp anywhere. Token endpoints are matched on their whole path (`/ims/token/v3`).
   */
  path?: string | RegExp;
  /** `production`, `preview`, `sandbox`, or `ims` for the IMS token server; any when missing. */
  env?: string;
  kind: FaultKind;
  status?: number;
  retryAfter?: number;
  delayMs?: number;
  /** Applies this many times, then the rule is removed. */
  times?: number;
  /** Chance (0–1) that a matching request is hit, drawn from the simulator's seeded PRNG. */
  probability?: number;
  /**
   * `respond`: the request is processed (a POST lands), then its answer is delayed, replaced, garbled or
   * dropped. Default: the fault replaces the processing.
   */
  after?: 'respond';
}

export interface ActiveFault extends FaultRule {
  id: number;
  /** How many requests it has hit. */
  hits: number;
}

/** mulberry32: small, fast, and the same sequence for the same seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Checks a rule given programmatically or as JSON (`path` a prefix, `pathPattern` a RegExp source). */
export function parseFaultRule(raw: unknown): FaultRule {
  if (typeof raw !== 'object' || raw === null) throw new Error('a fault rule must be an object');
  const rule = { ...(raw as Record<string, unknown>) };
  if (typeof rule.pathPattern === 'string') rule.path = new RegExp(rule.pathPattern);
  delete rule.pathPattern;
  if (!FAULT_KINDS.includes(rule.kind as FaultKind))
    throw new Error(`kind must be one of ${FAULT_KINDS.join(', ')}`);
  for (const field of ['status', 'retryAfter', 'delayMs', 'times', 'probability'])
    if (rule[field] !== undefined && (typeof rule[field] !== 'number' || (rule[field] as number) < 0))
      throw new Error(`${field} must be a non-negative number`);
  for (const field of ['method', 'env'])
    if (rule[field] !== undefined && typeof rule[field] !== 'string')
      throw new Error(`${field} must be a string`);
  if (rule.path !== undefined && typeof rule.path !== 'string' && !(rule.path instanceof RegExp))
    throw new Error('path must be a string prefix (or pathPattern a regular expression)');
  if (rule.after !== undefined && rule.after !== 'respond') throw new Error('after must be "respond"');
  return rule as unknown as FaultRule;
}

export class Faults {
  private rules: ActiveFault[] = [];
  private nextId = 1;

  constructor(private readonly random: () => number) {}

  add(rule: FaultRule): number {
    const id = this.nextId++;
    this.rules.push({ ...parseFaultRule(rule), id, hits: 0 });
    return id;
  }

  clear(): void {
    this.rules = [];
  }

  list(): readonly ActiveFault[] {
    return this.rules;
  }

  /** The rule hitting this request, if any; counts the hit and retires a rule whose `times` are used up. */
  pick(env: string, method: string, path: string): ActiveFault | undefined {
    const rule = this.rules.find(
      (candidate) =>
        (candidate.env === undefined || candidate.env === env) &&
        (candidate.method === undefined || candidate.method.toUpperCase() === method) &&
        (candidate.path === undefined ||
          (typeof candidate.path === 'string'
            ? path.startsWith(candidate.path)
            : candidate.path.test(path))) &&
        (candidate.probability === undefined || this.random() < candidate.probability),
    );
    if (!rule) return undefined;
    rule.hits++;
    if (rule.times !== undefined && rule.hits >= rule.times)
      this.rules = this.rules.filter((r) => r !== rule);
    return rule;
  }
}
