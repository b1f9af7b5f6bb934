// The token inspector in a real headless Chromium: paste a valid and an
// expired token, check what the page shows, verify both against a JWKS URL,
// and keep screenshots under js/.tmp/test-output/.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { table } from './helpers.js';
import { openPage } from './browser.js';

const pkg = fileURLToPath(new URL('..', import.meta.url));
const output = `${pkg}.tmp/test-output`;

test('inspector: decodes, shows times and scopes, verifies with the exact error code', async (t) => {
  const cases = table();
  const token = (name) => cases.cases.find((c) => c.name === name).token;
  const { server, page, errors } = await openPage(t, { '/': pkg }, { '/jwks.json': JSON.stringify(cases.jwks) });
  const requests = [];
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  await page.goto(`${server.url}/inspector/index.html`);
  await page.waitForFunction(() => window.__inspectorReady === true, null, { timeout: 30_000 });
  mkdirSync(output, { recursive: true });

  const verifyWith = async () => {
    await page.fill('#jwks-url', `${server.url}/jwks.json`);
    await page.fill('#issuer', cases.defaults.issuer);
    await page.fill('#audience', cases.defaults.audience);
    await page.click('#verify');
    await page.waitForFunction(() => !document.getElementById('verdict').textContent.startsWith('Verifying'), null, { timeout: 15_000 });
    return page.textContent('#verdict');
  };

  await page.fill('#token', token('valid_rs256'));
  assert.match(await page.textContent('#expiry-status'), /^valid for \d+ days?$/);
  assert.equal(await page.getAttribute('#expiry-status', 'class'), 'ok');
  assert.deepEqual(await page.$$eval('#scopes .chip', (chips) => chips.map((c) => c.textContent)), ['payments:read']);
  assert.match(await page.textContent('#payload'), /"aud": "payments-api"/);
  assert.match(await page.textContent('#header'), /"alg": "RS256"/);
  assert.match(await page.textContent('#expires'), /2100|in \d+ days/);
  assert.match(await verifyWith(), /^Valid: signed by key rsa-1 with RS256; scopes: payments:read\.$/);
  await page.screenshot({ path: `${output}/inspector-valid.png`, fullPage: true });

  await page.fill('#token', token('expired'));
  assert.match(await page.textContent('#expiry-status'), /^expired \d+ (day|hour)s? ago$/);
  assert.equal(await page.getAttribute('#expiry-status', 'class'), 'expired');
  const verdict = await verifyWith();
  assert.match(verdict, /Rejected: token_expired \(HTTP 401\)/);
  assert.match(verdict, /What to fix: Request a new token/);
  await page.screenshot({ path: `${output}/inspector-expired.png`, fullPage: true });

  await page.fill('#token', 'not a token');
  assert.equal(await page.isVisible('#decode-error'), true);
  assert.match(await page.textContent('#decode-error'), /^token_malformed: /);

  assert.deepEqual(errors, []);
  // Only the page, its modules and the JWKS were requested: the token never left the page.
  const foreign = requests.filter((p) => !/^\/(inspector|entry|lib|pkg)\//.test(p) && p !== '/jwks.json');
  assert.deepEqual(foreign, []);
});
