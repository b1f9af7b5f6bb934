// WebCrypto (verify) and the pure-Rust provider in wasm (verifySync) must
// agree: on Wycheproof-derived vectors, provider against provider, and on
// tampered tokens, verdict against verdict.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createVerifier, JwtGateError } from 'jwtgate';
import { Core } from '../pkg/jwtgate_js.js';
import { WebCryptoKeys } from '../lib/webcrypto.js';
import { keyFor, mint, claims, b64u, json64, SYNC_LACKS } from './helpers.js';

const vectors = JSON.parse(readFileSync(new URL('./fixtures/wycheproof.json', import.meta.url), 'utf8'));
const ALL = ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const hex = (text) => Uint8Array.from(Buffer.from(text, 'hex'));

test('Wycheproof: WebCrypto and wasm crypto agree, and both match the expected result', async () => {
  const byAlg = new Map();
  const disagreements = [];
  let checked = 0;
  let skippedKeys = 0;
  for (const group of vectors.groups) {
    const core = new Core(JSON.stringify({ algorithms: ALL }));
    if (core.setKeys(JSON.stringify({ keys: [group.jwk] })) !== 1) {
      // Keys the core refuses (weak, malformed) cannot verify anything.
      skippedKeys += 1;
      continue;
    }
    const web = new WebCryptoKeys();
    for (const t of group.tests) {
      const msg = hex(t.msg);
      const sig = hex(t.sig);
      // Where wasm has no verifier, WebCrypto alone is held to the vectors.
      const rust = SYNC_LACKS.has(group.alg) ? undefined : core.verifyWithRust(group.alg, 0, core.generation, msg, sig);
      // A rejection counts as a no, as in the verifier.
      const viaWeb = await Promise.resolve(web.verify(core, group.alg, 0, core.generation, msg, sig)).catch(() => false);
      checked += 1;
      byAlg.set(group.alg, (byAlg.get(group.alg) ?? 0) + 1);
      const where = `${group.source} #${t.id} (${t.comment}, ${t.result})`;
      if (rust !== undefined && rust !== viaWeb) disagreements.push(`${where}: wasm ${rust}, WebCrypto ${viaWeb}`);
      else if (t.result === 'valid' && !viaWeb) disagreements.push(`${where}: a valid signature refused`);
      else if (t.result === 'invalid' && viaWeb) disagreements.push(`${where}: an invalid signature accepted`);
    }
    // WebCrypto really was used (no silent fallback to wasm) on Node.
    const imported = [...web.byThumbprint.values()];
    assert.ok(imported.length === 1 && imported[0] !== false, `${group.source}: WebCrypto import failed`);
  }
  assert.deepEqual(disagreements, [], `${disagreements.length} of ${checked}`);
  assert.ok(checked > 1500, `only ${checked} vectors checked (${skippedKeys} keys refused)`);
  for (const alg of ['ES256', 'ES384', 'ES512', 'EdDSA', 'RS256', 'PS256', 'HS256']) {
    assert.ok(byAlg.get(alg) > 10, `${alg}: ${byAlg.get(alg)} vectors`);
  }
});

/** The verdict of a verification: 'ok' or the error code. */
async function verdict(run) {
  try {
    await run();
    return 'ok';
  } catch (error) {
    if (!(error instanceof JwtGateError)) throw error;
    return error.code;
  }
}

function bigint(bytes) {
  return BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);
}
function bytesOf(value, length) {
  return Uint8Array.from(Buffer.from(value.toString(16).padStart(length * 2, '0'), 'hex'));
}
const ORDER = {
  ES256: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  ES384: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
  ES512: 0x01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409n,
};
const ED_L = 0x1000000000000000000000000000000014def9dea2f79cd65812631a5cf5d3edn;

/** Tampered signatures for a token: what an attacker would try. */
function tamperings(alg, token, key) {
  const dot = token.lastIndexOf('.');
  const input = token.slice(0, dot);
  const sig = Buffer.from(token.slice(dot + 1), 'base64url');
  const variants = { original: sig };
  for (const at of [0, sig.length >> 1, sig.length - 1]) {
    const flipped = Buffer.from(sig);
    flipped[at] ^= 0x01;
    variants[`flip@${at}`] = flipped;
  }
  variants.truncated = sig.subarray(0, sig.length - 1);
  variants.extended = Buffer.concat([sig, Buffer.from([0])]);
  variants.zeros = Buffer.alloc(sig.length);
  variants.ones = Buffer.alloc(sig.length, 0xff);
  variants.otherPayload = Buffer.from(mint(key, claims({ sub: 'other' }), {}).split('.')[2], 'base64url');
  if (alg in ORDER) {
    const half = sig.length / 2;
    const r = bigint(sig.subarray(0, half));
    const s = bigint(sig.subarray(half));
    const n = ORDER[alg];
    variants.highS = Buffer.concat([bytesOf(r, half), bytesOf(n - s, half)]);
    variants.rZero = Buffer.concat([bytesOf(0n, half), bytesOf(s, half)]);
    variants.sZero = Buffer.concat([bytesOf(r, half), bytesOf(0n, half)]);
    variants.rPlusN = r + n < 1n << BigInt(half * 8) ? Buffer.concat([bytesOf(r + n, half), bytesOf(s, half)]) : undefined;
    variants.sPlusN = s + n < 1n << BigInt(half * 8) ? Buffer.concat([bytesOf(r, half), bytesOf(s + n, half)]) : undefined;
    variants.rIsN = Buffer.concat([bytesOf(n, half), bytesOf(s, half)]);
  }
  if (alg === 'EdDSA') {
    const sLe = bigint(Buffer.from(sig.subarray(32)).reverse());
    const big = bytesOf(sLe + ED_L, 32).reverse();
    variants.sPlusL = Buffer.concat([sig.subarray(0, 32), big]);
  }
  if (alg.startsWith('PS')) {
    for (const saltLength of [0, 20, 64]) {
      const resigned = mint(key, JSON.parse(Buffer.from(input.split('.')[1], 'base64url')), {}, { saltLength });
      variants[`salt${saltLength}`] = Buffer.from(resigned.split('.')[2], 'base64url');
    }
  }
  return Object.entries(variants)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => [name, `${input}.${b64u(value)}`]);
}

/** The same verdict, except that verifySync answers algorithm_not_allowed
 * where its crypto lacks the token's algorithm and a key was found. */
function agree(alg, viaWebCrypto, viaWasm) {
  if (SYNC_LACKS.has(alg) && ['ok', 'signature_invalid'].includes(viaWebCrypto)) {
    return viaWasm === 'algorithm_not_allowed';
  }
  return viaWebCrypto === viaWasm;
}

test('tampered tokens: verify (WebCrypto) and verifySync (wasm) give the same verdict', async () => {
  const keys = ALL.map((alg) => keyFor(alg));
  const verifier = await createVerifier({ jwks: { keys: keys.map((k) => k.jwk) }, algorithms: ALL, cacheEntries: 0 });
  const disagreements = [];
  let accepted = 0;
  let total = 0;
  for (const key of keys) {
    const payload = claims();
    const token = mint(key, payload);
    for (const [name, variant] of tamperings(key.alg, token, key)) {
      const a = await verdict(() => verifier.verify(variant));
      const b = await verdict(() => verifier.verifySync(variant));
      total += 1;
      if (!agree(key.alg, a, b)) disagreements.push(`${key.alg} ${name}: verify ${a}, verifySync ${b}`);
      if (a === 'ok') accepted += 1;
      if (name === 'original' && a !== 'ok') disagreements.push(`${key.alg}: the untampered token was refused (${a})`);
      if (name !== 'original' && a === 'ok' && !name.startsWith('salt') && name !== 'highS') {
        disagreements.push(`${key.alg} ${name}: accepted`);
      }
    }
    // Header tricks on the same signature: alg swaps.
    const [, p, s] = token.split('.');
    for (const alg of ALL.filter((other) => other !== key.alg)) {
      const swapped = `${json64({ alg, kid: key.kid })}.${p}.${s}`;
      const a = await verdict(() => verifier.verify(swapped));
      const b = await verdict(() => verifier.verifySync(swapped));
      total += 1;
      if (!agree(alg, a, b)) disagreements.push(`${key.alg} as ${alg}: verify ${a}, verifySync ${b}`);
      if (a === 'ok') disagreements.push(`${key.alg} as ${alg}: accepted`);
    }
  }
  assert.deepEqual(disagreements, []);
  assert.ok(total > 250, `${total} variants`);
  assert.ok(accepted >= ALL.length, 'the originals verified');
});
