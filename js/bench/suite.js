// The benchmark suite, runtime-agnostic: one async "verify once" function per
// (library, mode, algorithm). run.js drives it in Node and inside workerd.
export const ALGS = ['RS256', 'ES256', 'EdDSA', 'HS256'];

/**
 * @param {object} libs { jwtgate, jose, tsndr, fastJwt? }
 * @param {object} fx { issuer, audience, keys: {alg: {jwk, pem?, secret?}}, tokens: {alg: token} }
 * @returns {Promise<Map<string, () => Promise<unknown>>>} "lib/alg" -> verify once
 */
export async function suite(libs, fx) {
  const { jwtgate, jose, tsndr, fastJwt } = libs;
  const out = new Map();
  const claims = { issuer: fx.issuer, audience: fx.audience };
  const jwks = { keys: ALGS.map((alg) => fx.keys[alg].jwk) };
  const cold = await jwtgate.createVerifier({ jwks, ...claims, algorithms: ALGS, cacheEntries: 0 });
  const cached = await jwtgate.createVerifier({ jwks, ...claims, algorithms: ALGS });
  const joseSet = jose.createLocalJWKSet(jwks);
  for (const alg of ALGS) {
    const token = fx.tokens[alg];
    const must = (ok) => {
      if (!ok) throw new Error(`${alg}: refused`);
    };
    out.set(`jwtgate verify/${alg}`, async () => must(await cold.verify(token)));
    out.set(`jwtgate verifySync/${alg}`, async () => must(cold.verifySync(token)));
    out.set(`jwtgate cached/${alg}`, async () => must(await cached.verify(token)));
    // jose's JWK Set functions take no `oct` keys: for HS256 it gets the
    // secret as a CryptoKey imported once (its fastest use).
    const joseKey =
      alg === 'HS256'
        ? await crypto.subtle.importKey('raw', new TextEncoder().encode(fx.keys[alg].secretText), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify'])
        : joseSet;
    out.set(`jose/${alg}`, async () => must(await jose.jwtVerify(token, joseKey, { ...claims, algorithms: [alg] })));
    const tsndrKey = alg === 'HS256' ? fx.keys[alg].secretText : fx.keys[alg].jwk;
    const tsndrVerify = async () => must(await tsndr.verify(token, tsndrKey, { algorithm: alg, throwError: true }));
    // @tsndr/cloudflare-worker-jwt has no EdDSA: leave the cell empty.
    if (await tsndrVerify().then(() => true, () => false)) out.set(`@tsndr/cloudflare-worker-jwt/${alg}`, tsndrVerify);
    if (fastJwt) {
      const key = alg === 'HS256' ? fx.keys[alg].secretText : fx.keys[alg].pem;
      const verify = fastJwt.createVerifier({ key, algorithms: [alg], allowedIss: fx.issuer, allowedAud: fx.audience, cache: false });
      const verifyCached = fastJwt.createVerifier({ key, algorithms: [alg], allowedIss: fx.issuer, allowedAud: fx.audience, cache: true });
      out.set(`fast-jwt/${alg}`, async () => must(verify(token)));
      out.set(`fast-jwt cached/${alg}`, async () => must(verifyCached(token)));
    }
  }
  return out;
}
