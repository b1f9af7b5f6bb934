// The token inspector: decode as you paste, verify on request. Built on the
// npm package's browser entry; the only network access is the JWKS fetch.
import { createVerifier, decode, JwtGateError } from '../entry/browser.js';

const $ = (id) => document.getElementById(id);

/** What to do about each error code, for people debugging a token. */
const FIXES = {
  token_missing: 'Paste a token.',
  token_malformed: 'The token is not a compact JWS: check for truncation, whitespace or a pasted "Bearer " prefix.',
  algorithm_not_allowed: 'The header alg is not accepted (HS* and none are refused unless configured).',
  key_not_found: 'No key in the key set matches the token kid and alg: is the JWKS from the right issuer, and current?',
  signature_invalid: 'The signature does not verify: the token was altered, or signed by another key.',
  token_expired: 'Request a new token: exp is in the past.',
  token_not_yet_valid: 'nbf or iat is in the future: check the issuer clock.',
  issuer_invalid: 'The iss claim differs from the issuer you entered.',
  audience_invalid: 'The aud claim does not contain the audience you entered.',
  claim_invalid: 'A required claim is missing or has the wrong type or value.',
  insufficient_scope: 'Ask the authorization server for the required scope.',
  jwks_unavailable: 'The JWKS could not be fetched: check the URL and that the server allows CORS.',
};

const plural = (n, unit) => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** "in 53 min", "2 h ago": the largest unit that fits. */
export function relative(seconds) {
  const abs = Math.abs(seconds);
  const [n, unit] =
    abs < 90 ? [abs, 'second'] :
    abs < 90 * 60 ? [Math.round(abs / 60), 'minute'] :
    abs < 36 * 3600 ? [Math.round(abs / 3600), 'hour'] :
    [Math.round(abs / 86400), 'day'];
  return seconds >= 0 ? `in ${plural(n, unit)}` : `${plural(n, unit)} ago`;
}

const when = (unix, now) =>
  unix == null ? '—' : `${new Date(unix * 1000).toLocaleString()} (${relative(unix - now)})`;

function showDecoded() {
  const token = $('token').value.trim();
  $('decode-error').hidden = true;
  $('decoded').hidden = true;
  if (!token) return;
  try {
    const now = Math.floor(Date.now() / 1000);
    const d = decode(token);
    $('header').textContent = JSON.stringify(d.header, null, 2);
    $('payload').textContent = JSON.stringify(d.payload, null, 2);
    $('issued').textContent = when(d.issuedAt, now);
    $('expires').textContent = when(d.expiresAt, now);
    const status = $('expiry-status');
    status.textContent = d.expiresAt == null ? 'no exp claim' : d.expired ? `expired ${relative(d.expiresAt - now).replace(/^in /, '')}` : `valid for ${relative(d.expiresAt - now).replace(/^in /, '')}`;
    status.className = d.expired ? 'expired' : 'ok';
    $('scopes').replaceChildren(...(d.scopes.length ? d.scopes : ['(none)']).map((scope) => {
      const chip = document.createElement('span');
      chip.className = 'chip';
      chip.textContent = scope;
      return chip;
    }));
    $('decoded').hidden = false;
  } catch (error) {
    $('decode-error').textContent = error instanceof JwtGateError ? `${error.code}: ${error.description}` : String(error);
    $('decode-error').hidden = false;
  }
}

async function verify() {
  const verdict = $('verdict');
  verdict.hidden = false;
  verdict.textContent = 'Verifying…';
  const words = (id) => $(id).value.split(/[\s,]+/).filter(Boolean);
  try {
    const pasted = $('jwks-json').value.trim();
    const jwks = pasted ? JSON.parse(pasted) : $('jwks-url').value.trim();
    if (!jwks) throw new Error('Enter a JWKS URL or paste a JWK Set.');
    const verifier = await createVerifier({
      jwks,
      issuer: words('issuer').length ? words('issuer') : undefined,
      audience: words('audience').length ? words('audience') : undefined,
    });
    const result = await verifier.verify($('token').value.trim(), { requiredScopes: words('scopes-needed') });
    verdict.innerHTML = '';
    const ok = document.createElement('p');
    ok.className = 'ok';
    ok.textContent = `Valid: signed by key ${result.header.kid ?? '(no kid)'} with ${result.header.alg}; scopes: ${result.scopes.join(' ') || '(none)'}.`;
    verdict.append(ok);
  } catch (error) {
    verdict.innerHTML = '';
    const line = document.createElement('p');
    line.className = 'error';
    if (error instanceof JwtGateError) {
      const code = document.createElement('code');
      code.textContent = error.code;
      line.append('Rejected: ', code, ` (HTTP ${error.status}) — ${error.description}`);
      const fix = document.createElement('p');
      fix.textContent = `What to fix: ${FIXES[error.code] ?? 'see the description.'}`;
      verdict.append(line, fix);
    } else {
      line.textContent = `Cannot verify: ${error.message ?? error}`;
      verdict.append(line);
    }
  }
}

$('token').addEventListener('input', showDecoded);
$('verify').addEventListener('click', verify);
window.__inspectorReady = true;
