// The wasm boundary of the async path: in-flight slots and their tickets.
import test from 'node:test';
import assert from 'node:assert/strict';
// Importing the package instantiates the wasm module for the direct Core use.
import { createVerifier } from 'jwtgate';
import { Core, wasmMemory } from '../pkg/jwtgate_js.js';
import { keyFor, mint, claims, ISSUER, AUDIENCE } from './helpers.js';

const OK = 0;
const PENDING = 1;
const RETRY = 2;
const OUT_SLOT = 0;
const OUT_TICKET = 13;

test('end and abandon act only on the slot with their ticket, once', () => {
  const key = keyFor('HS256');
  const core = new Core(JSON.stringify({ algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE }));
  assert.equal(core.setKeys(JSON.stringify({ keys: [key.jwk] })), 1);
  const memory = wasmMemory();
  const outputs = core.outputs() >>> 2;
  const begin = (token) => {
    const input = core.inputBuffer(token.length * 3);
    const { written } = new TextEncoder().encodeInto(token, new Uint8Array(memory.buffer, input, token.length * 3));
    assert.equal(core.begin(written, Date.now() / 1000, 0), PENDING);
    const out = new Uint32Array(memory.buffer);
    return [out[outputs + OUT_SLOT], out[outputs + OUT_TICKET]];
  };
  const [slot, ticket] = begin(mint(key, claims()));
  assert.equal(core.end(slot, ticket + 1, 0), RETRY, 'another ticket');
  core.abandon(slot, ticket + 1);
  assert.equal(core.end(slot, ticket, 0), OK);
  assert.equal(core.end(slot, ticket, 0), RETRY, 'ended already');
  // The freed slot is reused with a new ticket; the old one cannot end it.
  const [again, next] = begin(mint(key, claims({ jti: 'second' })));
  assert.equal(again, slot);
  assert.notEqual(next, ticket);
  assert.equal(core.end(again, ticket, 0), RETRY);
  core.abandon(again, next);
  assert.equal(core.end(again, next, 0), RETRY, 'abandoned');
});

test('thousands of verifications in flight on one verifier', async () => {
  const key = keyFor('HS256');
  const v = await createVerifier({ jwks: { keys: [key.jwk] }, algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE, cacheEntries: 0 });
  const tokens = Array.from({ length: 5000 }, (_, i) => mint(key, claims({ jti: `t${i}` })));
  const results = await Promise.all(tokens.map((t) => v.verify(t)));
  assert.ok(results.every((r, i) => r.payload.jti === `t${i}`));
});
