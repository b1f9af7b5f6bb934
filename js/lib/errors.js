// JwtGateError: the core's stable error codes, HTTP status and RFC 6750
// rendering, carried into JS.
import { errorInfo } from '../pkg/jwtgate_js.js';

export const ERROR_CODES = Object.freeze([
  'token_missing',
  'token_malformed',
  'algorithm_not_allowed',
  'key_not_found',
  'signature_invalid',
  'token_expired',
  'token_not_yet_valid',
  'issuer_invalid',
  'audience_invalid',
  'claim_invalid',
  'insufficient_scope',
  'jwks_unavailable',
]);

export class JwtGateError extends Error {
  /**
   * @param {string} code one of ERROR_CODES
   * @param {string} [description]
   * @param {{status?: number, wwwAuthenticate?: string, body?: string, realm?: string}} [details]
   */
  constructor(code, description, details = {}) {
    const info =
      details.status && details.wwwAuthenticate && details.body
        ? details
        : JSON.parse(errorInfo(code, description ?? code, details.realm ?? 'jwtgate'));
    super(description ?? info.description);
    this.name = 'JwtGateError';
    this.code = code;
    this.status = info.status;
    this.wwwAuthenticate = info.wwwAuthenticate;
    this.description = description ?? info.description;
    this.body = info.body;
  }

  /** The core's error JSON (`{ code, status, description, wwwAuthenticate, body }`). */
  static fromJson(text) {
    const info = JSON.parse(text);
    return new JwtGateError(info.code, info.description, info);
  }

  /** An RFC 6750 response: status, `WWW-Authenticate`, JSON body. */
  toResponse() {
    return new Response(this.body, {
      status: this.status,
      headers: {
        'content-type': 'application/json',
        'www-authenticate': this.wwwAuthenticate,
        'cache-control': 'no-store',
      },
    });
  }
}
