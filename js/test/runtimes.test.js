// The smoke test (test/smoke/smoke.js) in Node, then Deno, Bun and headless
// Chromium: each must give the very same outcome as Node, and Node's must be
// the expected one.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync, copyFileSync, symlinkSync, rmSync } from 'node:fs';
import { openPage } from './browser.js';
import { fileURLToPath } from 'node:url';
import * as jwtgate from 'jwtgate';
import { keyFor, mint, claims, json64, ISSUER, AUDIENCE } from './helpers.js';
import { jwksServer, freePort, start } from './servers.js';
import { smoke } from './smoke/smoke.js';

const pkg = fileURLToPath(new URL('..', import.meta.url));
const dir = `${pkg}.tmp/smoke`;
const bin = (name) => `${pkg}node_modules/.bin/${name}`;

const keys = { ES256: keyFor('ES256', 'es'), RS256: keyFor('RS256', 'rs'), EdDSA: keyFor('EdDSA', 'ed'), HS256: keyFor('HS256', 'hs') };
const read = { scope: 'payments:read' };
const now = Math.floor(Date.now() / 1000);
const valid = mint(keys.ES256, claims(read));
const [h, , s] = valid.split('.');
const tokens = {
  validES256: valid,
  validRS256: mint(keys.RS256, claims(read)),
  validEdDSA: mint(keys.EdDSA, claims(read)),
  validHS256: mint(keys.HS256, claims(read)),
  expired: mint(keys.ES256, claims({ ...read, iat: now - 7200, exp: now - 3600 })),
  wrongScope: mint(keys.ES256, claims({ scope: 'payments:write' })),
  forged: `${h}.${json64(claims({ scope: 'payments:read payments:admin' }))}.${s}`,
  algNone: `${json64({ alg: 'none' })}.${json64(claims(read))}.`,
  unknownKid: mint({ ...keys.ES256, kid: 'rotated-away' }, claims(read)),
};
const ok = { verify: 'ok payments:read', cached: 'ok payments:read', verifySync: 'ok payments:read', authorize: 200 };
const refused = (code, status = 401) => ({
  verify: `${code} ${status}`,
  cached: `${code} ${status}`,
  verifySync: `${code} ${status}`,
  authorize: `${status} Bearer realm="jwtgate", error="${status === 403 ? code : 'invalid_token'}",`,
});
const expected = {
  tokens: {
    validES256: ok,
    validRS256: ok,
    validEdDSA: ok,
    validHS256: ok,
    expired: refused('token_expired'),
    wrongScope: refused('insufficient_scope', 403),
    forged: refused('signature_invalid'),
    algNone: refused('algorithm_not_allowed'),
    unknownKid: refused('key_not_found'),
  },
  decode: 'ES256 client-1 payments:read false',
  decodeJunk: 'token_malformed',
  remote: 'ok payments:read',
  remoteDown: 'jwks_unavailable 503',
};

let fixture;
let jwks;

test.before(async () => {
  jwks = await jwksServer({ keys: Object.values(keys).map((k) => k.jwk) });
  fixture = {
    issuer: ISSUER,
    audience: AUDIENCE,
    jwks: { keys: Object.values(keys).map((k) => k.jwk) },
    tokens,
    jwksUrl: jwks.url,
    deadUrl: `http://127.0.0.1:${await freePort()}/jwks.json`,
  };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(`${dir}/node_modules`, { recursive: true });
  symlinkSync(pkg, `${dir}/node_modules/jwtgate`, 'dir');
  writeFileSync(`${dir}/package.json`, JSON.stringify({ name: 'smoke', private: true, type: 'module' }));
  writeFileSync(`${dir}/fixture.json`, JSON.stringify(fixture));
  for (const f of ['smoke.js', 'cli.js', 'index.html']) copyFileSync(`${pkg}test/smoke/${f}`, `${dir}/${f}`);
});

test.after(() => jwks?.close());

test('smoke: Node', async () => {
  assert.deepEqual(await smoke(jwtgate, fixture), expected);
});

async function runCli(command, args, env = {}) {
  const proc = start(command, args, { cwd: dir, env: { ...process.env, ...env } });
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), 60_000);
  const { code } = await proc.exited;
  clearTimeout(timer);
  const line = proc.output().split('\n').find((l) => l.startsWith('SMOKE '));
  assert.ok(line, `${command} exited ${code} without a result:\n${proc.output()}`);
  assert.equal(code, 0, proc.output());
  return JSON.parse(line.slice(6));
}

test('smoke: Deno', async () => {
  const out = await runCli(bin('deno'), ['run', '--allow-read', '--allow-net', '--allow-env', '--node-modules-dir=manual', 'cli.js'], {
    DENO_DIR: `${pkg}.tmp/deno-cache`,
    DENO_NO_UPDATE_CHECK: '1',
  });
  assert.deepEqual(out, expected);
});

test('smoke: Bun', async () => {
  const out = await runCli(bin('bun'), ['run', 'cli.js'], { BUN_INSTALL_CACHE_DIR: `${pkg}.tmp/bun-cache` });
  assert.deepEqual(out, expected);
});

test('smoke: headless Chromium', async (t) => {
  const { server, page, errors } = await openPage(t, { '/pkg/': pkg, '/smoke/': `${dir}/` });
  await page.goto(`${server.url}/smoke/index.html`);
  await page.waitForFunction(() => window.__smoke !== undefined, null, { timeout: 30_000 }).catch(() => {});
  const out = await page.evaluate(() => window.__smoke);
  assert.deepEqual(errors, []);
  assert.deepEqual(out, expected);
});
