// Remote key sets against a local HTTP server: rotation, cooldown, server
// down, slow server, garbage body, Cache-Control.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createVerifier, JwtGateError } from 'jwtgate';
import { keyFor, mint, claims, ISSUER } from './helpers.js';

const k1 = keyFor('ES256', 'k1');
const k2 = keyFor('ES256', 'k2');
const k3 = keyFor('RS256', 'k3');

/** A JWKS server whose answers the test sets. */
async function jwksServer() {
  const state = { keys: { keys: [k1.jwk] }, status: 200, delay: 0, body: undefined, cacheControl: undefined, requests: 0 };
  const server = createServer((req, res) => {
    state.requests += 1;
    const answer = () => {
      const headers = { 'content-type': 'application/json' };
      if (state.cacheControl) headers['cache-control'] = state.cacheControl;
      res.writeHead(state.status, headers);
      res.end(state.body ?? JSON.stringify(state.keys));
    };
    if (state.delay) setTimeout(answer, state.delay);
    else answer();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/.well-known/jwks.json`;
  const close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(resolve);
    });
  return { state, url, close };
}

function clock(start = Math.floor(Date.now() / 1000)) {
  const c = { t: start, now: () => c.t, advance: (s) => (c.t += s) };
  return c;
}

async function code(promise) {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof JwtGateError, String(error));
    return error.code;
  }
  return 'ok';
}

const token = (key, extra) => mint(key, claims({ exp: 4_102_444_800, ...extra }));

test('fetched once, then cached for jwksCacheMaxAge', async (t) => {
  const s = await jwksServer();
  t.after(s.close);
  const c = clock();
  const v = await createVerifier({ jwks: s.url, issuer: ISSUER, now: c.now, jwksCacheMaxAge: 60_000 });
  assert.equal(s.state.requests, 0, 'no I/O before the first verification');
  await v.verify(token(k1));
  await v.verify(token(k1, { jti: 'b' }));
  v.verifySync(token(k1, { jti: 'c' }));
  assert.equal(s.state.requests, 1);
  c.advance(59);
  await v.verify(token(k1, { jti: 'd' }));
  assert.equal(s.state.requests, 1);
  c.advance(2);
  await v.verify(token(k1, { jti: 'e' }));
  assert.equal(s.state.requests, 2, 'refetched after max age');
  assert.equal(v.jwksFetches, 2);
});

test('a URL object and a custom fetch', async (t) => {
  const s = await jwksServer();
  t.after(s.close);
  const seen = [];
  const v = await createVerifier({
    jwks: new URL(s.url),
    fetch: (url, init) => {
      seen.push(url);
      return fetch(url, init);
    },
  });
  await v.verify(token(k1));
  assert.deepEqual(seen, [s.url]);
});

test('rotation: an unknown kid refetches once per cooldown', async (t) => {
  const s = await jwksServer();
  t.after(s.close);
  const c = clock();
  const v = await createVerifier({ jwks: s.url, now: c.now, jwksCooldown: 30_000 });
  await v.verify(token(k1));
  assert.equal(s.state.requests, 1);
  s.state.keys = { keys: [k2.jwk] };
  // A rotation right after the first fetch is picked up at once.
  assert.equal(await code(v.verify(token(k2))), 'ok', 'refetched on the unknown kid');
  assert.equal(s.state.requests, 2);
  // Within the cooldown of that refetch: no other one.
  s.state.keys = { keys: [k2.jwk, k3.jwk] };
  assert.equal(await code(v.verify(token(k3))), 'key_not_found');
  assert.equal(s.state.requests, 2);
  s.state.keys = { keys: [k2.jwk] };
  // The old key is gone with the old set, and the old verdicts with it.
  assert.equal(await code(v.verify(token(k1))), 'key_not_found');
  assert.equal(s.state.requests, 2, 'cooldown: no second refetch');
  // Many unknown kids inside one cooldown cost one fetch at most.
  s.state.keys = { keys: [k2.jwk, k3.jwk] };
  c.advance(31);
  const results = [];
  for (let i = 0; i < 20; i += 1) results.push(await code(v.verify(token(keyFor('ES256', `x${i}`)))));
  assert.ok(results.every((r) => r === 'key_not_found'));
  assert.equal(s.state.requests, 3);
  assert.equal(await code(v.verify(token(k3))), 'ok', 'k3 came with the refetch');
});

test('server down: the last good set is kept, retries once per cooldown', async (t) => {
  const s = await jwksServer();
  t.after(s.close);
  const c = clock();
  const v = await createVerifier({ jwks: s.url, now: c.now, jwksCacheMaxAge: 10_000, jwksCooldown: 30_000 });
  await v.verify(token(k1));
  s.state.status = 500;
  c.advance(11);
  assert.equal(await code(v.verify(token(k1, { jti: 'x' }))), 'ok', 'stale set still used');
  assert.equal(s.state.requests, 2);
  for (let i = 0; i < 5; i += 1) assert.equal(await code(v.verify(token(k1, { jti: `y${i}` }))), 'ok');
  assert.equal(s.state.requests, 2, 'no refetch inside the cooldown');
  c.advance(31);
  s.state.status = 200;
  s.state.keys = { keys: [k1.jwk, k2.jwk] };
  assert.equal(await code(v.verify(token(k2))), 'ok');
  assert.equal(s.state.requests, 3);
});

test('server down from the start: jwks_unavailable (503)', async (t) => {
  const s = await jwksServer();
  t.after(s.close);
  s.state.status = 404;
  const v = await createVerifier({ jwks: s.url });
  await assert.rejects(v.verify(token(k1)), (e) => e.code === 'jwks_unavailable' && e.status === 503 && /HTTP 404/.test(e.message));
  assert.throws(() => v.verifySync(token(k1)), (e) => e.code === 'jwks_unavailable');
  const r = await v.authorize(new Request('https://a.test/', { headers: { authorization: `Bearer ${token(k1)}` } }));
  assert.equal(r.response.status, 503);
  assert.equal(r.response.headers.get('www-authenticate'), 'Bearer realm="jwtgate"');
  // Once the server is back, the set is fetched.
  s.state.status = 200;
  assert.equal(await code(v.verify(token(k1))), 'ok');
});

test('nothing listening: jwks_unavailable', async () => {
  const v = await createVerifier({ jwks: 'http://127.0.0.1:9/jwks.json' });
  assert.equal(await code(v.verify(token(k1))), 'jwks_unavailable');
});

test('slow server: the fetch times out', async (t) => {
  const s = await jwksServer();
  t.after(s.close);
  s.state.delay = 2_000;
  const v = await createVerifier({ jwks: s.url, jwksTimeout: 200 });
  const started = Date.now();
  await assert.rejects(v.verify(token(k1)), (e) => e.code === 'jwks_unavailable' && /timed out/.test(e.message));
  assert.ok(Date.now() - started < 1_500, `took ${Date.now() - started} ms`);
});

test('garbage bodies: never a set, and never replace a good one', async (t) => {
  const s = await jwksServer();
  t.after(s.close);
  const c = clock();
  s.state.body = '<html>oops</html>';
  const v = await createVerifier({ jwks: s.url, now: c.now, jwksCacheMaxAge: 1_000, jwksCooldown: 1_000 });
  assert.equal(await code(v.verify(token(k1))), 'jwks_unavailable');
  s.state.body = undefined;
  c.advance(2);
  assert.equal(await code(v.verify(token(k1))), 'ok');
  for (const garbage of ['{"keys":[]}', '{"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB"}]}', 'null', '{"keys":', '\u0000\u0001']) {
    s.state.body = garbage;
    c.advance(2);
    const before = s.state.requests;
    assert.equal(await code(v.verify(token(k1, { jti: garbage }))), 'ok', JSON.stringify(garbage));
    assert.equal(s.state.requests, before + 1, 'it did refetch');
  }
});

test('Cache-Control: a shorter max-age wins, a longer one does not', async (t) => {
  const s = await jwksServer();
  t.after(s.close);
  const c = clock();
  s.state.cacheControl = 'public, max-age=5';
  const v = await createVerifier({ jwks: s.url, now: c.now, jwksCacheMaxAge: 60_000 });
  await v.verify(token(k1));
  c.advance(4);
  await v.verify(token(k1, { jti: 'a' }));
  assert.equal(s.state.requests, 1);
  c.advance(2);
  s.state.cacheControl = 'max-age=3600';
  await v.verify(token(k1, { jti: 'b' }));
  assert.equal(s.state.requests, 2, 'refetched after 5 s');
  c.advance(59);
  await v.verify(token(k1, { jti: 'c' }));
  assert.equal(s.state.requests, 2);
  c.advance(2);
  await v.verify(token(k1, { jti: 'd' }));
  assert.equal(s.state.requests, 3, 'jwksCacheMaxAge caps a longer max-age');
});

test('concurrent first verifications share one fetch in Node', async (t) => {
  const s = await jwksServer();
  t.after(s.close);
  s.state.delay = 50;
  const v = await createVerifier({ jwks: s.url });
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) => v.verify(token(k1, { jti: `c${i}` }))));
  assert.equal(results.length, 20);
  assert.equal(s.state.requests, 1);
});
