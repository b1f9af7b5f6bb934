import type { MiddlewareHandler } from 'hono';
import type { VerifierOptions, JSONValue } from './index.js';

/**
 * Hono middleware: verifies the bearer token, sets `c.get('jwtPayload')`,
 * `c.get('jwtScopes')` and `c.get('jwtHeader')`, and answers failures with
 * the core's RFC 6750 response.
 */
export declare function jwtgate(options: VerifierOptions): MiddlewareHandler<{
  Variables: {
    jwtPayload: Readonly<Record<string, JSONValue>>;
    jwtScopes: readonly string[];
    jwtHeader: Readonly<Record<string, JSONValue>>;
  };
}>;
export default jwtgate;
