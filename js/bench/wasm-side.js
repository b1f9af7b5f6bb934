// The wasm side of a cold verification, for comparing builds of the `.wasm`
// (cargo profiles, opt-levels) in one run: per build, `begin` + `end` on an
// HS256 token with the signature taken as checked (everything jwtgate does
// around WebCrypto's `subtle.verify`), and `verifySync` per algorithm, in
// Node. Builds run in turns, so load hits them alike; medians of 7 rounds
// (3 with --quick).
// Usage: node bench/wasm-side.js [DIR ...]  (each DIR holds a wasm-bindgen
// output, jwtgate_js.js + jwtgate_js_bg.wasm; default: pkg)
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fixture, ROUNDS } from './common.js';
import { ALGS } from './suite.js';

const dirs = process.argv.slice(2).filter((arg) => arg !== '--quick');
if (dirs.length === 0) dirs.push(new URL('../pkg', import.meta.url).pathname);
const fx = fixture();
const now = Math.floor(Date.now() / 1000);
// Indices into the `outputs` array (js/src/lib.rs, OUT_SLOT and OUT_TICKET).
const OUT_SLOT = 0;
const OUT_TICKET = 13;

async function load(dir) {
  const glue = await import(pathToFileURL(resolve(dir, 'jwtgate_js.js')).href);
  glue.initSync({ module: readFileSync(resolve(dir, 'jwtgate_js_bg.wasm')) });
  const cores = {};
  for (const alg of ALGS) {
    const core = new glue.Core(
      JSON.stringify({ algorithms: [alg], issuer: fx.issuer, audience: fx.audience, cacheEntries: 0 }),
    );
    core.setKeys(JSON.stringify({ keys: [fx.keys[alg].jwk] }));
    const bytes = new TextEncoder().encode(fx.tokens[alg]);
    const at = core.inputBuffer(bytes.length);
    new Uint8Array(glue.wasmMemory().buffer, at, bytes.length).set(bytes);
    cores[alg] = { core, len: bytes.length };
  }
  const outputs = cores.HS256.core.outputs() >>> 2;
  const hs = cores.HS256;
  const benches = {
    'begin+end HS256': () => {
      if (hs.core.begin(hs.len, now, 0) !== 1) throw new Error(hs.core.errorJson());
      const out = new Uint32Array(glue.wasmMemory().buffer);
      if (hs.core.end(out[outputs + OUT_SLOT], out[outputs + OUT_TICKET], 0) !== 0) {
        throw new Error(hs.core.errorJson());
      }
    },
  };
  for (const alg of ALGS) {
    const { core, len } = cores[alg];
    benches[`verifySync ${alg}`] = () => {
      if (core.verifySync(len, now, 0) !== 0) throw new Error(core.errorJson());
    };
  }
  return benches;
}

/** µs per call of `fn`, run for about 100 ms. */
function time(fn) {
  let n = 1;
  for (;;) {
    const start = performance.now();
    for (let i = 0; i < n; i++) fn();
    const elapsed = performance.now() - start;
    if (elapsed > 100) return (elapsed * 1000) / n;
    n *= 2;
  }
}

const builds = [];
for (const dir of dirs) builds.push({ dir, benches: await load(dir), samples: {} });
const names = Object.keys(builds[0].benches);
for (let round = 0; round < ROUNDS; round++) {
  for (const name of names) {
    for (const build of builds) (build.samples[name] ??= []).push(time(build.benches[name]));
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`| µs per call (Node ${process.version}) | ${names.join(' | ')} |`);
console.log(`|---|${names.map(() => '---:').join('|')}|`);
for (const build of builds) {
  const bytes = readFileSync(resolve(build.dir, 'jwtgate_js_bg.wasm')).length;
  const cells = names.map((name) => median(build.samples[name]).toFixed(2));
  console.log(`| ${build.dir} (${bytes} bytes) | ${cells.join(' | ')} |`);
}
