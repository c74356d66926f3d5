// Secrets: whole releases with each credential form and step debug on, tokens short-lived and revoked midway;
// the credential, the client secret, the private key, every JWT and every token appear in no log line (the
// mask commands aside), output, summary or written file.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSimulator, type Simulator } from '../../simulator/index.js';
import { runAction, type ActionRun } from '../e2e/harness.js';
import { CREDENTIAL_FORMS, releaseSteps, secretsOf, visibleText, type CredentialForm } from './helpers.js';

const DEBUG = { ACTIONS_STEP_DEBUG: 'true', RUNNER_DEBUG: '1' };

interface Recorder {
  url: string;
  /** Every client secret, JWT and access token that went through. */
  seen: Set<string>;
  close(): Promise<void>;
}

/** A pass-through in front of a token endpoint that keeps what it carries, so the test knows every token. */
async function tokenRecorder(target: string): Promise<Recorder> {
  const seen = new Set<string>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      for (const [name, value] of new URLSearchParams(body))
        if (['client_secret', 'jwt_token'].includes(name)) seen.add(value);
      const upstream = request(target, { method: req.method, headers: req.headers }, (answer) => {
        const parts: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => parts.push(chunk));
        answer.on('end', () => {
          const text = Buffer.concat(parts).toString();
          try {
            const token = (JSON.parse(text) as { access_token?: unknown }).access_token;
            if (typeof token === 'string') seen.add(token);
          } catch {
            // not a token answer
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(text);
        });
      });
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${new URL(target).pathname}`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

interface Release {
  form: CredentialForm;
  runs: ActionRun[];
  secrets: string[];
}

async function release(sim: Simulator, form: CredentialForm): Promise<Release> {
  let packageId = '';
  const runs: ActionRun[] = [];
  const recorders: Recorder[] = [];
  try {
    for (const step of releaseSteps(sim, `Secrets ${form}`, () => packageId, form)) {
      const inputs = { ...step.inputs };
      if (inputs['token-url']) {
        const recorder = await tokenRecorder(inputs['token-url']);
        recorders.push(recorder);
        inputs['token-url'] = recorder.url;
      }
      const run = await runAction(inputs, { env: DEBUG });
      runs.push(run);
      packageId ||= run.outputs['package-id'] ?? '';
    }
  } finally {
    await Promise.all(recorders.map((r) => r.close()));
  }
  const secrets = [...secretsOf(sim, form), ...recorders.flatMap((r) => [...r.seen])];
  return { form, runs, secrets };
}

describe('no secret is visible, step debug on', () => {
  let sim: Simulator;
  let releases: Release[];
  let revoker: NodeJS.Timeout;

  beforeAll(async () => {
    // Tokens live 2 s (renewed before they end) and are all revoked every 1.5 s (renewed on the 401).
    sim = await startSimulator({ assemblyMs: 50, installMs: 50, tokenLifetimeSec: 2 });
    revoker = setInterval(() => sim.control.revokeTokens(), 1500);
    sim.control.addFault({ kind: 'drop', after: 'respond', method: 'POST', path: /^\/packages$/, times: 4 });
    sim.control.addFault({ kind: 'error', status: 503, env: 'ims', times: 1 });
    releases = await Promise.all(CREDENTIAL_FORMS.map((form) => release(sim, form)));
    const figures = releases.map(({ form, runs, secrets }) => {
      const renewed = runs.reduce((n, run) => n + (run.stdout.match(/renewed the token/g)?.length ?? 0), 0);
      return `${form}: ${runs.length} runs, ${secrets.length} secrets checked, ${renewed} renewals after a 401`;
    });
    console.log(`secrets: ${figures.join('; ')}`);
  }, 120_000);

  afterAll(async () => {
    clearInterval(revoker);
    await sim.stop();
  });

  it.each(CREDENTIAL_FORMS.map((form) => [form]))('%s: the release succeeds and leaks nothing', (form) => {
    const { runs, secrets } = releases.find((r) => r.form === form)!;
    expect(runs.map((run) => run.outputs.outcome)).toEqual(Array(5).fill('succeeded'));
    // Step debug really was on: requests are logged.
    expect(runs.every((run) => run.stdout.includes('::debug::'))).toBe(true);
    if (form === 'workfront-jwt' || form === 'adobe-ims') {
      const tokens = secrets.length - secretsOf(sim, form).length;
      expect(tokens).toBeGreaterThanOrEqual(runs.length);
    }
    const leaks: string[] = [];
    for (const [i, run] of runs.entries()) {
      const text = visibleText(run);
      for (const secret of secrets)
        if (text.includes(secret)) leaks.push(`step ${i + 1}: ${secret.slice(0, 6)}…`);
    }
    expect(leaks).toEqual([]);
  });

  it('every token the action obtained was masked before anything else could print it', () => {
    for (const { form, runs, secrets } of releases) {
      if (form === 'api-key' || form === 'session-id') continue;
      const masks = new Set(
        runs.flatMap((run) =>
          run.stdout
            .split('\n')
            .filter((line) => line.startsWith('::add-mask::'))
            .map((line) => line.slice('::add-mask::'.length)),
        ),
      );
      const jwts = secrets.filter((s) => s.split('.').length === 3);
      const unmasked = secrets.filter((s) => !masks.has(s) && !jwts.includes(s) && !s.includes('\n'));
      expect(unmasked).toEqual([]);
    }
  });
});
