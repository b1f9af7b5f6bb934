// The shared verdict table (tests/cases/cases.json), run through verify
// (WebCrypto), verifySync (wasm crypto), authorize, and a cached second round.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createVerifier, JwtGateError } from 'jwtgate';
import { table, caseOptions, SYNC_LACKS } from './helpers.js';

const t = table();

// For what verifySync lacks, the table's `unsupported` verdict applies.
const syncExpect = (c) => (c.unsupported && SYNC_LACKS.has(c.unsupported.alg) ? c.unsupported.expect : c.expect);

test('the shared table has its cases', () => {
  assert.ok(t.cases.length >= 87, `only ${t.cases.length} cases`);
});

function expectVerdict(name, how, expect, outcome) {
  if (expect.ok) {
    assert.equal(outcome.error, undefined, `${name} (${how}): ${outcome.error?.code} ${outcome.error?.message}`);
    assert.deepEqual([...outcome.scopes], expect.scopes, `${name} (${how}): scopes`);
  } else {
    assert.ok(outcome.error instanceof JwtGateError, `${name} (${how}): expected ${expect.error}, got success`);
    assert.equal(outcome.error.code, expect.error, `${name} (${how}): code`);
    const status = { insufficient_scope: 403, jwks_unavailable: 503 }[expect.error] ?? 401;
    assert.equal(outcome.error.status, status, `${name} (${how}): status`);
  }
}

async function settle(promiseOrFn) {
  try {
    const value = await promiseOrFn();
    return value;
  } catch (error) {
    return { error };
  }
}

for (const c of t.cases) {
  test(`case ${c.name}`, async () => {
    const options = caseOptions(t, c);
    // verify (WebCrypto), cold then cached.
    const asyncVerifier = await createVerifier(options);
    for (const round of ['cold', 'cached']) {
      const outcome = await settle(() => asyncVerifier.verify(c.token));
      expectVerdict(c.name, `verify ${round}`, c.expect, outcome);
    }
    assert.equal(asyncVerifier.cachedEntries, c.expect.ok ? 1 : 0, `${c.name}: cache entries`);
    // verifySync (pure-Rust crypto in wasm), cold then cached.
    const syncVerifier = await createVerifier(options);
    for (const round of ['cold', 'cached']) {
      const outcome = await settle(() => syncVerifier.verifySync(c.token));
      expectVerdict(c.name, `verifySync ${round}`, syncExpect(c), outcome);
    }
    // authorize: the same verdict as a Response.
    const authVerifier = await createVerifier({ ...options, cacheEntries: 0 });
    const request = new Request('https://api.test/', { headers: { authorization: `Bearer ${c.token}` } });
    const result = await authVerifier.authorize(request);
    if (c.expect.ok) {
      assert.equal(result.ok, true, `${c.name} (authorize): ${result.error?.code}`);
      assert.deepEqual([...result.scopes], c.expect.scopes);
    } else {
      assert.equal(result.ok, false, `${c.name} (authorize): expected ${c.expect.error}`);
      expectVerdict(c.name, 'authorize', c.expect, { error: result.error });
      assert.equal(result.response.status, result.error.status);
      const body = await result.response.json();
      assert.equal(body.error, c.expect.error);
      const www = result.response.headers.get('www-authenticate');
      assert.match(www, /^Bearer realm="jwtgate"/);
      assert.match(www, c.expect.error === 'insufficient_scope' ? /error="insufficient_scope"/ : /error="invalid_token"/);
    }
  });
}
