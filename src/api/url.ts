// Where the API lives, from the `url` input: the contract's rules, and what to do with the addresses people copy
// from their browser instead (a page of the UI, the core API, a path below the API base).

export const API_PATH = '/environment-promotion/api/v1';
export const LEGACY_API_PATH = '/environment-promotion/v1';

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

export const TENANT_HOST_HELP =
  "your Workfront environment's own host, https://{domain}.my.workfront.com for production ({domain}.preview.workfront.com or {domain}.sbNN.workfront.com for a sandbox); {domain} is shown in Workfront under Setup → System → Customer Info";

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.test(hostname);
}

export interface ApiBase {
  /** e.g. `https://acme.my.workfront.com/environment-promotion/api/v1`, no trailing slash. */
  base: string;
  /** `https://acme.my.workfront.com` */
  origin: string;
  /** lower-case host with port, as the API names an environment. */
  host: string;
  /** The older revision (`…/environment-promotion/v1`): Bearer tokens, `packageName`. */
  legacy: boolean;
  /**
   * Set when the URL given was not an environment or API URL but could be read as one: why, and the value to
   * give instead (the caller warns with it).
   */
  adjusted?: { given: string; reason: string; use: string };
}

/** A URL as it may be shown: no user name, password, query or fragment (they may hold secrets). */
export function showUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/** Text that did not parse as a URL, shown without anything that looks like `user:password@`. */
function showRaw(raw: string): string {
  return raw
    .trim()
    .replace(/^([a-z][\w+.-]*:\/*)?[^/@\s]*@/i, '$1…@')
    .slice(0, 200);
}

/** Parses `url`; throws an Error whose message says what is wrong (the caller names the input). */
export function resolveApiBase(raw: string): ApiBase {
  let parsed: URL;
  try {
    parsed = new URL(raw.trim());
  } catch {
    throw new Error(`"${showRaw(raw)}" is not a URL; expected https://{domain}.{environment}.workfront.com`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new Error(`scheme ${parsed.protocol} is not supported; use https://`);
  }
  if (parsed.username || parsed.password) {
    throw new Error(
      'a user name or password in the URL is refused (it would travel with every request and show in logs); use the api-key, session-id or OAuth2 inputs',
    );
  }
  if (parsed.protocol === 'http:' && !isLoopbackHost(parsed.hostname)) {
    throw new Error(
      `http:// is refused for ${parsed.hostname}: credentials would travel unencrypted; use https://`,
    );
  }
  if (EXPERIENCE_CLOUD_HOST.test(parsed.hostname)) {
    throw new Error(
      `${parsed.origin} is Adobe Experience Cloud's address for Workfront in the browser, not an address of the API; use ${TENANT_HOST_HELP}`,
    );
  }
  const path = parsed.pathname.replace(/\/+$/, '');
  const read = readPath(path, WORKFRONT_HOST.test(parsed.hostname));
  if (!read.reason && (parsed.search || parsed.hash)) {
    throw new Error('a query string or fragment is not expected; give the environment URL only');
  }
  const base = `${parsed.origin}${read.base}`;
  const legacy = read.base.endsWith(LEGACY_API_PATH);
  const api: ApiBase = { base, origin: parsed.origin, host: parsed.host.toLowerCase(), legacy };
  if (read.reason) {
    // The environment URL is the value to give, unless only the older API revision's path says which API to use.
    const use = legacy ? base : `${parsed.origin}${read.base.slice(0, -API_PATH.length)}`;
    api.adjusted = { given: showUrl(parsed), reason: read.reason, use };
  }
  return api;
}

/** The API base path for a URL path, and why it differs from the contract's rule when it does. */
function readPath(path: string, workfrontHost: boolean): { base: string; reason?: string } {
  const promotion = path.indexOf('/environment-promotion');
  if (promotion !== -1) {
    const prefix = path.slice(0, promotion);
    const rest = path.slice(promotion + '/environment-promotion'.length);
    if (rest === '/api/v1' || rest === '/v1') return { base: path };
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
