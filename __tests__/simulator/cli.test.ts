// The CLI starts the simulator, prints where it listens and a credential, and stops on SIGTERM.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { describe, expect, it } from '@jest/globals';

/** Runs the CLI with `args`, hands its printed API base and key to `use`, then stops it with SIGTERM. */
async function withCli(
  args: string[],
  use: (apiBase: string, apiKey: string) => Promise<void>,
): Promise<{ code: number | null; output: string }> {
  // One process (node with tsx's loader), so the signal reaches the CLI itself.
  const child = spawn(process.execPath, ['--import', 'tsx', 'simulator/cli.ts', ...args], {
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const killed = setTimeout(() => child.kill('SIGKILL'), 20_000);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    while (!output.includes('Press Ctrl+C')) {
      if (child.exitCode !== null) throw new Error(`the CLI exited: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const apiBase = /production\s.*?(http:\/\/127\.0\.0\.1:\d+\/environment-promotion\/api\/v1)/.exec(
      output,
    )?.[1];
    const apiKey = /apikey: (\S+)/.exec(output)?.[1];
    expect(apiBase).toBeDefined();
    await use(apiBase ?? '', apiKey ?? '');
  } finally {
    child.kill('SIGTERM');
  }
  const code = await exited;
  clearTimeout(killed);
  return { code, output };
}

/** Whether `port` can be listened on now. */
function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/**
 * The first of `count` free ports in a row, below the ephemeral range (32768 and up) where the other tests'
 * servers take their ports, so none of them takes one of these meanwhile.
 */
async function freePorts(count: number): Promise<number> {
  for (;;) {
    const base = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await Promise.all(Array.from({ length: count }, (_, i) => isFree(base + i)));
    if (free.every(Boolean)) return base;
  }
}

describe('simulator/cli.ts', () => {
  it('serves the printed URLs with the printed API key until SIGTERM', async () => {
    const { code, output } = await withCli(['--install-ms', '5'], async (apiBase, apiKey) => {
      const answer = await fetch(`${apiBase}/packages`, { headers: { apikey: apiKey } });
      expect(answer.status).toBe(200);
    });
    expect(code).toBe(0);
    expect(output).toContain('Simulator stopped.');
  });

  it('takes a clock skew (negative: behind) and a visibility lag', async () => {
    const { code } = await withCli(
      ['--clock-skew-ms=-60000', '--visibility-lag-ms', '60000'],
      async (apiBase, apiKey) => {
        const headers = { apikey: apiKey, 'content-type': 'application/json' };
        const created = await fetch(`${apiBase}/packages`, {
          method: 'POST',
          headers,
          body: JSON.stringify({
            name: 'CLI',
            source: apiBase.replace(/\/environment.*/, ''),
            objectCollections: [],
          }),
        });
        const pkg = ((await created.json()) as { data: { id: string; createdAt: string } }).data;
        expect(Date.parse(pkg.createdAt)).toBeLessThan(Date.now() - 50_000);
        const listed = await fetch(`${apiBase}/packages`, { headers });
        expect(Date.parse(listed.headers.get('date') ?? '')).toBeLessThan(Date.now() - 50_000);
        expect(JSON.stringify(await listed.json())).not.toContain(pkg.id);
      },
    );
    expect(code).toBe(0);
  });

  it('listens on fixed ports from --port: production, preview, sandbox, then IMS', async () => {
    const base = await freePorts(4);
    const { code, output } = await withCli(['--port', String(base)], async (apiBase) => {
      expect(apiBase).toBe(`http://127.0.0.1:${base}/environment-promotion/api/v1`);
    });
    expect(code).toBe(0);
    expect(output).toMatch(new RegExp(`preview\\s.*127\\.0\\.0\\.1:${base + 1}/`));
    expect(output).toMatch(new RegExp(`sandbox\\s.*127\\.0\\.0\\.1:${base + 2}/`));
  });

  it('refuses a --port that leaves no room for the four ports', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'simulator/cli.ts', '--port', '65535'], {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(errors).toContain('--port must be between 1 and 65532');
  });
});
