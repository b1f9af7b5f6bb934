// Browser test helpers: a static file server on 127.0.0.1 and Debian's
// Chromium driven by playwright-core (headless, fresh profile, no
// background networking: this machine's network is closed).
import { createServer } from 'node:http';
import { existsSync, readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { tmpdir } from 'node:os';

export const CHROMIUM = '/usr/bin/chromium';

const TYPES = {
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
};

/**
 * Serves `roots` (URL prefix -> directory) and `extra` (path -> body text).
 * @returns {Promise<{url: string, close: () => Promise<void>}>}
 */
async function staticServer(roots, extra = {}) {
  const prefixes = Object.keys(roots).sort((a, b) => b.length - a.length);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (Object.hasOwn(extra, path)) {
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'text/plain', 'access-control-allow-origin': '*' });
      res.end(extra[path]);
      return;
    }
    const prefix = prefixes.find((p) => path.startsWith(p));
    const root = prefix && normalize(roots[prefix]);
    const file = prefix && normalize(join(root, path.slice(prefix.length)));
    if (!file || !file.startsWith(root) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    let body;
    try {
      body = readFileSync(file);
    } catch {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

/**
 * Headless Chromium with a fresh --user-data-dir.
 * @returns {Promise<{context: import('playwright-core').BrowserContext, close: () => Promise<void>}>}
 */
async function launchChromium() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing (js/test.sh installs Debian's chromium)`);
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'jwtgate-chromium-'));
  // playwright passes the profile directory to Chromium as --user-data-dir.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * A static server (`staticServer`'s arguments), headless Chromium and a page,
 * all closed after test `t`; `errors` collects the page's uncaught errors.
 */
export async function openPage(t, ...serve) {
  const server = await staticServer(...serve);
  t.after(server.close);
  const browser = await launchChromium();
  t.after(browser.close);
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return { server, page, errors };
}
