// `npm run names -- --url https://acme.preview.workfront.com --objcode TMPL --name "Agency*"`: lists the objects of
// an objCode whose name matches, with their ids, through Workfront's core API, so that object-collections and
// map files can name objects (or be checked) while they are written. See docs/naming.md.
//
// The credential comes from the environment, never from the command line (shell history, process lists):
// WORKFRONT_API_KEY, WORKFRONT_SESSION_ID or WORKFRONT_BEARER_TOKEN.
import { parseArgs } from 'node:util';
import { createClient } from '../src/api/client.js';
import type { Credential } from '../src/api/auth.js';
import {
  DEFAULT_CORE_API_VERSION,
  normaliseCoreApiVersion,
  type CoreApi,
  type CoreObject,
} from '../src/api/core.js';
import { isWorkfrontError } from '../src/api/errors.js';
import { plain } from '../src/text.js';

const USAGE = `usage: npm run names -- --url <environment URL> --objcode <OBJCODE> [--name <text>] [options]

  --name <text>            a part of the name, case-insensitive; * matches anything ("Agency*", "*Onboarding")
  --exact                  the whole name, case-insensitive: what the action itself matches
  --limit <n>              list at most n objects (default 100)
  --core-api-version <v>   default ${DEFAULT_CORE_API_VERSION}
  --json                   print [{ID, name}] as JSON

The credential is read from WORKFRONT_API_KEY, WORKFRONT_SESSION_ID or WORKFRONT_BEARER_TOKEN.`;

const PAGE = 100;

function fail(message: string, code = 2): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(code);
}

function credentialFromEnv(): Credential {
  const {
    WORKFRONT_API_KEY: apiKey,
    WORKFRONT_SESSION_ID: sessionId,
    WORKFRONT_BEARER_TOKEN: token,
  } = process.env;
  if (apiKey) return { kind: 'api-key', apiKey };
  if (sessionId) return { kind: 'session-id', sessionId };
  if (token) return { kind: 'bearer-token', token };
  return fail('No credential: set WORKFRONT_API_KEY (or WORKFRONT_SESSION_ID, WORKFRONT_BEARER_TOKEN)');
}

/** A `*` pattern as a case-insensitive test of the whole name. */
function globTest(pattern: string): (name: string) => boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  const regex = new RegExp(`^${source}$`, 'i');
  return (name) => regex.test(name);
}

/** Every object matching, page by page, up to `limit`; with the total the API counts. */
async function find(
  core: CoreApi,
  objCode: string,
  text: string,
  exact: boolean,
  limit: number,
): Promise<{ objects: CoreObject[]; total: number }> {
  if (exact) {
    const objects = await core.search(objCode, text, { mode: 'cieq', limit });
    const total = objects.length < limit ? objects.length : await core.count(objCode, text, 'cieq');
    return { objects, total };
  }
  // The API has no wildcard for `contains`: the longest part between stars is searched, the pattern checked here.
  const fragment = text.split('*').sort((a, b) => b.length - a.length)[0] ?? '';
  const matches = text.includes('*') ? globTest(text) : () => true;
  const objects: CoreObject[] = [];
  let total = 0;
  for (let first = 0; ; first += PAGE) {
    const page = await core.search(objCode, fragment, { mode: 'cicontains', limit: PAGE, first });
    for (const object of page) {
      if (!matches(object.name ?? '')) continue;
      total++;
      if (objects.length < limit) objects.push(object);
    }
    if (page.length < PAGE) return { objects, total };
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      objcode: { type: 'string' },
      name: { type: 'string', default: '' },
      exact: { type: 'boolean', default: false },
      limit: { type: 'string', default: '100' },
      'core-api-version': { type: 'string', default: DEFAULT_CORE_API_VERSION },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.url) fail('--url is required');
  if (!values.objcode || !/^[A-Za-z][A-Za-z0-9]{1,15}$/.test(values.objcode))
    fail('--objcode is required: an objCode such as TMPL, PTLTAB, GROUP, CTGY');
  if (values.exact && !values.name) fail('--exact needs --name');
  const limit = Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 2000) fail('--limit is a whole number from 1 to 2000');
  const version = normaliseCoreApiVersion(values['core-api-version']);
  if (!version) fail(`--core-api-version: "${values['core-api-version']}" is not a version such as v21.0`);

  let client;
  try {
    client = createClient({ baseUrl: values.url, auth: credentialFromEnv(), version: 'names' });
  } catch (error) {
    fail(`--url: ${(error as Error).message}`);
  }
  const core = client.core(version);
  const objCode = values.objcode.toUpperCase();
  const { objects, total } = await find(core, objCode, values.name, values.exact, limit);
  if (values.json) {
    console.log(
      JSON.stringify(
        objects.map(({ ID, name }) => ({ ID, name })),
        null,
        2,
      ),
    );
    return;
  }
  const what = values.name
    ? ` whose name ${values.exact ? 'is' : 'matches'} "${plain(values.name, 120)}"`
    : '';
  console.log(
    `${total} ${objCode} objects in ${core.host}${what}${total > objects.length ? `, the first ${objects.length}` : ''}:`,
  );
  for (const { ID, name } of objects) console.log(`${ID}  ${plain(name ?? '(no name)', 200)}`);
}

main().catch((error: unknown) => {
  console.error(isWorkfrontError(error) ? error.message : String(error));
  process.exit(1);
});
