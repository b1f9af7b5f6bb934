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
  let creating;
  return async function jwtgateMiddleware(c, next) {
    // createVerifier does no I/O, so the first request's promise settles
    // without waiting on anything another request started.
    if (!verifier) {
      creating ??= createVerifier(verifierOptions);
      verifier = await creating;
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
