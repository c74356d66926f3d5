// Credentials on every request: static headers, or access tokens from Workfront's JWT flow or Adobe IMS,
// renewed before they expire and once when the API answers 401.
import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import type { Authenticator } from './authenticator.js';
import { WorkfrontError } from './errors.js';
import type { Call, Transport } from './http.js';
import { isRecord, ShapeError, type Body } from './parse.js';

export type { Authenticator } from './authenticator.js';

/** The credential forms of the action's inputs (see ACTION.md, Authentication). */
export type Credential =
  | { kind: 'api-key'; apiKey: string }
  | { kind: 'session-id'; sessionId: string }
  | { kind: 'bearer-token'; token: string }
  | {
      kind: 'workfront-jwt';
      clientId: string;
      clientSecret: string;
      privateKey: string;
      customerId: string;
      userId: string;
      tokenUrl: string;
    }
  | { kind: 'adobe-ims'; clientId: string; clientSecret: string; scopes: string[]; tokenUrl: string };

export const DEFAULT_IMS_TOKEN_URL = 'https://ims-na1.adobelogin.com/ims/token/v3';
export const JWT_EXCHANGE_PATH = '/integrations/oauth2/api/v1/jwt/exchange';

/** The JWT exchanged for a token lives this long; Workfront accepts at most an hour. */
const JWT_LIFETIME_S = 300;
/** Renew this share of a token's lifetime before it ends, at most MAX_RENEW_MARGIN_MS. */
const RENEW_SHARE = 0.2;
const MAX_RENEW_MARGIN_MS = 5 * 60_000;
/** IMS v2 answered `expires_in` in milliseconds, v3 in seconds: no token lives ten days. */
const SECONDS_LIMIT = 10 * 24 * 3600;

export interface AuthenticatorOptions {
  transport: Transport;
  /** Called with every secret and token as soon as it exists (the action masks it in the log). */
  secret: (value: string) => void;
  now: () => number;
}

export function createAuthenticator(credential: Credential, options: AuthenticatorOptions): Authenticator {
  switch (credential.kind) {
    case 'api-key':
      return staticAuthenticator({ apikey: credential.apiKey }, options.secret);
    case 'session-id':
      return staticAuthenticator({ sessionID: credential.sessionId }, options.secret);
    case 'bearer-token':
      return staticAuthenticator(
        { Authorization: `Bearer ${credential.token}` },
        options.secret,
        credential.token,
      );
    case 'workfront-jwt':
      return workfrontJwt(credential, options);
    case 'adobe-ims':
      return adobeIms(credential, options);
  }
}

function staticAuthenticator(
  headers: Record<string, string>,
  secret: (value: string) => void,
  ...secrets: string[]
): Authenticator {
  for (const value of [...Object.values(headers), ...secrets]) secret(value);
  return { headers: async () => headers };
}

interface TokenAnswer {
  accessToken: string;
  expiresInMs?: number;
}

/** Holds one token; concurrent requests share a renewal in flight. */
class TokenAuthenticator implements Authenticator {
  private token?: { value: string; renewAt: number };
  private pending?: Promise<string>;

  constructor(
    private readonly obtain: () => Promise<TokenAnswer>,
    private readonly toHeaders: (token: string) => Record<string, string>,
    private readonly now: () => number,
  ) {}

  async headers(): Promise<Record<string, string>> {
    const token = this.token && this.now() < this.token.renewAt ? this.token.value : await this.refresh();
    return this.toHeaders(token);
  }

  async renew(): Promise<boolean> {
    await this.refresh();
    return true;
  }

  private refresh(): Promise<string> {
    this.pending ??= this.obtain()
      .then(({ accessToken, expiresInMs }) => {
        const margin =
          expiresInMs === undefined ? 0 : Math.min(MAX_RENEW_MARGIN_MS, expiresInMs * RENEW_SHARE);
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

function workfrontJwt(
  c: Extract<Credential, { kind: 'workfront-jwt' }>,
  options: AuthenticatorOptions,
): Authenticator {
  options.secret(c.clientSecret);
  options.secret(c.privateKey);
  const key = loadPrivateKey(c.privateKey, c.tokenUrl);
  return new TokenAuthenticator(
    () => {
      const iat = Math.floor(options.now() / 1000);
      const jwt = signJwt({ iss: c.customerId, sub: c.userId, iat, exp: iat + JWT_LIFETIME_S }, key);
      options.secret(jwt);
      return requestToken(options, c.tokenUrl, {
        client_id: c.clientId,
        client_secret: c.clientSecret,
        jwt_token: jwt,
      });
    },
    (token) => ({ sessionID: token }),
    options.now,
  );
}

function adobeIms(
  c: Extract<Credential, { kind: 'adobe-ims' }>,
  options: AuthenticatorOptions,
): Authenticator {
  options.secret(c.clientSecret);
  const form = {
    grant_type: 'client_credentials',
    client_id: c.clientId,
    client_secret: c.clientSecret,
    scope: c.scopes.join(','),
  };
  return new TokenAuthenticator(
    () => requestToken(options, c.tokenUrl, form),
    (token) => ({ Authorization: `Bearer ${token}` }),
    options.now,
  );
}

/** POSTs a form to a token endpoint, retried like any call (a token request is harmless to repeat). */
function requestToken(options: AuthenticatorOptions, tokenUrl: string, form: Record<string, string>) {
  const url = new URL(tokenUrl);
  const call: Call<TokenAnswer> = {
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
function parseToken(body: Body, secret: (value: string) => void): TokenAnswer {
  const value = body.type === 'json' ? body.value : undefined;
  if (!isRecord(value) || typeof value.access_token !== 'string' || value.access_token === '') {
    throw new ShapeError('a token answer with "access_token"');
  }
  // A token goes into headers and into the runner's `::add-mask::` line: one that could break either is refused.
  if (!/^[\x21-\x7e]+$/.test(value.access_token) || /::|##\[/.test(value.access_token)) {
    throw new ShapeError('an "access_token" of printable characters, without spaces');
  }
  secret(value.access_token);
  if (typeof value.refresh_token === 'string') secret(value.refresh_token);
  const expires = Number(value.expires_in);
  const expiresInMs = expires > 0 ? (expires > SECONDS_LIMIT ? expires : expires * 1000) : undefined;
  return { accessToken: value.access_token, expiresInMs };
}

/** A compact JWS, RS256. */
function signJwt(claims: Record<string, unknown>, key: KeyObject): string {
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const signingInput = `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode(claims)}`;
  return `${signingInput}.${sign('sha256', Buffer.from(signingInput), key).toString('base64url')}`;
}

/** Why a PEM text is not a usable RS256 private key, or undefined when it is; never echoes the key. */
export function checkPrivateKey(pem: string): string | undefined {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    return 'it does not parse as a PEM private key (-----BEGIN PRIVATE KEY----- …)';
  }
  return key.asymmetricKeyType === 'rsa'
    ? undefined
    : `RS256 needs an RSA key, this is ${key.asymmetricKeyType}`;
}

function loadPrivateKey(pem: string, tokenUrl: string): KeyObject {
  const problem = checkPrivateKey(pem);
  if (problem) {
    const summary = `was not sent: private-key: ${problem}`;
    throw new WorkfrontError({ kind: 'input', method: 'POST', path: tokenUrl.split('?')[0], summary });
  }
  return createPrivateKey(pem);
}
