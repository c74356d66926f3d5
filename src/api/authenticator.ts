// What the transport needs of credentials, apart from how they are got (auth.ts): so that http.ts and
// auth.ts do not import each other.

/** What the client asks for headers before each request, and tells about a 401. */
export interface Authenticator {
  headers(): Promise<Record<string, string>>;
  /** Gets a fresh credential after a 401; false when there is none to get (static credentials). */
  renew?(): Promise<boolean>;
}
