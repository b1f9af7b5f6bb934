// The runtime smoke test: the same checks in Node, Deno, Bun and Chromium.
// `jwtgate` is the package as the runtime resolved it; `fx` the fixture the
// Node test wrote (keys, tokens, a JWKS URL on 127.0.0.1).
export async function smoke(jwtgate, fx) {
  const { createVerifier, decode, JwtGateError } = jwtgate;
  const options = { issuer: fx.issuer, audience: fx.audience, algorithms: ['ES256', 'RS256', 'EdDSA', 'HS256'] };
  const route = { requiredScopes: ['payments:read'] };
  const local = await createVerifier({ jwks: fx.jwks, ...options });
  const outcome = (promise) =>
    promise.then(
      (r) => `ok ${r.scopes.join(' ')}`,
      (e) => (e instanceof JwtGateError ? `${e.code} ${e.status}` : `thrown ${e}`),
    );
  const out = { tokens: {} };
  for (const [name, token] of Object.entries(fx.tokens)) {
    const request = new Request('https://api.test/payments', { headers: { authorization: `Bearer ${token}` } });
    const auth = await local.authorize(request, route);
    out.tokens[name] = {
      verify: await outcome(local.verify(token, route)),
      cached: await outcome(local.verify(token, route)),
      verifySync: await outcome(Promise.resolve().then(() => local.verifySync(token, route))),
      authorize: auth.ok ? 200 : `${auth.response.status} ${auth.response.headers.get('www-authenticate').replace(/ error_description=.*/, '')}`,
    };
  }
  const decoded = decode(fx.tokens.validES256);
  out.decode = `${decoded.header.alg} ${decoded.payload.sub} ${decoded.scopes.join(' ')} ${decoded.expired}`;
  try {
    decode('junk');
    out.decodeJunk = 'accepted';
  } catch (e) {
    out.decodeJunk = e.code;
  }
  const remote = await createVerifier({ jwks: fx.jwksUrl, ...options });
  out.remote = await outcome(remote.verify(fx.tokens.validES256, route));
  const down = await createVerifier({ jwks: fx.deadUrl, jwksTimeout: 2000, ...options });
  out.remoteDown = await outcome(down.verify(fx.tokens.validES256, route));
  return out;
}
