// Machine-to-machine OAuth2: Workfront's JWT exchange (token_type "sessionID", sent as the `sessionID` header)
// and Adobe IMS client credentials (sent as `Authorization: Bearer`). Tokens expire and can be revoked.
import { generateKeyPairSync, randomBytes, verify } from 'node:crypto';
import { OAuthError } from './errors.js';

/** The registered application: what Setup → OAuth2 Applications (or the Developer Console) shows. */
export interface OAuthApp {
  clientId: string;
  clientSecret: string;
  /** PKCS#8 PEM of the application's key pair, for tests to sign JWTs with. */
  privateKeyPem: string;
  publicKeyPem: string;
  customerId: string;
  userId: string;
  /** Scopes an IMS client-credentials request must ask for. */
  scopes: string[];
}

export function createOAuthApp(customerId: string, userId: string, scopes: string[]): OAuthApp {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return {
    clientId: `sim-client-${randomBytes(8).toString('hex')}`,
    clientSecret: `sim-secret-${randomBytes(16).toString('hex')}`,
    privateKeyPem: privateKey,
    publicKeyPem: publicKey,
    customerId,
    userId,
    scopes,
  };
}

export type TokenCheck = 'valid' | 'expired' | 'unknown';

interface IssuedToken {
  header: 'sessionID' | 'bearer';
  /** JWT-exchange tokens are a session of the environment that issued them; IMS tokens work everywhere. */
  env?: string;
  expiresAt: number;
}

/** Longest JWT lifetime accepted, plus a little clock skew. */
const MAX_JWT_AHEAD_SEC = 3600 + 30;

function required(form: URLSearchParams, names: string[]): string[] {
  const missing = names.filter((name) => !form.get(name));
  if (missing.length)
    throw new OAuthError(400, 'invalid_request', `missing parameter: ${missing.join(', ')}`);
  return names.map((name) => form.get(name) as string);
}

function decodeJson(part: string, what: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (typeof value === 'object' && value !== null) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new OAuthError(400, 'invalid_grant', `the JWT's ${what} is not base64url-encoded JSON`);
}

export class Tokens {
  private readonly issued = new Map<string, IssuedToken>();

  constructor(
    readonly app: OAuthApp,
    private readonly lifetimeSec: () => number,
  ) {}

  private checkClient(clientId: string, clientSecret: string): void {
    if (clientId !== this.app.clientId || clientSecret !== this.app.clientSecret)
      throw new OAuthError(
        401,
        'invalid_client',
        'client authentication failed: unknown client or wrong secret',
      );
  }

  private issue(header: IssuedToken['header'], env?: string): { token: string; expiresIn: number } {
    const expiresIn = this.lifetimeSec();
    const token = randomBytes(24).toString('base64url');
    this.issued.set(token, { header, env, expiresAt: Date.now() + expiresIn * 1000 });
    return { token, expiresIn };
  }

  /** `POST /integrations/oauth2/api/v1/jwt/exchange` on environment `env`. */
  exchangeJwt(form: URLSearchParams, env: string): Record<string, unknown> {
    const [clientId, clientSecret, jwt] = required(form, ['client_id', 'client_secret', 'jwt_token']);
    this.checkClient(clientId, clientSecret);
    const parts = jwt.split('.');
    if (parts.length !== 3) throw new OAuthError(400, 'invalid_grant', 'jwt_token is not a JWT');
    const header = decodeJson(parts[0], 'header');
    if (header.alg !== 'RS256') throw new OAuthError(400, 'invalid_grant', 'the JWT must be signed RS256');
    const signed = verify(
      'RSA-SHA256',
      Buffer.from(`${parts[0]}.${parts[1]}`),
      this.app.publicKeyPem,
      Buffer.from(parts[2], 'base64url'),
    );
    if (!signed)
      throw new OAuthError(400, 'invalid_grant', "the JWT's signature does not match the application's key");
    const claims = decodeJson(parts[1], 'payload');
    if (claims.iss !== this.app.customerId)
      throw new OAuthError(400, 'invalid_grant', 'iss must be the customer id of the application');
    if (claims.sub !== this.app.userId)
      throw new OAuthError(400, 'invalid_grant', 'sub must be the id of a user');
    const now = Date.now() / 1000;
    if (typeof claims.exp !== 'number') throw new OAuthError(400, 'invalid_grant', 'exp is required');
    if (claims.exp <= now) throw new OAuthError(400, 'invalid_grant', 'the JWT has expired');
    if (claims.exp > now + MAX_JWT_AHEAD_SEC)
      throw new OAuthError(400, 'invalid_grant', 'exp must not be more than one hour ahead');
    const { token, expiresIn } = this.issue('sessionID', env);
    return {
      access_token: token,
      refresh_token: randomBytes(24).toString('base64url'),
      expires_in: expiresIn,
      token_type: 'sessionID',
    };
  }

  /** `POST /ims/token/v3`: client credentials with the configured scopes. */
  clientCredentials(form: URLSearchParams): Record<string, unknown> {
    const [grantType, clientId, clientSecret, scope] = required(form, [
      'grant_type',
      'client_id',
      'client_secret',
      'scope',
    ]);
    if (grantType !== 'client_credentials')
      throw new OAuthError(400, 'unsupported_grant_type', `grant_type ${grantType} is not supported`);
    this.checkClient(clientId, clientSecret);
    const asked = new Set(scope.split(',').map((item) => item.trim()));
    const missing = this.app.scopes.filter((item) => !asked.has(item));
    if (missing.length)
      throw new OAuthError(
        400,
        'invalid_scope',
        `the credential's scopes are required; missing: ${missing.join(', ')}`,
      );
    const { token, expiresIn } = this.issue('bearer');
    return { access_token: token, token_type: 'bearer', expires_in: expiresIn };
  }

  check(token: string, header: IssuedToken['header'], env: string): TokenCheck {
    const issued = this.issued.get(token);
    if (!issued || issued.header !== header || (issued.env !== undefined && issued.env !== env))
      return 'unknown';
    return issued.expiresAt > Date.now() ? 'valid' : 'expired';
  }

  revokeAll(): void {
    this.issued.clear();
  }
}
