// Type-checked with `tsc --noEmit -p examples/typed` (js/test.sh): every
// export used as documented, and misuse rejected by the declarations.
import { createVerifier, decode, JwtGateError, ERROR_CODES, type ErrorCode, type VerifyResult } from 'jwtgate';
import { jwtgate, type JwtGateVariables } from 'jwtgate/hono';
import { Hono } from 'hono';

interface AccessToken {
  iss: string;
  sub: string;
  client_id: string;
  scope: string;
  exp: number;
}

export async function guard(request: Request): Promise<Response> {
  const verifier = await createVerifier({
    jwks: 'https://issuer.example/.well-known/jwks.json',
    issuer: 'https://issuer.example',
    audience: ['payments-api'],
    algorithms: ['RS256', 'ES256'],
    clockTolerance: 30,
    requiredScopes: 'payments:read',
    claims: { tenant: ['acme', 'globex'] },
    cacheEntries: 5_000,
    jwksCacheMaxAge: 300_000,
    jwksCooldown: 10_000,
    jwksTimeout: 2_000,
    now: () => Date.now() / 1000,
  });
  const auth = await verifier.authorize<AccessToken>(request, { requiredScopes: ['payments:write'] });
  if (!auth.ok) {
    const code: ErrorCode = auth.error.code;
    console.log(code, auth.error.status, auth.error.wwwAuthenticate);
    return auth.response;
  }
  const client: string = auth.payload.client_id;
  return Response.json({ client, scopes: auth.scopes });
}

export async function direct(token: string): Promise<string> {
  const verifier = await createVerifier({ jwks: { keys: [] } });
  try {
    const result: VerifyResult<AccessToken> = await verifier.verify<AccessToken>(token);
    const sync = verifier.verifySync(token, { scopesAny: ['a', 'b'] });
    return `${result.payload.sub} ${sync.scopes.join(' ')} ${verifier.cachedEntries}`;
  } catch (error) {
    if (error instanceof JwtGateError) return `${error.code} ${error.status}`;
    throw error;
  }
}

export function inspect(token: string): number | null {
  const decoded = decode<AccessToken>(token);
  const left: number | null = decoded.secondsLeft;
  const expired: boolean = decoded.expired;
  const scopes: string[] = decoded.scopes;
  console.log(decoded.payload.client_id, expired, scopes, ERROR_CODES.length);
  return left;
}

export const app = new Hono<{ Variables: JwtGateVariables }>();
app.use('/payments/*', jwtgate({ jwks: 'https://issuer.example/jwks', requiredScopes: ['payments:read'] }));
app.get('/payments/x', (c) => c.json({ sub: c.get('jwtPayload').sub, scopes: c.get('jwtScopes') }));

export async function misuse(): Promise<void> {
  // @ts-expect-error: an unknown option
  await createVerifier({ jwks: { keys: [] }, issuers: ['x'] });
  // @ts-expect-error: not an algorithm
  await createVerifier({ jwks: { keys: [] }, algorithms: ['none'] });
  // @ts-expect-error: jwks is required
  await createVerifier({ issuer: 'x' });
  // @ts-expect-error: not an error code
  const code: ErrorCode = 'nope';
  void code;
}
