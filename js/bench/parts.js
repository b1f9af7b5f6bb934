// Where a cold `verify` spends its time, in Node and in workerd: each piece of
// one verification (wasm calls, result conversion, WebCrypto alone, an await)
// timed on its own, µs per call. Usage: node bench/parts.js [--quick]
import * as jwtgate from 'jwtgate';
import * as jose from 'jose';
import * as wasm from '../pkg/jwtgate_js.js';
import { partsSuite, PART_ALGS } from './parts-suite.js';
import { fixture, benchNode, benchWorkerd } from './common.js';

const fx = fixture();
const node = await benchNode(await partsSuite({ jwtgate, jose, wasm }, fx), 'node', PART_ALGS);
const workerd = await benchWorkerd(fx, {
  worker: 'bench/parts-worker.js',
  extra: ['bench/parts-suite.js', 'bench/serve.js'],
  algs: PART_ALGS,
  webcrypto: false,
});
const parts = [...new Set(Object.keys(node).map((k) => k.split('/')[0]))];
const fmt = (us) => (us === undefined ? 'n/a' : us.toFixed(2));
console.log(`| part | ${PART_ALGS.map((a) => `Node ${a}`).join(' | ')} | ${PART_ALGS.map((a) => `workerd ${a}`).join(' | ')} |`);
console.log(`|---|${[...PART_ALGS, ...PART_ALGS].map(() => '---:').join('|')}|`);
for (const part of parts) {
  const cells = [...PART_ALGS.map((a) => fmt(node[`${part}/${a}`])), ...PART_ALGS.map((a) => fmt(workerd[`${part}/${a}`]))];
  console.log(`| ${part} | ${cells.join(' | ')} |`);
}
