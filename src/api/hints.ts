// Every hint the action gives a user, in one table, and the rules that pick one for a failed call.
// The texts follow the vendor's pages (see the last section of API.md).

export const HINTS = {
  credential:
    'check the credential: it may be mistyped, expired or revoked, or belong to another Workfront instance than url',
  renewedTokenRefused:
    "a freshly obtained token was refused too: the OAuth2 application's user lacks the rights; environment promotion needs a Workfront administrator on an Enterprise, Prime or Ultimate plan",
  adminRights:
    'environment promotion needs a Workfront administrator (full administrative access) on an Enterprise, Prime or Ultimate plan; check the user behind the credential',
  packageId:
    'check package-id: no package with this id is visible to this customer (packages belong to the customer and can be read through any of its environments)',
  installationId:
    'check installation-id: it is the id of a pre-run or installation of this customer (the pre-run answers it as "id")',
  undocumented:
    'this endpoint is undocumented since November 2023 and the tenant may refuse it; get, update of name/description/status, and create stay available',
  methodNotAllowed:
    'the server does not offer this call here: check that url points at a Workfront environment (https://{domain}.{environment}.workfront.com)',
  installRefused:
    'check the package status and the target: TESTING installs only into Preview or Custom Refresh sandboxes, ACTIVE anywhere including Production; DRAFT, DISABLED and ASSEMBLING_FAILED are not installable, and an ASSEMBLING package must finish first',
  translationMapRefused:
    'check the translation map: actions are CREATE, USEEXISTING, IGNORE, OVERWRITING or CREATEWITHALTNAME; targetId is the target record id for USEEXISTING and OVERWRITING and empty otherwise; ignoring a CREATE record needs its child records ignored too',
  unassembled:
    'the package is UNASSEMBLED (saved but never assembled) and cannot be installed: assemble it first (update with object-collections, or create it again)',
  statusChange:
    'a user may set DRAFT, TESTING, ACTIVE or DISABLED; adding or removing objects and re-assembling need DRAFT, so move a TESTING or ACTIVE package back to DRAFT first',
  createRefused:
    'check object-collections (objCodes such as TMPL, PROJ, PTLTAB with IDs that exist in the source environment) and source; promotion across domains (acme.* to other.*) is not supported',
  conflict: 'the package changed meanwhile or its status does not allow this: read it again before retrying',
  rateLimited:
    'Workfront caps concurrent API requests per customer, sandboxes included: run fewer jobs against this customer at once (e.g. a concurrency group)',
  serverError:
    'Workfront failed on its side; try again later (calls made while a Custom Refresh sandbox is being refreshed may fail or stall the refresh)',
  timeout:
    'Workfront did not answer in time; try again later, or raise the timeout if the environment is known to be slow',
  deadline: "the operation's timeout ran out before the call could finish; raise timeout",
  network:
    "check url, DNS and the runner's network access to the host; a proxy is taken from HTTPS_PROXY (exceptions in NO_PROXY)",
  dns: 'the host name does not resolve: check url for a typo; Workfront environments are https://{domain}.my.workfront.com (production), {domain}.preview.workfront.com and {domain}.sbNN.workfront.com (sandboxes), {domain} as Workfront shows it under Setup → System → Customer Info; on a self-hosted runner also check its DNS',
  dnsTokenUrl:
    "the host name of token-url does not resolve: check token-url for a typo, and the runner's DNS",
  apiNotFound:
    'no Environment Promotion API answers at this address: check url, which is the environment itself (https://{domain}.{environment}.workfront.com, no path), not a page of the UI',
  installationTimeout: 'raise timeout: large packages take minutes to install',
  tls: 'the server certificate was not trusted; behind a TLS-intercepting proxy give its CA certificate in NODE_EXTRA_CA_CERTS',
  redirect:
    'the API does not redirect: give the environment URL itself (https://{domain}.{environment}.workfront.com), not a login page, alias or vanity domain',
  malformed:
    'the answer is none of the shapes the API documents: check that url points at a Workfront environment, not at a proxy or login page',
  unknownOutcome:
    'the request may have reached Workfront: check there whether it took effect (the package list, or the installations of the package) before running it again',
  tooLarge:
    'the answer exceeds the size limit of the client; this is not a Workfront answer the action can handle',
  historyTooLarge:
    "the package's installation history (every pre-run and installation in every environment, each with a translation map as large as the package) is larger than the client reads (1 GiB, the maps included); build the release as a new package (operation create), whose history starts empty",
  stalledInstallation:
    'an installation still running after 10–15 minutes is stalled: re-assemble the package and install it again',
  invalidCustomExpression:
    'a calculated field refers to a field that is on no custom form in the target: promote or create that field first',
  coreApi:
    "names and target ids are looked up through Workfront's core API ({url origin}/attask/api/{core-api-version}): check core-api-version (v18.0 to v22.0 are supported as of 2026) and that the objCode is one whose objects have names",
  tokenClient: 'check client-id and client-secret: the token endpoint did not accept this OAuth2 client',
  tokenJwt:
    'check private-key, customer-id and user-id: the JWT is signed with the private key whose public key the OAuth2 application holds, iss = customer id, sub = user id',
  tokenScope: 'check scopes: give the scopes the Developer Console shows for the server-to-server credential',
  tokenUrl:
    'check token-url: it must be the token endpoint of the flow (Workfront JWT: {url origin}/integrations/oauth2/api/v1/jwt/exchange; Adobe IMS: https://ims-na1.adobelogin.com/ims/token/v3)',
} as const;
export type HintKey = keyof typeof HINTS;

/** The endpoints, by the client's method names, plus the token endpoint of an OAuth2 flow. */
export type Endpoint =
  | 'createPackage'
  | 'listPackages'
  | 'getPackage'
  | 'getDefinition'
  | 'replacePackage'
  | 'updatePackage'
  | 'deletePackage'
  | 'prepareInstallation'
  | 'installInstallation'
  | 'listInstallations'
  | 'getInstallation'
  | 'createTranslationMap'
  | 'installPackage'
  | 'coreSearch'
  | 'coreCount'
  | 'coreGet'
  | 'token';

export interface HintContext {
  endpoint: Endpoint;
  status: number;
  apiMessage?: string;
  /** Undocumented since November 2023: definition, PUT, PATCH with objectCollections or packageEntities. */
  undocumented?: boolean;
  /** A 401 after the token had just been renewed. */
  renewed?: boolean;
  /** The token endpoint's `error` code (`invalid_client`, `invalid_scope`, …). */
  tokenError?: string;
}

/** Endpoints without an id in their path: a 404 there means no API at this address, not a wrong id. */
const COLLECTION_ENDPOINTS: readonly Endpoint[] = ['listPackages', 'createPackage'];
const CORE_ENDPOINTS: readonly Endpoint[] = ['coreSearch', 'coreCount', 'coreGet'];
const INSTALL_ENDPOINTS: readonly Endpoint[] = ['prepareInstallation', 'installInstallation'];
const INSTALLATION_ENDPOINTS: readonly Endpoint[] = ['getInstallation', 'installInstallation'];

type Rule = [(c: HintContext) => boolean, (c: HintContext) => string];

// First match wins; the more specific rules come first.
const RULES: Rule[] = [
  [(c) => c.endpoint === 'token', tokenHint],
  [(c) => c.status >= 300 && c.status < 400, () => HINTS.redirect],
  [(c) => c.status === 401, (c) => (c.renewed ? HINTS.renewedTokenRefused : HINTS.credential)],
  [(c) => c.status === 403, () => HINTS.adminRights],
  [(c) => c.status === 429, () => HINTS.rateLimited],
  [(c) => CORE_ENDPOINTS.includes(c.endpoint) && c.status < 500, () => HINTS.coreApi],
  [(c) => c.status === 408 || c.status === 504, () => HINTS.timeout],
  [(c) => c.status >= 500, () => HINTS.serverError],
  [(c) => /UNASSEMBLED/.test(c.apiMessage ?? ''), () => HINTS.unassembled],
  [(c) => /invalid custom expression/i.test(c.apiMessage ?? ''), () => HINTS.invalidCustomExpression],
  [
    (c) =>
      c.status === 404 &&
      (COLLECTION_ENDPOINTS.includes(c.endpoint) || /^no endpoint\b/i.test(c.apiMessage ?? '')),
    () => HINTS.apiNotFound,
  ],
  [(c) => c.status === 404 && !!c.undocumented, () => `${HINTS.packageId}; or ${HINTS.undocumented}`],
  [(c) => [400, 405].includes(c.status) && !!c.undocumented, () => HINTS.undocumented],
  [(c) => c.status === 404 && INSTALLATION_ENDPOINTS.includes(c.endpoint), () => HINTS.installationId],
  [(c) => c.status === 404 || c.status === 410, () => HINTS.packageId],
  [(c) => c.status === 405, () => HINTS.methodNotAllowed],
  [(c) => c.endpoint === 'installPackage', () => `${HINTS.installRefused}; ${HINTS.translationMapRefused}`],
  [(c) => INSTALL_ENDPOINTS.includes(c.endpoint), () => HINTS.installRefused],
  [(c) => c.endpoint === 'updatePackage', () => HINTS.statusChange],
  [(c) => c.endpoint === 'createPackage', () => HINTS.createRefused],
  [(c) => c.status === 409 || c.status === 412, () => HINTS.conflict],
];

/** The hint for a call the API answered with an error status, if any rule knows one. */
export function hintFor(context: HintContext): string | undefined {
  const rule = RULES.find(([applies]) => applies(context));
  return rule?.[1](context);
}

function tokenHint(c: HintContext): string {
  const code = (c.tokenError ?? '').toLowerCase();
  if (code.includes('scope')) return HINTS.tokenScope;
  if (/jwt|assertion|grant|sign|expired/.test(code)) return HINTS.tokenJwt;
  if (c.status === 404 || c.status === 405 || (c.status >= 300 && c.status < 400)) return HINTS.tokenUrl;
  if (c.status === 429) return HINTS.rateLimited;
  if (c.status >= 500) return HINTS.serverError;
  return HINTS.tokenClient;
}

/** Failures before a request was sent: a name that does not resolve is not worth retrying. */
export const UNRESOLVED_HOST_CODES: readonly string[] = ['ENOTFOUND', 'EAI_AGAIN'];

/** The hint for a network failure (Node's error code). */
export function networkHint(code: string | undefined, endpoint: Endpoint): string {
  if (code && UNRESOLVED_HOST_CODES.includes(code))
    return endpoint === 'token' ? HINTS.dnsTokenUrl : HINTS.dns;
  return HINTS.network;
}

/** Stalled installations are a thing of 10–15 minutes: a shorter wait that ran out says so instead. */
export function installationTimeoutHint(waitedMs: number): string {
  return waitedMs >= 10 * 60_000 ? HINTS.stalledInstallation : HINTS.installationTimeout;
}

/** The hint for one record an installation reports FAILED, from its reason. */
export function hintForRecordFailure(reason: string): string | undefined {
  return /invalid custom expression/i.test(reason) ? HINTS.invalidCustomExpression : undefined;
}

/** The hint for an answer larger than the client reads: a long installation history is a real one. */
export function tooLargeHint(endpoint: Endpoint): string {
  return endpoint === 'listInstallations' ? HINTS.historyTooLarge : HINTS.tooLarge;
}
