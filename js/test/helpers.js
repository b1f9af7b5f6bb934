// Test helpers: keys and tokens minted with node:crypto, and the shared table.
import { generateKeyPairSync, createSign, sign as edSign, createHmac, randomBytes, constants } from 'node:crypto';
import { readFileSync } from 'node:fs';

export const b64u = (bytes) => Buffer.from(bytes).toString('base64url');
export const json64 = (value) => b64u(JSON.stringify(value));

export function table() {
  return JSON.parse(readFileSync(new URL('../../tests/cases/cases.json', import.meta.url), 'utf8'));
}

/** Options of a shared-table case, as createVerifier takes them. */
export function caseOptions(t, c) {
  const { now, ...rest } = c.options;
  const options = { jwks: t.jwks, ...t.defaults, ...rest };
  if (now !== undefined) options.now = () => now;
  return options;
}

const HASH = { 256: 'sha256', 384: 'sha384', 512: 'sha512' };

/** A key pair for `alg` with its public JWK (and a sign function). */
export function keyFor(alg, kid = `${alg}-key`) {
  const bits = alg.slice(2);
  if (alg.startsWith('HS')) {
    const secret = randomBytes(Number(bits) / 8);
    return {
      kid,
      alg,
      jwk: { kty: 'oct', kid, alg, k: b64u(secret) },
      sign: (input) => createHmac(HASH[bits], secret).update(input).digest(),
    };
  }
  let pair;
  if (alg.startsWith('RS') || alg.startsWith('PS')) {
    pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  } else if (alg.startsWith('ES')) {
    const curve = { 256: 'P-256', 384: 'P-384', 512: 'P-521' }[bits];
    pair = generateKeyPairSync('ec', { namedCurve: curve });
  } else {
    pair = generateKeyPairSync('ed25519');
  }
  const jwk = { ...pair.publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' };
  const sign = (input, extra = {}) => {
    if (alg === 'EdDSA') return edSign(null, Buffer.from(input), pair.privateKey);
    const signer = createSign(HASH[bits]);
    signer.update(input);
    if (alg.startsWith('PS')) {
      return signer.sign({
        key: pair.privateKey,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: extra.saltLength ?? Number(bits) / 8,
      });
    }
    if (alg.startsWith('ES')) return signer.sign({ key: pair.privateKey, dsaEncoding: 'ieee-p1363' });
    return signer.sign(pair.privateKey);
  };
  return { kid, alg, jwk, sign, privateKey: pair.privateKey, publicKey: pair.publicKey };
}

/** Algorithms verifySync's pure-Rust crypto leaves out: the package's core is
 * built without P-384/P-521 (about 190 KB of .wasm); verify() has them
 * through WebCrypto. */
export const SYNC_LACKS = new Set(['ES384', 'ES512']);

export const ISSUER = 'https://issuer.test';
export const AUDIENCE = 'api';

export function claims(extra = {}) {
  const now = Math.floor(Date.now() / 1000);
  return { iss: ISSUER, aud: AUDIENCE, sub: 'client-1', client_id: 'client-1', iat: now, exp: now + 3600, scope: 'read', ...extra };
}

/** A signed compact JWS. */
export function mint(key, payload = claims(), header = {}, extra = {}) {
  const input = `${json64({ alg: key.alg, kid: key.kid, typ: 'at+jwt', ...header })}.${json64(payload)}`;
  return `${input}.${b64u(key.sign(input, extra))}`;
}
