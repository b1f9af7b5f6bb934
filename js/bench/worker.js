// The benchmark inside workerd: GET /run?name=<bench>&n=<count> runs one
// bench `count` times; run.js times the requests from outside (workerd's
// clock does not advance during CPU work).
import * as jwtgate from 'jwtgate';
import * as jose from 'jose';
import * as tsndr from '@tsndr/cloudflare-worker-jwt';
import { suite } from './suite.js';

let benches;

export default {
  async fetch(request, env) {
    benches ??= await suite({ jwtgate, jose, tsndr }, JSON.parse(env.FIXTURE));
    const url = new URL(request.url);
    if (url.pathname === '/list') return Response.json([...benches.keys()]);
    if (url.pathname === '/webcrypto') {
      // Which of the fixture's keys this runtime's WebCrypto imports.
      const fx = JSON.parse(env.FIXTURE);
      const params = { RS256: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, ES256: { name: 'ECDSA', namedCurve: 'P-256' }, EdDSA: { name: 'Ed25519' }, HS256: { name: 'HMAC', hash: 'SHA-256' } };
      const out = {};
      for (const [alg, p] of Object.entries(params)) {
        const { kid, alg: _a, use, ...jwk } = fx.keys[alg].jwk;
        out[alg] = await crypto.subtle.importKey('jwk', jwk, p, false, ['verify']).then(() => 'ok', (e) => String(e));
      }
      return Response.json(out);
    }
    const fn = benches.get(url.searchParams.get('name'));
    if (!fn) return new Response('no such bench', { status: 404 });
    const n = Number(url.searchParams.get('n') ?? 1);
    for (let i = 0; i < n; i += 1) await fn();
    return new Response('ok');
  },
};
