// The wasm side of a cold verification, for comparing builds of the `.wasm`
// (cargo profiles, opt-levels) in one run: per build, `begin` + `end` on an
// HS256 token with the signature taken as checked (everything jwtgate does
// around WebCrypto's `subtle.verify`), and `verifySync` per algorithm, in
// Node. Timed by `benchNode` (common.js): per algorithm the builds run in
// turns, so load hits them alike; medians of 7 rounds (3 with --quick).
// Usage: node bench/wasm-side.js [--quick] [DIR ...]  (each DIR holds a
// wasm-bindgen output, jwtgate_js.js + jwtgate_js_bg.wasm; default: pkg)
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fixture, benchNode } from './common.js';
import { ALGS } from './suite.js';

const dirs = process.argv.slice(2).filter((arg) => arg !== '--quick');
if (dirs.length === 0) dirs.push(new URL('../pkg', import.meta.url).pathname);
const fx = fixture();
const now = Math.floor(Date.now() / 1000);
// Indices into the `outputs` array (js/src/lib.rs, OUT_SLOT and OUT_TICKET).
const OUT_SLOT = 0;
const OUT_TICKET = 13;

/** Adds build `label`'s benches (from `dir`) to `benches`. */
async function add(benches, label, dir) {
  const glue = await import(pathToFileURL(resolve(dir, 'jwtgate_js.js')).href);
  glue.initSync({ module: readFileSync(resolve(dir, 'jwtgate_js_bg.wasm')) });
  for (const alg of ALGS) {
    const core = new glue.Core(
      JSON.stringify({ algorithms: [alg], issuer: fx.issuer, audience: fx.audience, cacheEntries: 0 }),
    );
    core.setKeys(JSON.stringify({ keys: [fx.keys[alg].jwk] }));
    const bytes = new TextEncoder().encode(fx.tokens[alg]);
    const at = core.inputBuffer(bytes.length);
    new Uint8Array(glue.wasmMemory().buffer, at, bytes.length).set(bytes);
    const fail = () => {
      throw new Error(core.errorJson());
    };
    benches.set(`${label} verifySync/${alg}`, () => core.verifySync(bytes.length, now, 0) === 0 || fail());
    if (alg !== 'HS256') continue;
    const outputs = core.outputs() >>> 2;
    benches.set(`${label} begin+end/${alg}`, () => {
      if (core.begin(bytes.length, now, 0) !== 1) fail();
      const out = new Uint32Array(glue.wasmMemory().buffer);
      if (core.end(out[outputs + OUT_SLOT], out[outputs + OUT_TICKET], 0) !== 0) fail();
    });
  }
}

const benches = new Map();
const labels = dirs.map((_, index) => `#${index + 1}`);
for (const [index, dir] of dirs.entries()) await add(benches, labels[index], dir);
const results = await benchNode(benches, 'node');
const columns = ['begin+end/HS256', ...ALGS.map((alg) => `verifySync/${alg}`)];
console.log(`| µs per call (Node ${process.version}) | ${columns.join(' | ')} |`);
console.log(`|---|${columns.map(() => '---:').join('|')}|`);
for (const [index, dir] of dirs.entries()) {
  const bytes = readFileSync(resolve(dir, 'jwtgate_js_bg.wasm')).length;
  const cells = columns.map((column) => results[`${labels[index]} ${column}`].toFixed(2));
  console.log(`| ${labels[index]} ${dir} (${bytes} bytes) | ${cells.join(' | ')} |`);
}
