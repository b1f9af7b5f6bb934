// An edge worker that guards its routes by scope with jwtgate, then passes
// the request on to the API behind it (UPSTREAM) with what it verified.
//
// Bindings (text): JWKS_URL (the issuer's JWK Set), ISSUER, AUDIENCE, and
// optionally UPSTREAM (origin of the API; without it the worker answers
// itself with what it verified).
import { createVerifier } from 'jwtgate';

const routes = [
  { method: 'GET', path: '/payments', requiredScopes: ['payments:read'] },
  { method: 'POST', path: '/payments', requiredScopes: ['payments:write'] },
  { method: 'GET', path: '/admin', requiredScopes: ['payments:admin'] },
];

// One verifier per isolate: its key set and verified-token cache outlive
// requests. Creating it does no I/O; the key set is fetched by the first
// request that needs it, and no request waits on another's fetch.
let verifier;

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === '/health') return new Response('ok');
    const route = routes.find((r) => r.method === request.method && r.path === url.pathname);
    if (!route) return new Response('not found', { status: 404 });
    verifier ??= await createVerifier({
      jwks: env.JWKS_URL,
      issuer: env.ISSUER,
      audience: env.AUDIENCE,
    });
    const auth = await verifier.authorize(request, { requiredScopes: route.requiredScopes });
    if (!auth.ok) return auth.response;
    if (!env.UPSTREAM) {
      return Response.json({
        route: `${route.method} ${route.path}`,
        client: auth.payload.client_id ?? auth.payload.sub,
        scopes: auth.scopes,
      });
    }
    // The API trusts the gateway: it gets the verified claims, not the token.
    const token = request.headers.get('authorization').trim().split(/\s+/)[1];
    const headers = new Headers(request.headers);
    headers.delete('authorization');
    headers.set('x-jwt-payload', token.split('.')[1]);
    const client = auth.payload.client_id ?? auth.payload.sub;
    if (typeof client === 'string') headers.set('x-client-id', client);
    const upstream = new URL(url.pathname + url.search, env.UPSTREAM);
    // workerd gives GET/HEAD requests an empty body stream, which a new GET
    // request may not carry.
    const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : request.body;
    return fetch(upstream, { method: request.method, headers, body });
  },
};
