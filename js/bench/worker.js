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
    const fn = benches.get(url.searchParams.get('name'));
    if (!fn) return new Response('no such bench', { status: 404 });
    const n = Number(url.searchParams.get('n') ?? 1);
    for (let i = 0; i < n; i += 1) await fn();
    return new Response('ok');
  },
};
