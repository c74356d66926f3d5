import { describe, expect, it } from '@jest/globals';
import { runAction } from './harness.js';

describe('the bundled action refuses bad input before any request', () => {
  it('fails with exit 1 and one message naming every bad input', async () => {
    const run = await runAction({
      operation: 'install',
      url: 'http://acme.my.workfront.com',
      'api-key': 'e2e-secret-key-value',
      'session-id': 'e2e-other-secret',
      timeout: 'soon',
      'poll-interval': '0',
      'deny-actions': 'DELETE',
    });
    expect(run.code).toBe(1);
    const error = run.stdout.split('\n').find((line) => line.startsWith('::error::')) ?? '';
    expect(error).toMatch(/^::error::6 input errors, nothing was sent to Workfront/);
    for (const name of ['url', 'timeout', 'poll-interval', 'deny-actions', 'package-id']) {
      expect(error).toContain(`Input \\"${name}\\"`.replace(/\\/g, ''));
    }
    expect(error).toContain('exactly one credential form');
    expect(run.outputs.outcome).toBe('failed');
    expect(run.summary).toMatch(/6 input errors, nothing was sent to Workfront/);
    const visible =
      run.stdout.replace(/^::add-mask::.*$/gm, '') + run.stderr + run.summary + JSON.stringify(run.outputs);
    expect(visible).not.toContain('e2e-secret-key-value');
    expect(visible).not.toContain('e2e-other-secret');
  });
});
