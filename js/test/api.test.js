// The package API: options, every error code, decode, results, cache,
// authorize and the Hono middleware.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createVerifier, decode, JwtGateError, ERROR_CODES } from 'jwtgate';
import { jwtgate } from 'jwtgate/hono';
import { Hono } from 'hono';
import { keyFor, mint, claims, json64, ISSUER, AUDIENCE, SYNC_LACKS } from './helpers.js';

const ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'HS256', 'HS384', 'HS512'];
const keys = Object.fromEntries(ALGS.map((alg) => [alg, keyFor(alg)]));
const jwks = { keys: Object.values(keys).map((k) => k.jwk) };
const base = { jwks, issuer: ISSUER, audience: AUDIENCE, algorithms: ALGS };
const rs = keys.RS256;

async function codeOf(promise) {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof JwtGateError, `not a JwtGateError: ${error}`);
    return error;
  }
  assert.fail('expected a JwtGateError');
}

test('every algorithm verifies through WebCrypto and, but ES384/ES512, through wasm', async () => {
  const verifier = await createVerifier({ ...base, cacheEntries: 0 });
  for (const alg of ALGS) {
    const token = mint(keys[alg], claims({ scope: 'read write' }));
    const viaWebCrypto = await verifier.verify(token);
    assert.equal(viaWebCrypto.header.alg, alg);
    assert.deepEqual([...viaWebCrypto.scopes], ['read', 'write']);
    assert.equal(viaWebCrypto.payload.iss, ISSUER);
    if (SYNC_LACKS.has(alg)) {
      assert.throws(() => verifier.verifySync(token), { code: 'algorithm_not_allowed' }, alg);
      continue;
    }
    const viaWasm = verifier.verifySync(token);
    assert.deepEqual(viaWasm, viaWebCrypto, alg);
  }
});

test('every error code, with status and WWW-Authenticate', async () => {
  const v = await createVerifier({ ...base, algorithms: ['RS256', 'ES256'] });
  const now = Math.floor(Date.now() / 1000);
  const seen = new Map();
  const check = async (code, promise) => {
    const error = await codeOf(promise);
    assert.equal(error.code, code, error.message);
    seen.set(code, error);
  };
  await check('token_missing', v.verify(''));
  await check('token_missing', v.verify(undefined));
  await check('token_malformed', v.verify('abc.def'));
  await check('token_malformed', v.verify(`${json64({ alg: 'RS256' })}.${json64({})}.***`));
  await check('algorithm_not_allowed', v.verify(mint(keys.HS256, claims())));
  await check('algorithm_not_allowed', v.verify(`${json64({ alg: 'none' })}.${json64(claims())}.`));
  await check('key_not_found', v.verify(mint({ ...rs, kid: 'nope' }, claims())));
  const good = mint(rs, claims());
  const [h, p, s] = good.split('.');
  const forged = `${h}.${json64(claims({ scope: 'admin' }))}.${s}`;
  await check('signature_invalid', v.verify(forged));
  await check('token_expired', v.verify(mint(rs, claims({ exp: now - 3600 }))));
  await check('token_not_yet_valid', v.verify(mint(rs, claims({ nbf: now + 3600 }))));
  await check('issuer_invalid', v.verify(mint(rs, claims({ iss: 'https://evil.test' }))));
  await check('audience_invalid', v.verify(mint(rs, claims({ aud: 'other' }))));
  await check('claim_invalid', v.verify(good, { claims: { client_id: 'someone-else' } }));
  await check('insufficient_scope', v.verify(good, { requiredScopes: ['write'] }));
  const remote = await createVerifier({ jwks: 'http://127.0.0.1:9/jwks.json', jwksTimeout: 500 });
  await check('jwks_unavailable', remote.verify(good));
  assert.deepEqual([...seen.keys()].sort(), [...ERROR_CODES].sort(), 'every code was produced');
  for (const [code, error] of seen) {
    const status = { insufficient_scope: 403, jwks_unavailable: 503 }[code] ?? 401;
    assert.equal(error.status, status, code);
    assert.match(error.wwwAuthenticate, /^Bearer realm="jwtgate"/, code);
    if (code === 'token_missing' || code === 'jwks_unavailable') {
      assert.doesNotMatch(error.wwwAuthenticate, /error=/, code);
    } else if (code === 'insufficient_scope') {
      assert.match(error.wwwAuthenticate, /error="insufficient_scope".*scope="write"/);
    } else {
      assert.match(error.wwwAuthenticate, /error="invalid_token", error_description="/, code);
    }
    assert.equal(JSON.parse(error.body).error, code);
    assert.equal(error.name, 'JwtGateError');
    assert.ok(error instanceof Error);
  }
});

test('options are checked', async () => {
  await assert.rejects(createVerifier({ ...base, issuers: ['x'] }), TypeError);
  await assert.rejects(createVerifier({ ...base, algorithms: ['none'] }), TypeError);
  await assert.rejects(createVerifier({ ...base, clockTolerance: -1 }), TypeError);
  await assert.rejects(createVerifier({ issuer: ISSUER }), TypeError);
  await assert.rejects(createVerifier({ jwks: { keys: [{ kty: 'RSA', n: 'AQAB', e: 'AQAB' }] } }), /no usable key/);
  await assert.rejects(createVerifier({ jwks: 'ftp://example.test/jwks' }), TypeError);
  await assert.rejects(createVerifier({ ...base, now: 5 }), TypeError);
  const v = await createVerifier(base);
  await assert.rejects(v.verify(mint(rs, claims()), { requiredScope: 'x' }), TypeError);
});

test('defaults: HS* needs to be listed, 60 s clock tolerance, realm', async () => {
  const v = await createVerifier({ jwks, issuer: ISSUER, audience: AUDIENCE });
  assert.equal((await codeOf(v.verify(mint(keys.HS256, claims())))).code, 'algorithm_not_allowed');
  const now = Math.floor(Date.now() / 1000);
  await v.verify(mint(rs, claims({ exp: now - 30 })));
  assert.equal((await codeOf(v.verify(mint(rs, claims({ exp: now - 90 }))))).code, 'token_expired');
  const strict = await createVerifier({ jwks, clockTolerance: 0, realm: 'payments' });
  const error = await codeOf(strict.verify(mint(rs, claims({ exp: now - 30 }))));
  assert.equal(error.code, 'token_expired');
  assert.match(error.wwwAuthenticate, /^Bearer realm="payments"/);
});

test('verifier-level and per-call requirements: scopes, any-of scopes, claim rules', async () => {
  const v = await createVerifier({ ...base, requiredScopes: 'read' });
  const readOnly = mint(rs, claims({ scope: 'read', tenant: 'acme', roles: ['admin', 'ops'] }));
  const writeOnly = mint(rs, claims({ scope: 'write' }));
  assert.equal((await codeOf(v.verify(writeOnly))).code, 'insufficient_scope');
  await v.verify(readOnly);
  await v.verify(readOnly, { claims: { tenant: 'acme', roles: 'ops' } });
  await v.verify(readOnly, { scopesAny: ['admin', 'read'] });
  assert.equal((await codeOf(v.verify(readOnly, { scopesAny: ['admin'] }))).code, 'insufficient_scope');
  assert.equal((await codeOf(v.verify(readOnly, { claims: { tenant: ['other'] } }))).code, 'claim_invalid');
  // The same per-call options object again, and many distinct ones.
  const route = { requiredScopes: ['read'] };
  for (let i = 0; i < 300; i += 1) {
    await v.verify(readOnly, i % 2 ? route : { requiredScopes: ['read'], claims: { tenant: ['acme', `t${i}`] } });
  }
  assert.equal(v.verifySync(readOnly, { requiredScopes: 'read' }).payload.tenant, 'acme');
  assert.throws(() => v.verifySync(readOnly, { requiredScopes: 'write' }), (e) => e.code === 'insufficient_scope');
});

test('verified-token cache: hits, time re-checked, 0 turns it off, results frozen', async () => {
  let now = Math.floor(Date.now() / 1000);
  const v = await createVerifier({ ...base, now: () => now });
  const token = mint(rs, claims({ exp: now + 100 }));
  const first = await v.verify(token);
  assert.equal(v.cachedEntries, 1);
  const second = await v.verify(token);
  assert.equal(second, first, 'a hit returns the cached result');
  assert.ok(Object.isFrozen(first.payload));
  assert.throws(() => {
    first.payload.scope = 'admin';
  }, TypeError);
  now += 100 + 60;
  assert.equal((await codeOf(v.verify(token))).code, 'token_expired');
  const off = await createVerifier({ ...base, cacheEntries: 0 });
  await off.verify(token.replace(/./, (c) => c)).catch(() => {});
  await off.verify(mint(rs, claims()));
  assert.equal(off.cachedEntries, 0);
});

test('decode: header, payload, scopes, times; token_malformed on junk', () => {
  const now = 1_700_000_000;
  const token = mint(rs, claims({ iat: now - 10, exp: now + 50, scope: 'a b' }));
  const d = decode(token, { now });
  assert.equal(d.header.alg, 'RS256');
  assert.equal(d.payload.sub, 'client-1');
  assert.deepEqual(d.scopes, ['a', 'b']);
  assert.equal(d.issuedAt, now - 10);
  assert.equal(d.expiresAt, now + 50);
  assert.equal(d.expired, false);
  assert.equal(d.secondsLeft, 50);
  const late = decode(token, { now: now + 51 });
  assert.equal(late.expired, true);
  assert.equal(late.secondsLeft, 0);
  // decode does not check signatures.
  assert.equal(decode(`${token.slice(0, token.lastIndexOf('.'))}.AAAA`).payload.sub, 'client-1');
  for (const junk of ['', 'abc', 'a.b.c', `${json64([1])}.${json64({})}.`, 42, null]) {
    assert.throws(() => decode(junk), (e) => e instanceof JwtGateError && e.code === 'token_malformed', String(junk));
  }
});

test('authorize: bearer parsing and the RFC 6750 response', async () => {
  const v = await createVerifier(base);
  const token = mint(rs, claims({ scope: 'read' }));
  const ok = await v.authorize(new Request('https://x.test/', { headers: { Authorization: `Bearer ${token}` } }), { requiredScopes: ['read'] });
  assert.equal(ok.ok, true);
  assert.equal(ok.payload.sub, 'client-1');
  assert.deepEqual([...ok.scopes], ['read']);
  const lower = await v.authorize(new Request('https://x.test/', { headers: { authorization: `bearer ${token}` } }));
  assert.equal(lower.ok, true);
  for (const headers of [{}, { authorization: 'Basic dXNlcjpwYXNz' }, { authorization: 'Bearer ' }]) {
    const missing = await v.authorize(new Request('https://x.test/', { headers }));
    assert.equal(missing.ok, false);
    assert.equal(missing.error.code, 'token_missing');
    assert.equal(missing.response.status, 401);
    assert.equal(missing.response.headers.get('www-authenticate'), 'Bearer realm="jwtgate"');
  }
  const scope = await v.authorize(new Request('https://x.test/', { headers: { authorization: `Bearer ${token}` } }), { requiredScopes: ['write'] });
  assert.equal(scope.response.status, 403);
  assert.match(scope.response.headers.get('www-authenticate'), /error="insufficient_scope"/);
  assert.equal(scope.response.headers.get('content-type'), 'application/json');
  assert.deepEqual(await scope.response.json(), {
    error: 'insufficient_scope',
    error_description: 'the token lacks required scope: write',
    scope: 'write',
  });
});

test('JwtGateError can be made and turned into a response', async () => {
  const error = new JwtGateError('token_expired', 'old');
  assert.equal(error.status, 401);
  assert.equal(error.code, 'token_expired');
  assert.match(error.wwwAuthenticate, /error="invalid_token", error_description="old"/);
  const response = error.toResponse();
  assert.equal(response.status, 401);
  assert.equal((await response.json()).error, 'token_expired');
});

test('hono middleware guards routes by scope', async () => {
  const app = new Hono();
  app.use('/read/*', jwtgate({ ...base, requiredScopes: ['read'] }));
  app.use('/admin/*', jwtgate({ ...base, requiredScopes: ['admin'] }));
  app.get('/read/x', (c) => c.json({ sub: c.get('jwtPayload').sub, scopes: c.get('jwtScopes') }));
  app.get('/admin/x', (c) => c.text('admin'));
  const token = mint(rs, claims({ scope: 'read' }));
  const auth = { headers: { authorization: `Bearer ${token}` } };
  const ok = await app.request('/read/x', auth);
  assert.equal(ok.status, 200);
  assert.deepEqual(await ok.json(), { sub: 'client-1', scopes: ['read'] });
  const denied = await app.request('/admin/x', auth);
  assert.equal(denied.status, 403);
  assert.match(denied.headers.get('www-authenticate'), /insufficient_scope/);
  const none = await app.request('/read/x');
  assert.equal(none.status, 401);
  const forged = await app.request('/read/x', { headers: { authorization: `Bearer ${token.slice(0, -4)}AAAA` } });
  assert.equal(forged.status, 401);
  assert.equal((await forged.json()).error, 'signature_invalid');
});

test('concurrent WebCrypto verifications of every algorithm', async () => {
  const v = await createVerifier({ ...base, cacheEntries: 0 });
  const tokens = ALGS.map((alg) => mint(keys[alg], claims()));
  const results = await Promise.all(tokens.map((t) => v.verify(t)));
  assert.deepEqual(results.map((r) => r.header.alg), ALGS);
});


test('results are the token JSON as sent: member order, non-ASCII text, escapes, numbers', async () => {
  const v = await createVerifier({ ...base, cacheEntries: 0 });
  const payload = {
    zeta: 1,
    ...claims({ scope: 'read "quoted" \\back' }),
    name: 'Zoë 東京 \u2028 😀',
    escaped: 'tab\there "q" \\ \u0001',
    nested: { b: [1, 2.5, -0.125, 1e21, 12345678901234567890], a: null, t: true },
    alpha: false,
  };
  const token = mint(rs, payload, { cty: 'text/plain', zzz: 'ü' });
  for (const result of [await v.verify(token), v.verifySync(token)]) {
    assert.deepEqual(Object.keys(result.payload), Object.keys(payload));
    assert.deepEqual(result.payload, JSON.parse(JSON.stringify(payload)));
    assert.deepEqual(Object.keys(result.header), ['alg', 'kid', 'typ', 'cty', 'zzz']);
    assert.equal(result.header.zzz, 'ü');
    assert.deepEqual([...result.scopes], ['read', '"quoted"', '\\back']);
    assert.ok(Object.isFrozen(result.payload.nested.b));
  }
});

test('tokens the glue writes specially: very long, lone surrogates, then a normal one again', async () => {
  const v = await createVerifier({ ...base, cacheEntries: 0 });
  const good = mint(rs, claims());
  const long = `${good}${'A'.repeat(70000)}`;
  for (const run of [(t) => v.verify(t), async (t) => v.verifySync(t)]) {
    const error = await codeOf(run(long));
    assert.equal(error.code, 'token_malformed');
    assert.match(error.description, new RegExp(`${long.length} bytes`));
    assert.equal((await codeOf(run(`${good}\ud800`))).code, 'token_malformed');
    assert.equal((await codeOf(run(`\udc00${good}`))).code, 'token_malformed');
    assert.equal((await run(good)).payload.sub, 'client-1');
  }
  // A token of multi-byte characters (3 UTF-8 bytes per UTF-16 unit) is
  // measured in bytes, as the core always did.
  const wide = '東'.repeat(6000);
  const error = await codeOf(v.verify(wide));
  assert.match(error.description, /18000 bytes/);
});

test('many verifications in flight at once', async () => {
  const v = await createVerifier({ ...base, cacheEntries: 0 });
  const tokens = [];
  for (let i = 0; i < 300; i += 1) tokens.push(mint(keys[ALGS[i % ALGS.length]], claims({ jti: `t${i}` })));
  const results = await Promise.all(tokens.map((t) => v.verify(t)));
  assert.deepEqual(
    results.map((r) => r.payload.jti),
    tokens.map((_, i) => `t${i}`),
  );
});
