/** A JSON Web Key Set (RFC 7517 §5). */
export interface JWKSet {
  keys: Array<Record<string, unknown>>;
}

/** JWS algorithms jwtgate verifies (`none` never). */
export type Algorithm =
  | 'HS256' | 'HS384' | 'HS512'
  | 'RS256' | 'RS384' | 'RS512'
  | 'PS256' | 'PS384' | 'PS512'
  | 'ES256' | 'ES384' | 'ES512'
  | 'EdDSA';

/** The core's stable error codes. */
export type ErrorCode =
  | 'token_missing'
  | 'token_malformed'
  | 'algorithm_not_allowed'
  | 'key_not_found'
  | 'signature_invalid'
  | 'token_expired'
  | 'token_not_yet_valid'
  | 'issuer_invalid'
  | 'audience_invalid'
  | 'claim_invalid'
  | 'insufficient_scope'
  | 'jwks_unavailable';

export type JSONValue = string | number | boolean | null | JSONValue[] | { [name: string]: JSONValue };

/** Requirements a route adds to a verification. */
export interface RouteRequirements {
  /** Every one of these scopes must be granted (403 `insufficient_scope` otherwise). */
  requiredScopes?: string | string[];
  /** At least one of these scopes must be granted. */
  scopesAny?: string | string[];
  /** Claim name (or dotted path) -> accepted value or values; an array claim matches if any element does. */
  claims?: Record<string, JSONValue>;
}

export interface VerifierOptions extends RouteRequirements {
  /** A JWK Set object, or the URL of one to fetch. */
  jwks: JWKSet | string | URL;
  /** Accepted `iss` values (default: any). */
  issuer?: string | string[];
  /** Accepted audiences; `aud` must contain one (default: any). */
  audience?: string | string[];
  /** Accepted `alg` values (default: every asymmetric algorithm; HS* only when listed). */
  algorithms?: Algorithm[];
  /** Clock skew allowed on `exp`, `nbf`, `iat`, seconds (default 60). */
  clockTolerance?: number;
  /** Reject tokens whose `iat` is older than this many seconds (default: no limit). */
  maxTokenAge?: number;
  /** Whether `exp` is required (default true). */
  requireExp?: boolean;
  /** Claims that must be present and not null. */
  requiredClaims?: string[];
  /** Accepted `typ` header values, e.g. `"at+jwt"` (default: unchecked). */
  typ?: string | string[];
  /** Claims the granted scopes are read from (default `["scope", "scp"]`). */
  scopeClaims?: string | string[];
  /** Verified-token cache size, entries (default 10 000; 0 turns it off). */
  cacheEntries?: number;
  /** Longest token accepted, bytes (default 16384). */
  maxTokenBytes?: number;
  /** Realm of the `WWW-Authenticate` header (default `"jwtgate"`). */
  realm?: string;
  /** Remote key sets: how long a fetched set is used, ms (default 600 000; a shorter `Cache-Control: max-age` wins). */
  jwksCacheMaxAge?: number;
  /** Remote key sets: least time between two fetches on an unknown key or after a failure, ms (default 30 000). */
  jwksCooldown?: number;
  /** Remote key sets: fetch timeout, ms (default 5 000). */
  jwksTimeout?: number;
  /** Remote key sets: the fetch to use (default `globalThis.fetch`). */
  fetch?: (input: string, init?: RequestInit) => Promise<Response>;
  /** The clock, Unix seconds (default `Date.now() / 1000`); for tests. */
  now?: () => number;
}

/** A verified token. Results are frozen: they are shared between calls for the same token. */
export interface VerifyResult<Payload = Record<string, JSONValue>> {
  readonly header: Readonly<Record<string, JSONValue>>;
  readonly payload: Readonly<Payload>;
  readonly scopes: readonly string[];
}

export type AuthorizeResult<Payload = Record<string, JSONValue>> =
  | { ok: true; header: Readonly<Record<string, JSONValue>>; payload: Readonly<Payload>; scopes: readonly string[] }
  | { ok: false; error: JwtGateError; response: Response };

export declare class Verifier {
  private constructor();
  /** Verifies with WebCrypto for the signature and the wasm core for the rest. */
  verify<Payload = Record<string, JSONValue>>(token: string, options?: RouteRequirements): Promise<VerifyResult<Payload>>;
  /** The same verdict, fully in wasm (pure-Rust crypto); the key set must be local or already fetched. */
  verifySync<Payload = Record<string, JSONValue>>(token: string, options?: RouteRequirements): VerifyResult<Payload>;
  /** Checks the `Authorization: Bearer` token of a request; failures come with the RFC 6750 response. */
  authorize<Payload = Record<string, JSONValue>>(request: Request, options?: RouteRequirements): Promise<AuthorizeResult<Payload>>;
  /** Entries in the verified-token cache. */
  readonly cachedEntries: number;
  /** Keys of the current set that were skipped, with reasons. */
  readonly skippedKeys: Array<{ index: number; kid: string | null; reason: string }>;
  /** Remote key sets: fetches made so far. */
  readonly jwksFetches: number;
}

/** A verifier. No I/O happens before the first verification (a remote set is fetched then). */
export declare function createVerifier(options: VerifierOptions): Promise<Verifier>;

export interface Decoded<Payload = Record<string, JSONValue>> {
  header: Record<string, JSONValue>;
  payload: Payload;
  /** Scopes from `scope` / `scp`. */
  scopes: string[];
  issuedAt: number | null;
  expiresAt: number | null;
  expired: boolean;
  secondsLeft: number | null;
}

/** Decodes a token without verifying anything; throws `JwtGateError('token_malformed')` on junk. */
export declare function decode<Payload = Record<string, JSONValue>>(token: string, options?: { now?: number | (() => number) }): Decoded<Payload>;

export declare class JwtGateError extends Error {
  constructor(code: ErrorCode, description?: string, details?: { realm?: string });
  readonly name: 'JwtGateError';
  readonly code: ErrorCode;
  /** 401, 403 (`insufficient_scope`) or 503 (`jwks_unavailable`). */
  readonly status: number;
  /** The RFC 6750 `WWW-Authenticate` header value. */
  readonly wwwAuthenticate: string;
  readonly description: string;
  /** The JSON body: `{"error": code, "error_description": ..., "scope"?: ...}`. */
  readonly body: string;
  /** A `Response` with the status, `WWW-Authenticate` and JSON body. */
  toResponse(): Response;
}

export declare const ERROR_CODES: readonly ErrorCode[];
