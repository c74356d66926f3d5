// Workfront's core API (`{origin}/attask/api/{version}/…`), for names: search by name, count, read one by id.
// Same transport as the promotion client (retries, timeouts, proxy, redaction), same credential headers: the
// API key travels as a header, never as the `apiKey` query parameter, which leaks into logs and proxies.
import type { Authenticator } from './auth.js';
import { WorkfrontError, type ErrorKind } from './errors.js';
import type { Endpoint } from './hints.js';
import { HINTS } from './hints.js';
import type { Transport } from './http.js';
// Ids the client puts into a path, and accepts from an answer: the action's one id pattern.
import { ID_PATTERN } from '../text.js';
import { isRecord, ShapeError, unwrap, type Body } from './parse.js';

export const DEFAULT_CORE_API_VERSION = 'v21.0';
/** The platform caps concurrent requests per customer (formerly 10): names are resolved this many at a time. */
export const CORE_CONCURRENCY = 4;
/** URIs through the vendor's CDN are capped at 8,892 bytes. */
const MAX_URI_BYTES = 8_892;

/** `eq` exact, `cieq` exact ignoring case, `contains` / `cicontains` a part of the name. */
export type NameMode = 'eq' | 'cieq' | 'contains' | 'cicontains';

export interface CoreObject {
  ID: string;
  name?: string;
  objCode?: string;
}

export interface SearchOptions {
  mode?: NameMode;
  /** `$$LIMIT`: the API's default is 100, at most 2000. */
  limit?: number;
  /** `$$FIRST`: the first result to answer, for paging (sorted by ID). */
  first?: number;
}

export interface CoreApi {
  /** `https://acme.my.workfront.com` */
  readonly origin: string;
  /** Lower-case host with port, as messages name the environment. */
  readonly host: string;
  readonly version: string;
  /** Objects of `objCode` whose name matches (`cieq` unless told): `fields=ID,name`. */
  search(objCode: string, name: string, options?: SearchOptions): Promise<CoreObject[]>;
  /** How many objects of `objCode` match. */
  count(objCode: string, name: string, mode?: NameMode): Promise<number>;
  /** One object by id, or undefined when there is no such object of that objCode. */
  get(objCode: string, id: string): Promise<CoreObject | undefined>;
}

export interface CoreApiOptions {
  transport: Transport;
  auth: Authenticator;
  /** `https://acme.my.workfront.com`: the environment whose objects are looked at. */
  origin: string;
  version?: string;
}

const VERSION_PATTERN = /^v\d{1,3}\.\d{1,2}$/;
const OBJCODE = /^[A-Za-z][A-Za-z0-9]{1,15}$/;

/** The version as the path needs it (`21`, `21.0`, `v21` → `v21.0`), or undefined when it is none. */
export function normaliseCoreApiVersion(raw: string): string | undefined {
  const match = /^v?(\d{1,3})(?:\.(\d{1,2}))?$/i.exec(raw.trim());
  return match ? `v${match[1]}.${match[2] ?? '0'}` : undefined;
}

/** The objCode the core API knows an object by: a team is TEAMOB there. */
export function coreObjCode(objCode: string): string {
  const upper = objCode.toUpperCase();
  return upper === 'TEAM' ? 'TEAMOB' : upper;
}

/** `{"error": {"class", "message"}}`, possibly with `title`, `msgKey`, `code`; also under `data`. */
function apiErrorOf(value: unknown): { class?: string; message?: string } | undefined {
  const error = isRecord(value) ? value.error : undefined;
  if (!isRecord(error)) return undefined;
  const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v : undefined);
  return {
    class: text(error.class),
    message: text(error.message) ?? text(error.title) ?? text(error.msgKey),
  };
}

function kindOfClass(errorClass: string): ErrorKind {
  if (/NotFound/i.test(errorClass)) return 'not-found';
  if (/Authentication|Login|Session/i.test(errorClass)) return 'auth';
  if (/Forbidden|Security|Permission|Access/i.test(errorClass)) return 'forbidden';
  return 'input';
}

function toObject(value: unknown): CoreObject {
  if (!isRecord(value)) throw new ShapeError('an object {ID, name}');
  const id = value.ID ?? value.id;
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) throw new ShapeError('an object with a Workfront "ID"');
  const out: CoreObject = { ID: id };
  if (typeof value.name === 'string') out.name = value.name;
  if (typeof value.objCode === 'string') out.objCode = value.objCode;
  return out;
}

/** A list answer: `{data: [...]}`, a bare list, one object under `data`, or nothing. */
function parseObjects(body: Body): CoreObject[] {
  if (body.type === 'empty') return [];
  if (body.type !== 'json') throw new ShapeError('a JSON answer {"data": [...]}');
  const raw = body.value;
  if (isRecord(raw) && 'data' in raw && (raw.data === null || raw.data === undefined)) return [];
  const value = unwrap(raw);
  if (Array.isArray(value)) return value.map(toObject);
  if (isRecord(value) && Object.keys(value).length === 0) return [];
  return [toObject(value)];
}

/** One object: `{data: {...}}`, a bare object, a one-item list; none when the answer holds nothing. */
function parseObject(body: Body): CoreObject | undefined {
  return parseObjects(body)[0];
}

/** `{data: {count: N}}`, bare `{count: N}` (one vendor page shows it), or `{data: N}`. */
function parseCount(body: Body): number {
  const value = body.type === 'json' ? body.value : undefined;
  const inner = isRecord(value) && 'data' in value ? value.data : value;
  const raw = isRecord(inner) ? inner.count : inner;
  const count = typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : raw;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0)
    throw new ShapeError('a count {"data": {"count": N}}');
  return count;
}

class CoreClient implements CoreApi {
  readonly host: string;
  readonly version: string;

  constructor(
    private readonly transport: Transport,
    private readonly auth: Authenticator,
    readonly origin: string,
    version: string,
  ) {
    this.host = new URL(origin).host.toLowerCase();
    this.version = version;
  }

  search(objCode: string, name: string, options: SearchOptions = {}): Promise<CoreObject[]> {
    const query = new URLSearchParams({ name, name_Mod: options.mode ?? 'cieq', fields: 'ID,name' });
    if (options.first !== undefined) {
      query.set('$$FIRST', String(options.first));
      query.set('ID_Sort', 'asc');
    }
    if (options.limit !== undefined) query.set('$$LIMIT', String(options.limit));
    return this.call('coreSearch', objCode, '/search', query, parseObjects);
  }

  count(objCode: string, name: string, mode: NameMode = 'cieq'): Promise<number> {
    const query = new URLSearchParams({ name, name_Mod: mode });
    return this.call('coreCount', objCode, '/count', query, parseCount);
  }

  async get(objCode: string, id: string): Promise<CoreObject | undefined> {
    if (!ID_PATTERN.test(id)) return undefined; // no object has such an id; and it stays out of the path
    try {
      const found = await this.call(
        'coreGet',
        objCode,
        `/${encodeURIComponent(id)}`,
        new URLSearchParams({ fields: 'ID,name' }),
        parseObject,
      );
      return found;
    } catch (error) {
      // The API's own "no such object" (a 404 with its error body, or a 200 carrying a NotFound error), not a
      // bare 404 page or an unknown version or endpoint, which mean a wrong path.
      if (
        error instanceof WorkfrontError &&
        error.kind === 'not-found' &&
        error.apiMessage &&
        !/version|endpoint/i.test(error.apiMessage)
      )
        return undefined;
      throw error;
    }
  }

  private async call<T>(
    endpoint: Endpoint,
    objCode: string,
    suffix: string,
    query: URLSearchParams,
    parse: (body: Body) => T,
  ): Promise<T> {
    const path = `/attask/api/${this.version}/${coreObjCode(objCode)}${suffix}`;
    const fail = (kind: ErrorKind, summary: string, apiMessage?: string): never => {
      throw new WorkfrontError({ kind, method: 'GET', path, summary, apiMessage, hint: HINTS.coreApi });
    };
    if (!OBJCODE.test(objCode)) fail('input', `was not sent: "${objCode.slice(0, 40)}" is not an objCode`);
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
          fail(
            kindOfClass(error.class ?? ''),
            `answered with an error${error.class ? ` (${error.class.slice(0, 100)})` : ''}`,
            message ?? 'no message',
          );
        }
        return parse(body);
      },
    });
  }
}

export function createCoreApi(options: CoreApiOptions): CoreApi {
  const version = options.version ?? DEFAULT_CORE_API_VERSION;
  if (!VERSION_PATTERN.test(version)) throw new Error(`core API version "${version}" is not v{N}.0`);
  return new CoreClient(options.transport, options.auth, new URL(options.origin).origin, version);
}

/** Runs `fn` over `items`, at most `limit` at a time; the answers in the order of `items`. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < items.length && !failed) {
      const index = next++;
      try {
        results[index] = await fn(items[index]);
      } catch (error) {
        failed = true; // the others finish what they started, and start nothing new
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
