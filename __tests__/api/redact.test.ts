import { describe, expect, it } from '@jest/globals';
import { HINTS, hintFor, hintForRecordFailure, Redactor, WorkfrontError } from '../../src/api/index.js';

describe('Redactor', () => {
  it('masks registered secrets anywhere, URL-encoded too, longest first', () => {
    const r = new Redactor();
    r.add('s3cr3t/+=value');
    r.add('s3cr3t');
    expect(r.redact('a s3cr3t/+=value b s3cr3t%2F%2B%3Dvalue c s3cr3t')).toBe('a *** b *** c ***');
  });

  it('masks a secret echoed in base64 too, padded or not, and base64url', () => {
    const r = new Redactor();
    const key = 'AbCdEfGh-1234567890~secret?';
    r.add(key);
    const b64 = Buffer.from(key).toString('base64');
    const echoed = `got ${b64} / ${b64.replace(/=+$/, '')} / ${Buffer.from(key).toString('base64url')}`;
    expect(r.redact(echoed)).toBe('got *** / *** / ***');
  });

  it('masks a PEM key line by line, but not its armour', () => {
    const r = new Redactor();
    r.add(
      '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nAAKCAQEAxyz123\n-----END PRIVATE KEY-----',
    );
    expect(r.redact('line MIIEvQIBADANBgkqhkiG9w0BAQEFAASC and AAKCAQEAxyz123')).toBe('line *** and ***');
    expect(r.redact('-----BEGIN PRIVATE KEY-----')).toBe('-----BEGIN PRIVATE KEY-----');
  });

  it('ignores empty and very short values that are no credentials', () => {
    const r = new Redactor();
    r.add('');
    r.add(undefined);
    r.add('ab');
    expect(r.redact('ab cd')).toBe('ab cd');
  });

  it('masks credential fields in JSON, forms and headers, and Bearer tokens, unregistered or not', () => {
    const r = new Redactor();
    expect(r.redact('{"access_token":"eyJ.x.y","refresh_token": "rt", "name":"n"}')).toBe(
      '{"access_token":"***","refresh_token": "***", "name":"n"}',
    );
    expect(r.redact('client_id=c&client_secret=abc&jwt_token=eyJ.a.b')).toBe(
      'client_id=c&client_secret=***&jwt_token=***',
    );
    expect(r.redact('apikey: k1 SessionID=s1')).toBe('apikey: *** SessionID=***');
    expect(r.redact('Authorization: Bearer abc.def')).toBe('Authorization: ***');
    expect(r.redact('sent Bearer abc.def')).toBe('sent Bearer ***');
  });

  it('masks credential headers whatever their case', () => {
    const r = new Redactor();
    r.add('tok-123456');
    expect(
      r.headers({
        APIKEY: 'k',
        sessionID: 's',
        Authorization: 'Bearer t',
        'X-Trace': 'has tok-123456',
        n: undefined,
      }),
    ).toEqual({ APIKEY: '***', sessionID: '***', Authorization: '***', 'X-Trace': 'has ***' });
  });

  it('cuts an excerpt only after redacting, so no part of a secret survives the cut', () => {
    const r = new Redactor();
    r.add('ABCDEFGHIJKLMNOP');
    expect(r.excerpt(`0123456789ABCDEFGHIJKLMNOP${'z'.repeat(50)}`, 12)).toBe('0123456789**…');
    expect(r.excerpt('short', 12)).toBe('short');
  });
});

describe('hints', () => {
  it.each([
    [{ endpoint: 'getPackage', status: 401 }, HINTS.credential],
    [{ endpoint: 'getPackage', status: 401, renewed: true }, HINTS.renewedTokenRefused],
    [{ endpoint: 'listPackages', status: 403 }, HINTS.adminRights],
    [{ endpoint: 'deletePackage', status: 404 }, HINTS.packageId],
    [{ endpoint: 'installInstallation', status: 404 }, HINTS.installationId],
    [
      { endpoint: 'updatePackage', status: 404, undocumented: true },
      `${HINTS.packageId}; or ${HINTS.undocumented}`,
    ],
    [{ endpoint: 'getDefinition', status: 405, undocumented: true }, HINTS.undocumented],
    [{ endpoint: 'getPackage', status: 405 }, HINTS.methodNotAllowed],
    [{ endpoint: 'installInstallation', status: 400 }, HINTS.installRefused],
    [{ endpoint: 'installPackage', status: 400 }, `${HINTS.installRefused}; ${HINTS.translationMapRefused}`],
    [{ endpoint: 'installPackage', status: 429 }, HINTS.rateLimited],
    [
      { endpoint: 'prepareInstallation', status: 400, apiMessage: 'package is UNASSEMBLED' },
      HINTS.unassembled,
    ],
    [{ endpoint: 'updatePackage', status: 409 }, HINTS.statusChange],
    [{ endpoint: 'getPackage', status: 409 }, HINTS.conflict],
    [{ endpoint: 'createPackage', status: 400 }, HINTS.createRefused],
    [{ endpoint: 'getPackage', status: 408 }, HINTS.timeout],
    [{ endpoint: 'getPackage', status: 500 }, HINTS.serverError],
    [{ endpoint: 'getPackage', status: 301 }, HINTS.redirect],
    [{ endpoint: 'token', status: 400, tokenError: 'invalid_client' }, HINTS.tokenClient],
    [{ endpoint: 'token', status: 400, tokenError: 'invalid_scope' }, HINTS.tokenScope],
    [{ endpoint: 'token', status: 400, tokenError: 'invalid_grant' }, HINTS.tokenJwt],
    [{ endpoint: 'token', status: 404 }, HINTS.tokenUrl],
    [{ endpoint: 'token', status: 503 }, HINTS.serverError],
  ] as const)('%j → its hint', (context, hint) => {
    expect(hintFor(context)).toBe(hint);
  });

  it('has no hint for a status nothing is known about', () => {
    expect(hintFor({ endpoint: 'getPackage', status: 418 })).toBeUndefined();
  });

  it('hints a record that failed on a calculated field', () => {
    expect(hintForRecordFailure('Invalid Custom Expression: {DE:Cost}')).toBe(HINTS.invalidCustomExpression);
    expect(hintForRecordFailure('duplicate name')).toBeUndefined();
  });
});

describe('WorkfrontError', () => {
  it('reads method, path, status, message, attempts and hint in one sentence', () => {
    const error = new WorkfrontError({
      kind: 'transient',
      method: 'GET',
      path: '/packages',
      summary: 'answered 503 Service Unavailable',
      status: 503,
      apiMessage: 'down for maintenance.',
      hint: 'try later',
      attempts: 5,
    });
    expect(error.message).toBe(
      'GET /packages answered 503 Service Unavailable: down for maintenance (gave up after 5 attempts). Hint: try later',
    );
    expect(error.with({ attempts: 1, hint: undefined }).message).toBe(
      'GET /packages answered 503 Service Unavailable: down for maintenance.',
    );
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('WorkfrontError');
  });
});
