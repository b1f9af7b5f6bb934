// A real workerd serves js/examples/worker/ over HTTP; valid, expired,
// wrong-scope and forged tokens, and concurrent cold-start requests whose
// key-set fetches overlap (jose issue #355 hangs there).
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { makeConfig } from '../examples/worker/make-config.js';
import { fileURLToPath } from 'node:url';
import { keyFor, mint, claims, json64 } from './helpers.js';
import { jwksServer, freePort, start, waitFor } from './servers.js';

const pkg = fileURLToPath(new URL('..', import.meta.url));

function workerdBinary() {
  // The npm package `workerd` ships the binary in a platform package.
  return fileURLToPath(new URL('../node_modules/.bin/workerd', import.meta.url));
}

/** The API behind the worker: echoes what the worker forwarded. */
async function upstreamServer() {
  const server = createServer((req, res) => {
    res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({
      method: req.method,
      path: req.url,
      authorization: req.headers.authorization ?? null,
      payload: req.headers['x-jwt-payload'] ? JSON.parse(Buffer.from(req.headers['x-jwt-payload'], 'base64url')) : null,
      client: req.headers['x-client-id'] ?? null,
    }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

test('workerd serves the example worker and guards its routes', async (t) => {
  const keys = { ES256: keyFor('ES256', 'es'), RS256: keyFor('RS256', 'rs'), EdDSA: keyFor('EdDSA', 'ed') };
  const jwks = await jwksServer({ keys: Object.values(keys).map((k) => k.jwk) });
  t.after(jwks.close);
  jwks.state.delay = 300; // cold-start fetches overlap
  const port = await freePort();
  const dir = `${pkg}.tmp/workerd`;
  mkdirSync(dir, { recursive: true });
  const api = await upstreamServer();
  t.after(api.close);
  const out = `${dir}/config.capnp`;
  writeFileSync(out, makeConfig({ port, jwks: jwks.url, issuer: 'https://issuer.test', audience: 'api', upstream: api.url, out }));
  const workerd = start(workerdBinary(), ['serve', `${dir}/config.capnp`, '--verbose']);
  t.after(workerd.stop);
  const base = `http://127.0.0.1:${port}`;
  await waitFor(`${base}/health`, workerd);

  const get = (path, token, method = 'GET') =>
    fetch(`${base}${path}`, { method, headers: token ? { authorization: `Bearer ${token}` } : {} });
  const read = mint(keys.ES256, claims({ scope: 'payments:read', client_id: 'shop' }));

  // Concurrent first requests: each must answer, none may hang.
  const cold = await Promise.all(
    Array.from({ length: 8 }, (_, i) => get('/payments', mint(keys.ES256, claims({ scope: 'payments:read', jti: `c${i}` })))),
  );
  assert.deepEqual(cold.map((r) => r.status), Array(8).fill(200), 'cold start');
  await Promise.all(cold.map((r) => r.text()));

  const ok = await get('/payments?page=2', read);
  assert.equal(ok.status, 200);
  const seen = await ok.json();
  assert.equal(seen.path, '/payments?page=2');
  assert.equal(seen.authorization, null, 'the token is not passed on');
  assert.equal(seen.client, 'shop');
  assert.equal(seen.payload.scope, 'payments:read');
  for (const alg of ['RS256', 'EdDSA']) {
    const r = await get('/payments', mint(keys[alg], claims({ scope: 'payments:read payments:write' })), 'POST');
    assert.equal(r.status, 201, `${alg}: ${await r.clone().text()}`);
    assert.equal((await r.json()).method, 'POST');
  }

  const expect = async (response, status, code) => {
    const body = await response.json();
    assert.equal(response.status, status, JSON.stringify(body));
    assert.equal(body.error, code);
    const www = response.headers.get('www-authenticate');
    assert.match(www, /^Bearer realm="jwtgate"/);
    if (code !== 'token_missing') assert.match(www, new RegExp(`error="${code === 'insufficient_scope' ? code : 'invalid_token'}"`));
  };
  const now = Math.floor(Date.now() / 1000);
  await expect(await get('/payments', mint(keys.ES256, claims({ scope: 'payments:read', iat: now - 7200, exp: now - 3600 }))), 401, 'token_expired');
  await expect(await get('/payments', read, 'POST'), 403, 'insufficient_scope');
  await expect(await get('/admin', read), 403, 'insufficient_scope');
  const [h, , s] = read.split('.');
  await expect(await get('/payments', `${h}.${json64(claims({ scope: 'payments:admin payments:read' }))}.${s}`), 401, 'signature_invalid');
  await expect(await get('/payments', `${json64({ alg: 'none' })}.${json64(claims({ scope: 'payments:read' }))}.`), 401, 'algorithm_not_allowed');
  await expect(await get('/payments', mint({ ...keys.ES256, kid: 'unknown' }, claims({ scope: 'payments:read' }))), 401, 'key_not_found');
  await expect(await get('/payments', mint(keys.ES256, claims({ scope: 'payments:read', iss: 'https://evil.test' }))), 401, 'issuer_invalid');
  await expect(await get('/payments'), 401, 'token_missing');
  assert.ok(jwks.state.requests >= 1 && jwks.state.requests <= 10, `${jwks.state.requests} JWKS fetches`);
});
