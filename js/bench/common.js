// Shared by run.js and parts.js: the fixture (one token per algorithm), the
// interleaved timing loop, and a workerd process serving a bench worker.
import { generateKeyPairSync, createSign, sign as edSign, createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { spawn } from 'node:child_process';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALGS } from './suite.js';

export const pkg = fileURLToPath(new URL('..', import.meta.url));
export const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 3 : 7;
const ROUND_MS = quick ? 60 : 150;
export { ROUNDS };

const b64u = (b) => Buffer.from(b).toString('base64url');

export function fixture() {
  const issuer = 'https://issuer.bench';
  const audience = 'bench-api';
  const now = Math.floor(Date.now() / 1000);
  const payload = { iss: issuer, aud: audience, sub: 'client', client_id: 'client', scope: 'read write', iat: now, exp: now + 86400 };
  const keys = {};
  const tokens = {};
  for (const alg of ALGS) {
    const kid = `${alg}-bench`;
    let signer;
    if (alg === 'HS256') {
      const secretText = randomBytes(32).toString('hex');
      keys[alg] = { secretText, jwk: { kty: 'oct', kid, alg, k: b64u(Buffer.from(secretText)) } };
      signer = (input) => createHmac('sha256', secretText).update(input).digest();
    } else {
      const pair =
        alg === 'RS256'
          ? generateKeyPairSync('rsa', { modulusLength: 2048 })
          : alg === 'ES256'
            ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
            : generateKeyPairSync('ed25519');
      keys[alg] = {
        jwk: { ...pair.publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' },
        pem: pair.publicKey.export({ format: 'pem', type: 'spki' }),
      };
      signer = (input) => {
        if (alg === 'EdDSA') return edSign(null, Buffer.from(input), pair.privateKey);
        const s = createSign('sha256').update(input);
        return alg === 'ES256' ? s.sign({ key: pair.privateKey, dsaEncoding: 'ieee-p1363' }) : s.sign(pair.privateKey);
      };
    }
    const input = `${b64u(JSON.stringify({ alg, kid, typ: 'JWT' }))}.${b64u(JSON.stringify(payload))}`;
    tokens[alg] = `${input}.${b64u(signer(input))}`;
  }
  return { issuer, audience, keys, tokens };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Runs `time(name, n)` (ms for n calls) for every bench: calibrates each,
 * then takes ROUNDS rounds in which the benches of one algorithm run one
 * after the other (so a load spike hits them alike); median µs per call.
 */
export async function interleaved(names, time, label, algs = ALGS) {
  const iterations = {};
  for (const name of names) {
    await time(name, 20);
    let n = 1;
    let elapsed = 0;
    for (;;) {
      elapsed = await time(name, n);
      if (elapsed > 10 || n > 1e6) break;
      n *= 2;
    }
    iterations[name] = Math.max(1, Math.round((ROUND_MS * n) / Math.max(elapsed, 0.001)));
  }
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  for (const alg of algs) {
    const group = names.filter((name) => name.endsWith(`/${alg}`));
    for (let r = 0; r < ROUNDS; r += 1) {
      for (const name of group) {
        samples[name].push(((await time(name, iterations[name])) * 1000) / iterations[name]);
      }
    }
  }
  const results = {};
  for (const name of names) {
    results[name] = median(samples[name]);
    process.stderr.write(`${label} ${name}: ${results[name].toFixed(2)} µs\n`);
  }
  return results;
}

export async function benchNode(benches, label = 'node', algs = ALGS) {
  const time = async (name, n) => {
    const fn = benches.get(name);
    const t = performance.now();
    for (let i = 0; i < n; i += 1) await fn();
    return performance.now() - t;
  };
  return interleaved([...benches.keys()], time, label, algs);
}

function walk(dir) {
  return readdirSync(dir).flatMap((f) => {
    const path = `${dir}/${f}`;
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Serves `worker` (a path under js/) in workerd with the package, jose and
 * @tsndr/cloudflare-worker-jwt as modules, plus `extra` module paths.
 */
export async function benchWorkerd(fx, { worker = 'bench/worker.js', extra = ['bench/suite.js', 'bench/serve.js'], algs = ALGS, webcrypto = true } = {}) {
  const dir = `${pkg}.tmp/bench-workerd`;
  mkdirSync(dir, { recursive: true });
  const at = (path) => relative(dir, `${pkg}${path}`);
  const esm = (name, path) => `    (name = "${name}", esModule = embed "${at(path)}"),`;
  const reexport = (name, target) => `    (name = "${name}", esModule = "export * from \\"./${target}\\";"),`;
  const modules = [
    esm('worker.js', worker),
    ...extra.map((path) => esm(path.replace(/^bench\//, ''), path)),
    reexport('jwtgate', 'node_modules/jwtgate/entry/workerd.js'),
    esm('node_modules/jwtgate/entry/workerd.js', 'entry/workerd.js'),
    ...readdirSync(`${pkg}lib`).map((f) => esm(`node_modules/jwtgate/lib/${f}`, `lib/${f}`)),
    esm('node_modules/jwtgate/pkg/jwtgate_js.js', 'pkg/jwtgate_js.js'),
    `    (name = "node_modules/jwtgate/pkg/jwtgate_js_bg.wasm", wasm = embed "${at('pkg/jwtgate_js_bg.wasm')}"),`,
    reexport('jose', 'node_modules/jose/dist/webapi/index.js'),
    ...walk(`${pkg}node_modules/jose/dist/webapi`)
      .filter((f) => f.endsWith('.js'))
      .map((f) => esm(relative(pkg, f), relative(pkg, f))),
    `    (name = "@tsndr/cloudflare-worker-jwt", esModule = embed "${at('node_modules/@tsndr/cloudflare-worker-jwt/index.js')}"),`,
  ];
  const port = await freePort();
  const fixtureText = JSON.stringify(fx).replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  writeFileSync(
    `${dir}/config.capnp`,
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  compatibilityDate = "2025-09-01",
  modules = [
${modules.join('\n')}
  ],
  bindings = [(name = "FIXTURE", text = "${fixtureText}")],
);
`,
  );
  const child = spawn(`${pkg}node_modules/.bin/workerd`, ['serve', `${dir}/config.capnp`], { stdio: ['ignore', 'inherit', 'inherit'] });
  const base = `http://127.0.0.1:${port}`;
  try {
    let names;
    for (let i = 0; i < 300 && !names; i += 1) {
      try {
        const r = await fetch(`${base}/list`);
        if (r.ok) names = await r.json();
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    if (!names) throw new Error('workerd did not come up');
    if (webcrypto) process.stderr.write(`workerd WebCrypto imports: ${await (await fetch(`${base}/webcrypto`)).text()}\n`);
    const time = async (name, n) => {
      const t = performance.now();
      const r = await fetch(`${base}/run?name=${encodeURIComponent(name)}&n=${n}`);
      if (!r.ok || (await r.text()) !== 'ok') throw new Error(`${name}: HTTP ${r.status}`);
      return performance.now() - t;
    };
    // The time of a request that runs nothing is subtracted.
    const timeNet = async (name, n) => {
      const full = await time(name, n);
      const empty = await time(name, 0);
      return Math.max(0, full - empty);
    };
    return await interleaved(names, timeNet, 'workerd', algs);
  } finally {
    child.kill('SIGTERM');
  }
}

