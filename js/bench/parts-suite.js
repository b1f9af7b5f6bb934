// Where a cold `verify` spends its time: the pieces of one verification
// (wasm calls, result conversion, WebCrypto alone) as separate benches.
// Runtime-agnostic; parts.js drives it in Node and inside workerd.
export const PART_ALGS = ['RS256', 'HS256'];

const PARAMS = {
  RS256: [{ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, { name: 'RSASSA-PKCS1-v1_5' }],
  ES256: [{ name: 'ECDSA', namedCurve: 'P-256' }, { name: 'ECDSA', hash: 'SHA-256' }],
  EdDSA: [{ name: 'Ed25519' }, { name: 'Ed25519' }],
  HS256: [{ name: 'HMAC', hash: 'SHA-256' }, { name: 'HMAC' }],
};

const b64uDecode = (text) => {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  return Uint8Array.from(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
};

export async function partsSuite({ jwtgate, jose, wasm }, fx) {
  const { Core } = wasm;
  const out = new Map();
  const claims = { issuer: fx.issuer, audience: fx.audience };
  const jwks = { keys: PART_ALGS.map((alg) => fx.keys[alg].jwk) };
  const cold = await jwtgate.createVerifier({ jwks, ...claims, algorithms: PART_ALGS, cacheEntries: 0 });
  const core = new Core(JSON.stringify({ ...claims, algorithms: PART_ALGS, cacheEntries: 0 }));
  core.setKeys(JSON.stringify(jwks));
  const memory = wasm.wasmMemory();
  const input = core.inputBuffer(16384);
  const outputs = core.outputs() >>> 2;
  const write = (token) => encoder.encodeInto(token, new Uint8Array(memory.buffer, input, 16384)).written;
  const joseSet = jose.createLocalJWKSet(jwks);
  const encoder = new TextEncoder();
  const deepFreeze = (value) => {
    if (value && typeof value === 'object' && !Object.isFrozen(value)) {
      Object.freeze(value);
      for (const key of Object.keys(value)) deepFreeze(value[key]);
    }
    return value;
  };
  const must = (ok) => {
    if (!ok) throw new Error('refused');
  };
  for (const [i, alg] of PART_ALGS.entries()) {
    const token = fx.tokens[alg];
    const dot = token.lastIndexOf('.');
    const data = encoder.encode(token.slice(0, dot));
    const signature = b64uDecode(token.slice(dot + 1));
    const { kid, alg: _a, use, ...jwk } = fx.keys[alg].jwk;
    const key = await crypto.subtle.importKey('jwk', jwk, PARAMS[alg][0], false, ['verify']);
    const joseKey = alg === 'HS256' ? key : joseSet;
    const now = Date.now() / 1000;
    out.set(`verify/${alg}`, async () => must(await cold.verify(token)));
    out.set(`verifySync/${alg}`, async () => must(cold.verifySync(token)));
    out.set(`jose/${alg}`, async () => must(await jose.jwtVerify(token, joseKey, { ...claims, algorithms: [alg] })));
    out.set(`subtle.verify/${alg}`, async () => must(await crypto.subtle.verify(PARAMS[alg][1], key, signature, data)));
    out.set(`encode+subtle.verify/${alg}`, async () =>
      must(await crypto.subtle.verify(PARAMS[alg][1], key, signature, encoder.encode(token.slice(0, token.lastIndexOf('.'))))));
    out.set(`await/${alg}`, async () => must(await Promise.resolve(true)));
    const begin = () => {
      must(core.begin(write(token), now, 0) === 1);
      const w = new Uint32Array(memory.buffer);
      return [w[outputs], w[outputs + 13]];
    };
    out.set(`write/${alg}`, async () => must(write(token)));
    out.set(`write+begin+abandon/${alg}`, async () => core.abandon(...begin()));
    out.set(`write+begin+end/${alg}`, async () => must(core.end(...begin(), i) === 0));
    out.set(`core.verifySync/${alg}`, async () => must(core.verifySync(write(token), now, 0) === 0));
    out.set(`resultText/${alg}`, async () => must(core.resultText()));
    // The glue's verify, step by step (each line adds one step).
    const textDecoder = new TextDecoder();
    const steps = async (upTo) => {
      const len = write(token);
      must(core.begin(len, now, 0) === 1);
      const w = new Uint32Array(memory.buffer);
      const heap = new Uint8Array(memory.buffer);
      const slot = w[outputs];
      const ticket = w[outputs + 13];
      const data = heap.slice(w[outputs + 3], w[outputs + 3] + w[outputs + 4]);
      const sig = heap.slice(w[outputs + 5], w[outputs + 5] + w[outputs + 6]);
      if (upTo === 1) return core.abandon(slot, ticket);
      must(await crypto.subtle.verify(PARAMS[alg][1], key, sig, data));
      if (upTo === 2) return core.abandon(slot, ticket);
      must(core.end(slot, ticket, i) === 0);
      if (upTo === 3) return;
      const o = new Uint32Array(memory.buffer);
      const h = new Uint8Array(memory.buffer);
      const at = o[outputs + 9];
      const he = at + o[outputs + 10];
      const pe = he + o[outputs + 11];
      const se = pe + o[outputs + 12];
      const header = textDecoder.decode(h.subarray(at, he));
      const payload = deepFreeze(JSON.parse(textDecoder.decode(h.subarray(he, pe))));
      const scopes = textDecoder.decode(h.subarray(pe, se));
      must(header && payload && scopes);
    };
    out.set(`glue1 write+begin+slices/${alg}`, async () => steps(1));
    out.set(`glue2 +subtle.verify/${alg}`, async () => steps(2));
    out.set(`glue3 +end/${alg}`, async () => steps(3));
    out.set(`glue4 +result/${alg}`, async () => steps(4));
    must(core.end(...begin(), i) === 0);
    const resultText = core.resultText();
    // Primitives the glue could use, on this token's own sizes.
    const resultBytes = encoder.encode(resultText);
    const scratch = new Uint8Array(4096);
    const decoder = new TextDecoder();
    out.set(`TextEncoder.encode(token)/${alg}`, async () => must(encoder.encode(token).length));
    out.set(`encodeInto(token)/${alg}`, async () => must(encoder.encodeInto(token, scratch).written));
    out.set(`charCodeAt loop(token)/${alg}`, async () => {
      let i = 0;
      for (; i < token.length; i += 1) {
        const c = token.charCodeAt(i);
        if (c > 0x7f) break;
        scratch[i] = c;
      }
      must(i);
    });
    out.set(`TextDecoder.decode(result)/${alg}`, async () => must(decoder.decode(resultBytes).length));
    out.set(`fromCharCode(result)/${alg}`, async () => must(String.fromCharCode.apply(null, resultBytes).length));
    out.set(`JSON.parse(result)/${alg}`, async () => must(JSON.parse(resultText)));
    out.set(`JSON.parse+deepFreeze(result)/${alg}`, async () => must(deepFreeze(JSON.parse(resultText))));
    out.set(`slice(signature)/${alg}`, async () => must(resultBytes.slice(4, 4 + signature.length).length));
  }
  return out;
}
