// The benchmark inside workerd (requests: serve.js), plus GET /webcrypto:
// which of the fixture's keys this runtime's WebCrypto imports.
import * as jwtgate from 'jwtgate';
import * as jose from 'jose';
import * as tsndr from '@tsndr/cloudflare-worker-jwt';
import { suite } from './suite.js';
import { serveBenches } from './serve.js';

let benches;

export default {
  async fetch(request, env) {
    benches ??= await suite({ jwtgate, jose, tsndr }, JSON.parse(env.FIXTURE));
    if (new URL(request.url).pathname === '/webcrypto') {
      const fx = JSON.parse(env.FIXTURE);
      const params = { RS256: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, ES256: { name: 'ECDSA', namedCurve: 'P-256' }, EdDSA: { name: 'Ed25519' }, HS256: { name: 'HMAC', hash: 'SHA-256' } };
      const out = {};
      for (const [alg, p] of Object.entries(params)) {
        const { kid, alg: _a, use, ...jwk } = fx.keys[alg].jwk;
        out[alg] = await crypto.subtle.importKey('jwk', jwk, p, false, ['verify']).then(() => 'ok', (e) => String(e));
      }
      return Response.json(out);
    }
    return serveBenches(request, benches);
  },
};
