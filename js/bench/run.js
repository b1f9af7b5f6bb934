// Benchmarks jwtgate against jose, fast-jwt and @tsndr/cloudflare-worker-jwt
// in Node and in workerd: RS256, ES256, EdDSA, HS256; µs per verify
// (median of rounds) and ratios.
// Usage: node bench/run.js [--quick] [--only node|workerd] [--json out.json]
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { cpus } from 'node:os';
import * as jwtgate from 'jwtgate';
import * as jose from 'jose';
import * as tsndr from '@tsndr/cloudflare-worker-jwt';
import * as fastJwt from 'fast-jwt';
import { suite, ALGS } from './suite.js';
import { fixture, benchNode, benchWorkerd, pkg, ROUNDS } from './common.js';

const jsonAt = process.argv.indexOf('--json');
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt > 0 ? process.argv[onlyAt + 1] : undefined;

const fmt = (us) => (us === undefined ? 'n/a' : us.toFixed(us < 10 ? 2 : 1));

function table(runtime, results) {
  const libs = [...new Set(Object.keys(results).map((k) => k.split('/').slice(0, -1).join('/')))];
  const lines = [`| ${runtime}: µs per verify | ${ALGS.join(' | ')} |`, `|---|${ALGS.map(() => '---:').join('|')}|`];
  for (const lib of libs) {
    lines.push(`| ${lib} | ${ALGS.map((alg) => fmt(results[`${lib}/${alg}`])).join(' | ')} |`);
  }
  const ratio = (a, b) => ALGS.map((alg) => `${(results[`${a}/${alg}`] / results[`${b}/${alg}`]).toFixed(1)}x`).join(' | ');
  lines.push(`| *jose ÷ jwtgate verify* | ${ratio('jose', 'jwtgate verify')} |`);
  lines.push(`| *jose ÷ jwtgate cached* | ${ratio('jose', 'jwtgate cached')} |`);
  return lines.join('\n');
}

const fx = fixture();
const node = only === 'workerd' ? undefined : await benchNode(await suite({ jwtgate, jose, tsndr, fastJwt }, fx));
const workerd = only === 'node' ? undefined : await benchWorkerd(fx);
const wasm = readFileSync(`${pkg}pkg/jwtgate_js_bg.wasm`);
const summary = {
  date: new Date().toISOString(),
  machine: `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores`,
  node: process.version,
  wasmBytes: wasm.length,
  wasmGzipBytes: gzipSync(wasm, { level: 9 }).length,
  rounds: ROUNDS,
  results: { node, workerd },
};
console.log(`${summary.date} · ${summary.machine} · Node ${summary.node} · workerd ${JSON.parse(readFileSync(`${pkg}node_modules/workerd/package.json`, 'utf8')).version}`);
console.log(`.wasm: ${summary.wasmBytes} bytes, ${summary.wasmGzipBytes} gzipped\n`);
if (node) console.log(`${table('Node', node)}\n`);
if (workerd) console.log(table('workerd', workerd));
if (jsonAt > 0) writeFileSync(process.argv[jsonAt + 1], JSON.stringify(summary, null, 2));
