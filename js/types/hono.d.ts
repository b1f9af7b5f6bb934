import type { MiddlewareHandler } from 'hono';
import type { VerifierOptions, JSONValue } from './index.js';

/** What the middleware sets on the context: `new Hono<{ Variables: JwtGateVariables }>()`. */
export interface JwtGateVariables {
  jwtPayload: Readonly<Record<string, JSONValue>>;
  jwtScopes: readonly string[];
  jwtHeader: Readonly<Record<string, JSONValue>>;
}

/**
 * Hono middleware: verifies the bearer token, sets `c.get('jwtPayload')`,
 * `c.get('jwtScopes')` and `c.get('jwtHeader')`, and answers failures with
 * the core's RFC 6750 response. `requiredScopes`, `scopesAny` and `claims`
 * are the route's requirements.
 */
export declare function jwtgate(options: VerifierOptions): MiddlewareHandler<{ Variables: JwtGateVariables }>;
export default jwtgate;
