// Hostile input through the package's API (seeded, so a failure replays):
// mutated tokens, key sets, options and per-call requirements. Every call
// must answer (a result, a JwtGateError with a known code, or a TypeError for
// bad options); a wasm trap would surface as WebAssembly.RuntimeError and
// leave the module's state suspect, so the verifiers must still work after.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createVerifier, decode, JwtGateError, ERROR_CODES } from 'jwtgate';
import { keyFor, mint, claims, b64u, json64, ISSUER, AUDIENCE } from './helpers.js';

const ROUNDS = 1500;

/** mulberry32: a small seeded PRNG. */
function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  return { int, pick: (items) => items[int(items.length)] };
}

const CHARS = ['A', 'z', '0', '-', '_', '.', '=', '+', '/', ' ', '%', '\u00e9', '\u{1F600}', '\0', '"', '{', '}'];

function mutateText(r, text) {
  let out = text;
  for (let n = 1 + r.int(3); n > 0; n -= 1) {
    const at = r.int(out.length + 1);
    switch (r.int(5)) {
      case 0: out = out.slice(0, at) + r.pick(CHARS) + out.slice(at + 1); break;
      case 1: out = out.slice(0, at) + r.pick(CHARS) + out.slice(at); break;
      case 2: out = out.slice(0, at) + out.slice(at + 1 + r.int(8)); break;
      case 3: out = out.slice(0, at); break;
      default: out = out + out.slice(at); break;
    }
  }
  return out;
}

/** A random JSON value: deep, big, odd numbers, escapes, repeated keys. */
function value(r, depth = 0) {
  switch (depth > 4 ? r.int(4) : r.int(7)) {
    case 0: return r.pick([0, -1, 1e308, -1e308, 2 ** 53 + 1, 1.5, -0, 1e-300]);
    case 1: return r.pick(['', 'read', 'read write', '\u0000', '\ud800', 'x'.repeat(300)]);
    case 2: return r.pick([true, false, null]);
    case 3: return r.pick([ISSUER, AUDIENCE, 'client-1']);
    case 4: return Array.from({ length: r.int(4) }, () => value(r, depth + 1));
    case 5: return Object.fromEntries(Array.from({ length: r.int(4) }, () => [r.pick(['iss', 'aud', 'exp', 'nbf', 'iat', 'scope', 'scp', 'x', 'crit', 'kid', 'alg', 'typ', 'b64']), value(r, depth + 1)]));
    default: return '['.repeat(200) + ']'.repeat(200);
  }
}

/** `base` merged with a random value, one of its members sometimes given a
 * hostile value, and sometimes an `"alg":"none"` member appended as raw text
 * (a repeated member when `base` is a header). */
function jsonText(r, base) {
  const obj = { ...base, ...value(r, 4) };
  if (r.int(2) === 0) obj[r.pick(Object.keys(base))] = value(r, 2);
  const text = JSON.stringify(obj);
  return r.int(4) === 0 ? `${text.slice(0, -1)},"alg":"none"}` : text;
}

function hostileToken(r, keys) {
  const key = r.pick(keys);
  const valid = mint(key, claims());
  const [h, p, s] = valid.split('.');
  switch (r.int(4)) {
    case 0: return mutateText(r, valid);
    case 1: return `${b64u(jsonText(r, { alg: key.alg, kid: key.kid }))}.${p}.${s}`;
    case 2: return `${h}.${b64u(jsonText(r, claims()))}.${s}`;
    default: {
      // Correctly signed, hostile claims: the signature check passes.
      const input = `${json64({ alg: key.alg, kid: key.kid })}.${b64u(jsonText(r, claims()))}`;
      return `${input}.${b64u(key.sign(input))}`;
    }
  }
}

const codes = new Set(ERROR_CODES);

function assertAnswer(error, what) {
  if (error instanceof JwtGateError) {
    assert.ok(codes.has(error.code), `${what}: unknown code ${error.code}`);
    return;
  }
  // Anything else, a WebAssembly.RuntimeError (a trap) above all, fails.
  assert.ok(error instanceof TypeError, `${what}: ${error?.stack ?? error}`);
}

/** 'ok' or the refusal's code (asserting it is a refusal, not a trap). */
async function settle(what, run) {
  try {
    await run();
    return 'ok';
  } catch (error) {
    assertAnswer(error, what);
    return error.code ?? error.name;
  }
}

test('hostile tokens: decode, verifySync and verify always answer, with one verdict', async () => {
  const r = rng(0x6a77);
  const keys = ['HS256', 'RS256', 'ES256', 'EdDSA'].map((alg) => keyFor(alg));
  const jwks = { keys: keys.map((k) => k.jwk) };
  const options = { jwks, issuer: ISSUER, audience: AUDIENCE, algorithms: keys.map((k) => k.alg) };
  const cached = await createVerifier(options);
  const cold = await createVerifier({ ...options, cacheEntries: 0 });
  let verified = 0;
  for (let i = 0; i < ROUNDS; i += 1) {
    const token = hostileToken(r, keys);
    const what = `round ${i}: ${JSON.stringify(token.slice(0, 200))}`;
    await settle(`decode ${what}`, () => decode(token));
    const sync = await settle(`verifySync ${what}`, () => cold.verifySync(token));
    const async = await settle(`verify ${what}`, () => cached.verify(token));
    assert.equal(async, sync, `verify and verifySync disagree, ${what}`);
    if (async === 'ok') verified += 1;
  }
  // Some signed hostile-claims tokens keep what the verifier needs; most
  // tokens are refused.
  assert.ok(verified > 0 && verified < ROUNDS / 4, `${verified} of ${ROUNDS} verified`);
  for (const key of keys) {
    const token = mint(key, claims());
    assert.equal((await cached.verify(token)).payload.iss, ISSUER);
    assert.equal(cold.verifySync(token).payload.iss, ISSUER);
  }
});

test('hostile key sets, options and requirements are refusals, not traps', async () => {
  const r = rng(0x4b53);
  const keys = ['HS256', 'RS256', 'ES256', 'EdDSA'].map((alg) => keyFor(alg));
  const token = mint(keys[1], claims());
  const base = { issuer: ISSUER, audience: AUDIENCE, algorithms: keys.map((k) => k.alg) };
  const OPTION_NAMES = ['issuer', 'audience', 'algorithms', 'clockTolerance', 'maxTokenAge', 'requiredClaims', 'typ', 'requiredScopes', 'scopeClaims', 'claims', 'cacheEntries', 'maxTokenBytes', 'realm'];
  const usable = await createVerifier({ ...base, jwks: { keys: keys.map((k) => k.jwk) } });
  for (let i = 0; i < ROUNDS / 3; i += 1) {
    // A key set with one member of one key changed.
    const jwk = { ...r.pick(keys).jwk };
    jwk[r.pick([...Object.keys(jwk), 'crv', 'key_ops', 'use'])] = r.int(2) === 0 ? value(r, 3) : mutateText(r, String(jwk.n ?? jwk.x ?? jwk.k));
    await settle(`jwks round ${i}: ${JSON.stringify(jwk).slice(0, 300)}`, async () => {
      const v = await createVerifier({ ...base, jwks: { keys: [jwk] } });
      await settle(`verify with jwks round ${i}`, () => v.verify(token));
    });
    // Options with one value of the wrong kind.
    const name = r.pick(OPTION_NAMES);
    await settle(`option ${name} round ${i}`, () =>
      createVerifier({ ...base, jwks: { keys: [keys[1].jwk] }, [name]: value(r, 2) }),
    );
    // Per-call requirements of any shape.
    await settle(`requirements round ${i}`, () =>
      usable.verify(token, { [r.pick(['requiredScopes', 'scopesAny', 'claims'])]: value(r, 1) }),
    );
  }
  assert.equal((await usable.verify(token)).payload.iss, ISSUER);
  assert.equal((await createVerifier({ ...base, jwks: { keys: [keys[1].jwk] } })).verifySync(token).payload.iss, ISSUER);
});
