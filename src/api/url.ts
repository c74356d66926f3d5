// Where the API lives, from the `url` input: the contract's rules, nothing else.

export const API_PATH = '/environment-promotion/api/v1';
export const LEGACY_API_PATH = '/environment-promotion/v1';

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\]|::1)$/i;

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
}

/** Parses `url`; throws an Error whose message says what is wrong (the caller names the input). */
export function resolveApiBase(raw: string): ApiBase {
  let parsed: URL;
  try {
    parsed = new URL(raw.trim());
  } catch {
    throw new Error(`"${raw}" is not a URL; expected https://{domain}.{environment}.workfront.com`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new Error(`scheme ${parsed.protocol} is not supported; use https://`);
  }
  if (parsed.protocol === 'http:' && !isLoopbackHost(parsed.hostname)) {
    throw new Error(
      `http:// is refused for ${parsed.hostname}: credentials would travel unencrypted; use https://`,
    );
  }
  if (parsed.username || parsed.password) {
    throw new Error('credentials in the URL are refused; use the api-key, session-id or OAuth2 inputs');
  }
  if (parsed.search || parsed.hash) {
    throw new Error('a query string or fragment is not expected; give the environment URL only');
  }
  const path = parsed.pathname.replace(/\/+$/, '');
  const legacy = path.endsWith(LEGACY_API_PATH);
  // A URL already ending in an API base (`…/api/v1`, or the older `…/environment-promotion/v1`) is used as given.
  const given = legacy || path.endsWith('/api/v1');
  const base = given ? `${parsed.origin}${path}` : `${parsed.origin}${path}${API_PATH}`;
  return { base, origin: parsed.origin, host: parsed.host.toLowerCase(), legacy };
}
