// `jwtgate/hono`: a Hono middleware that guards routes with a jwtgate
// verifier and answers failures with the core's RFC 6750 response.
import { createVerifier } from 'jwtgate';

/**
 * @param {object} options createVerifier options plus the route's
 *   `requiredScopes`, `scopesAny` and `claims`.
 */
export function jwtgate(options) {
  const { requiredScopes, scopesAny, claims, ...verifierOptions } = options ?? {};
  const route = { requiredScopes, scopesAny, claims };
  let verifier;
  return async function jwtgateMiddleware(c, next) {
    // Each request awaits only a promise it made itself (workerd forbids
    // sharing them); createVerifier does no I/O, so concurrent first
    // requests cost a spare verifier at most, and the first one stays.
    if (!verifier) {
      const created = await createVerifier(verifierOptions);
      verifier ??= created;
    }
    const outcome = await verifier.authorize(c.req.raw, route);
    if (!outcome.ok) return outcome.response;
    c.set('jwtPayload', outcome.payload);
    c.set('jwtScopes', outcome.scopes);
    c.set('jwtHeader', outcome.header);
    await next();
  };
}

export default jwtgate;
