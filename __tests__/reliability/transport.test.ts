// Transport: http:// only to loopback, certificates always checked, proxy variables honoured. The proxy test
// sends the bundled action to https://acme.my.workfront.com through a local CONNECT proxy that tunnels to a
// local TLS server (certificate from a test CA, trusted through NODE_EXTRA_CA_CERTS as on any runner), which
// forwards to the simulator.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { connect, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { resolveApiBase } from '../../src/api/url.js';
import { startSimulator, type Simulator } from '../../simulator/index.js';
import { ROOT, runAction, type ActionRun } from '../e2e/harness.js';
import { scratchDir } from '../scratch.js';

const HOST = 'acme.my.workfront.com';

describe('http:// is refused except for loopback hosts', () => {
  it.each([
    ['http://127.0.0.1:8080', true],
    ['http://127.10.20.30', true],
    ['http://localhost:3000', true],
    ['http://[::1]:3000', true],
    ['http://acme.my.workfront.com', false],
    ['http://10.0.0.1', false],
    ['http://192.168.1.10:8080', false],
    ['http://localhost.evil.example', false],
    ['http://127.0.0.1.nip.io', false],
    ['http://0.0.0.0', false],
    ['https://acme.my.workfront.com', true],
  ])('%s accepted: %s', (url, accepted) => {
    if (accepted) expect(resolveApiBase(url).base).toMatch(/\/environment-promotion\/api\/v1$/);
    else expect(() => resolveApiBase(url)).toThrow(/http:\/\/ is refused/);
  });
});

describe('certificate checks are never disabled', () => {
  function sources(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? sources(path) : [path];
    });
  }

  it('src/ never turns verification off', () => {
    const offenders = sources(join(ROOT, 'src')).flatMap((path) =>
      readFileSync(path, 'utf8')
        .split('\n')
        .filter((line) =>
          /rejectUnauthorized|NODE_TLS_REJECT_UNAUTHORIZED|ignoreSslError|checkServerIdentity|secureOptions/.test(
            line,
          ),
        )
        .map((line) => `${path}: ${line.trim()}`),
    );
    expect(offenders).toEqual([]);
  });
});

interface Pki {
  dir: string;
  ca: string;
  key: string;
  cert: string;
}

/** A test CA and a server certificate for HOST, by the openssl command line. */
function makePki(): Pki {
  const dir = scratchDir('pki');
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=Reliability test CA',
  );
  run(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
    '-subj',
    `/CN=${HOST}`,
  );
  writeFileSync(join(dir, 'san.ext'), `subjectAltName=DNS:${HOST}\n`);
  run(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '2',
    '-extfile',
    'san.ext',
  );
  return {
    dir,
    ca: join(dir, 'ca.pem'),
    key: readFileSync(join(dir, 'server.key'), 'utf8'),
    cert: readFileSync(join(dir, 'server.pem'), 'utf8'),
  };
}

const listen = (server: Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

describe('proxy variables are honoured, TLS verified through the tunnel', () => {
  let sim: Simulator;
  let pki: Pki;
  let tls: Server;
  let proxy: Server;
  let proxyUrl: string;
  let packageId: string;
  const tunnels: string[] = [];
  const forwarded: string[] = [];
  /** Tunnel sockets: CONNECT detaches them from the proxy server, so they are closed by hand. */
  const sockets = new Set<{ destroy(): void }>();

  beforeAll(async () => {
    sim = await startSimulator();
    packageId = sim.control.makePackage({
      name: 'Through the proxy',
      objectCollections: [{ objCode: 'TMPL', entities: [{ ID: '6419b8b9001151ee258921a4f7597bb2' }] }],
    }).id;
    pki = makePki();
    // The TLS end of the tunnel: "acme.my.workfront.com", answering from the simulator's production.
    tls = createTlsServer({ key: pki.key, cert: pki.cert }, (req, res) => {
      const upstream = request(
        `${sim.environments.production.url}${req.url}`,
        { method: req.method, headers: { ...req.headers, host: sim.environments.production.host } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      req.pipe(upstream);
    });
    const tlsPort = await listen(tls);
    // The proxy: CONNECT tunnels (counted) to the TLS server whatever host is asked for; plain requests refused.
    proxy = createServer((req, res) => {
      forwarded.push(`${req.method} ${req.url}`);
      res.writeHead(502).end();
    });
    proxy.on('connect', (req, socket, head) => {
      tunnels.push(req.url ?? '');
      sockets.add(socket);
      const upstream = connect(tlsPort, '127.0.0.1', () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      sockets.add(upstream);
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    });
    proxyUrl = `http://127.0.0.1:${await listen(proxy)}`;
  }, 30_000);

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await Promise.all([close(proxy), close(tls), sim.stop()]);
  });

  const get = (env: Record<string, string>, extra: Record<string, string> = {}): Promise<ActionRun> =>
    runAction(
      {
        operation: 'get',
        url: `https://${HOST}`,
        'api-key': sim.credentials.apiKey,
        'package-id': packageId,
        ...extra,
      },
      { env },
    );

  it.each([['HTTPS_PROXY'], ['https_proxy']])('%s: every request goes through the proxy', async (name) => {
    const before = tunnels.length;
    const run = await get({ [name]: proxyUrl, NODE_EXTRA_CA_CERTS: pki.ca });
    expect({
      code: run.code,
      outcome: run.outputs.outcome,
      error: run.stdout.match(/::error::.*/)?.[0],
    }).toEqual({
      code: 0,
      outcome: 'succeeded',
      error: undefined,
    });
    expect(run.outputs['package-id']).toBe(packageId);
    expect(tunnels.slice(before)).toEqual([`${HOST}:443`]);
  });

  it('an untrusted certificate is refused at once, with the TLS hint, not retried', async () => {
    const before = tunnels.length;
    const run = await get({ HTTPS_PROXY: proxyUrl });
    expect(run.code).toBe(1);
    const error = run.stdout.match(/::error::.*/)?.[0] ?? '';
    expect(error).toMatch(new RegExp(`GET /packages/${packageId} failed: .*(certificate|CERT)`, 'i'));
    expect(error).toMatch(/NODE_EXTRA_CA_CERTS/);
    expect(tunnels.length - before).toBe(1);
  });

  it('NO_PROXY sends the host around the proxy', async () => {
    const before = tunnels.length;
    const run = await get(
      { HTTPS_PROXY: proxyUrl, NO_PROXY: `.workfront.com`, NODE_EXTRA_CA_CERTS: pki.ca },
      { timeout: '3s' },
    );
    expect(run.code).toBe(1);
    expect(tunnels.length - before).toBe(0);
    // With no proxy, the name has to be resolved: this machine has no DNS for it (or no route).
    expect(run.stdout).toMatch(/GET \/packages\/\S+ (failed|timed out)/);
  });

  it('loopback URLs bypass HTTP_PROXY (@actions/http-client always bypasses loopback hosts)', async () => {
    const before = forwarded.length + tunnels.length;
    const run = await runAction(
      {
        operation: 'get',
        url: sim.environments.production.url,
        'api-key': sim.credentials.apiKey,
        'package-id': packageId,
      },
      { env: { HTTP_PROXY: proxyUrl, http_proxy: proxyUrl } },
    );
    expect(run.outputs.outcome).toBe('succeeded');
    expect(forwarded.length + tunnels.length - before).toBe(0);
  });
});
