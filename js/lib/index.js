// The package's API; the entry points (../entry/) load the wasm first.
export { createVerifier, decode, Verifier } from './verifier.js';
export { JwtGateError, ERROR_CODES } from './errors.js';
