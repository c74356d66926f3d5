// The Workfront API client: what the operations import.
export {
  ACTION_NAME,
  createClient,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_RETRIES,
  DEFAULT_REQUEST_TIMEOUT_MS,
  userAgentFor,
  type ClientOptions,
  type WorkfrontClient,
} from './client.js';
export {
  checkPrivateKey,
  DEFAULT_IMS_TOKEN_URL,
  JWT_EXCHANGE_PATH,
  type Authenticator,
  type Credential,
} from './auth.js';
export {
  CORE_CONCURRENCY,
  coreObjCode,
  createCoreApi,
  DEFAULT_CORE_API_VERSION,
  mapLimit,
  normaliseCoreApiVersion,
  type CoreApi,
  type CoreObject,
  type NameMode,
} from './core.js';
export { ERROR_KINDS, isWorkfrontError, WorkfrontError, type ErrorKind } from './errors.js';
export { HINTS, hintFor, hintForRecordFailure, type HintKey } from './hints.js';
export type { Log, LogLevel } from './http.js';
export { hostOfEnvironment, normaliseStatus } from './parse.js';
export { Redactor } from './redact.js';
export * from './types.js';
export * from './url.js';
