// Starts the simulator until SIGINT/SIGTERM: `tsx simulator/cli.ts [--port N] [--production-port N] …`.
// Ports also come from SIM_PRODUCTION_PORT, SIM_PREVIEW_PORT, SIM_SANDBOX_PORT, SIM_IMS_PORT; 0 picks a free one.
import { parseArgs } from 'node:util';
import { startSimulator, type SimulatorOptions } from './index.js';

const USAGE = `Usage: tsx simulator/cli.ts [options]
  --port N              fixed ports from N: production N, preview N+1, sandbox N+2, IMS N+3
  --production-port N   --preview-port N   --sandbox-port N   --ims-port N   (default 0: a free port)
  --assembly-ms N       how long packages stay ASSEMBLING (default 300)
  --install-ms N        how long installations stay INSTALLING (default 500)
  --completed-word W    INSTALLED (default) or COMPLETED
  --token-lifetime N    OAuth2 access token lifetime in seconds (default 3600)
  --api-key KEY         the accepted API key
  --help`;

function number(flag: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new Error(`${flag} must be a non-negative integer, got "${value}"`);
  return parsed;
}

function options(): SimulatorOptions {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'production-port': { type: 'string' },
      'preview-port': { type: 'string' },
      'sandbox-port': { type: 'string' },
      'ims-port': { type: 'string' },
      'assembly-ms': { type: 'string' },
      'install-ms': { type: 'string' },
      'completed-word': { type: 'string' },
      'token-lifetime': { type: 'string' },
      'api-key': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const base = number('--port', values.port);
  if (base !== undefined && (base < 1 || base > 65532))
    throw new Error(`--port must be between 1 and 65532, got "${values.port}"`);
  const offsets = { production: 0, preview: 1, sandbox: 2, ims: 3 };
  const port = (name: keyof typeof offsets) =>
    number(`--${name}-port`, values[`${name}-port`] ?? process.env[`SIM_${name.toUpperCase()}_PORT`]) ??
    (base === undefined ? undefined : base + offsets[name]);
  const word = values['completed-word']?.toUpperCase();
  if (word !== undefined && word !== 'INSTALLED' && word !== 'COMPLETED')
    throw new Error('--completed-word must be INSTALLED or COMPLETED');
  return {
    ports: {
      production: port('production'),
      preview: port('preview'),
      sandbox: port('sandbox'),
      ims: port('ims'),
    },
    assemblyMs: number('--assembly-ms', values['assembly-ms']),
    installMs: number('--install-ms', values['install-ms']),
    completedWord: word,
    tokenLifetimeSec: number('--token-lifetime', values['token-lifetime']),
    apiKey: values['api-key'],
  };
}

let config: SimulatorOptions;
try {
  config = options();
} catch (error) {
  console.error(`${(error as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
const sim = await startSimulator(config);
const { environments, credentials } = sim;
console.log('Workfront Environment Promotion simulator');
for (const env of Object.values(environments))
  console.log(`  ${env.key.padEnd(10)} (${env.name}, ${env.kind}) ${env.apiBase}`);
console.log(`  IMS token endpoint      ${sim.imsTokenUrl}`);
console.log(`  JWT exchange            {environment url}/integrations/oauth2/api/v1/jwt/exchange`);
console.log(`  admin                   {environment url}/__simulator/state | /log | /faults | /options`);
console.log(`Credentials (simulated, not secrets):`);
console.log(`  apikey: ${credentials.apiKey}`);
console.log(`  sessionID: ${credentials.sessionId}`);
console.log(`  OAuth2 client id: ${credentials.oauth.clientId}, customer id ${credentials.oauth.customerId}`);
console.log('Press Ctrl+C to stop.');

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void sim.stop().then(() => {
      console.log('Simulator stopped.');
      process.exit(0);
    });
  });
