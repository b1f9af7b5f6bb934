// The verifier: the wasm core decides every verdict; this file moves tokens,
// keys and results across the boundary and runs WebCrypto between the core's
// `begin` and `end`.
//
// The boundary is kept cheap: the token is written straight into a buffer in
// wasm memory (`TextEncoder.encodeInto`), what a signature check needs is
// read in place from a small `u32` array the core fills (see `OUT_*`), and
// a result is one JSON text of the token's own header and payload JSON.
import { Core, decodeToken, wasmMemory, algorithmNames } from '../pkg/jwtgate_js.js';
import { JwtGateError } from './errors.js';
import { WebCryptoKeys } from './webcrypto.js';
import {
  RemoteKeySet,
  DEFAULT_JWKS_CACHE_MAX_AGE,
  DEFAULT_JWKS_COOLDOWN,
  DEFAULT_JWKS_TIMEOUT,
} from './jwks.js';

const OK = 0;
const PENDING = 1;
const RETRY = 2;
const STALE = 3;

// The `outputs` array after `begin` answered PENDING (js/src/lib.rs).
const OUT_SLOT = 0;
const OUT_ALG = 1;
const OUT_GENERATION = 2;
const OUT_INPUT_PTR = 3;
const OUT_INPUT_LEN = 4;
const OUT_SIGNATURE_PTR = 5;
const OUT_SIGNATURE_LEN = 6;
const OUT_CANDIDATES = 7;
const OUT_FIRST_CANDIDATE = 8;
// ... and after OK: the header JSON, the payload JSON and the scopes JSON
// array, one after the other.
const OUT_RESULT_PTR = 9;
const OUT_HEADER_LEN = 10;
const OUT_PAYLOAD_LEN = 11;
const OUT_SCOPES_LEN = 12;
const OUT_TICKET = 13;

/** Distinct headers and scope lists kept parsed (per verifier). */
const SHARED_PARTS = 64;

/** Tokens longer than this (UTF-16 units) get a one-off input buffer. */
const LARGE_TOKEN = 65536;

// Views of wasm memory, made again when the memory grows (its old buffer is
// then detached and the views read as empty).
let memory;
let algNames;
let memory8 = new Uint8Array(0);
let memory32 = new Uint32Array(0);
function bytes() {
  if (memory8.byteLength === 0) memory8 = new Uint8Array(memory.buffer);
  return memory8;
}
function words() {
  if (memory32.byteLength === 0) memory32 = new Uint32Array(memory.buffer);
  return memory32;
}

/** Options the wasm core takes (passed through as JSON). */
const CORE_OPTIONS = [
  'issuer',
  'audience',
  'algorithms',
  'clockTolerance',
  'maxTokenAge',
  'requireExp',
  'requiredClaims',
  'typ',
  'scopeClaims',
  'requiredScopes',
  'scopesAny',
  'claims',
  'cacheEntries',
  'maxTokenBytes',
  'realm',
];
const JS_OPTIONS = ['jwks', 'jwksCacheMaxAge', 'jwksCooldown', 'jwksTimeout', 'fetch', 'now'];
const KNOWN_OPTIONS = new Set([...CORE_OPTIONS, ...JS_OPTIONS]);
const CALL_OPTIONS = new Set(['requiredScopes', 'scopesAny', 'claims']);

const runtime = { sharePendingFetches: true };

/** Entry points call this: workerd must not share promises across requests. */
export function setRuntime({ sharePendingFetches }) {
  runtime.sharePendingFetches = sharePendingFetches;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const systemClock = () => Date.now() / 1000;

/**
 * The frozen parse of `text`, shared by every result with that very text:
 * the tokens of one issuer carry few distinct headers and scope lists.
 */
function shared(parsed, text) {
  let value = parsed.get(text);
  if (value === undefined) {
    value = deepFreeze(JSON.parse(text));
    if (parsed.size >= SHARED_PARTS) parsed.clear();
    parsed.set(text, value);
  }
  return value;
}

/** Freezes a fresh JSON.parse result and everything in it. */
function deepFreeze(value) {
  Object.freeze(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const item = value[i];
      if (typeof item === 'object' && item !== null) deepFreeze(item);
    }
  } else {
    for (const item of Object.values(value)) {
      if (typeof item === 'object' && item !== null) deepFreeze(item);
    }
  }
  return value;
}

function nonNegative(name, value, fallback) {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) {
    throw new TypeError(`jwtgate: ${name} must be a non-negative number`);
  }
  return value;
}

/**
 * The core's refusal of options, requirements or a key set (a JsError) as a
 * TypeError; a wasm trap (a bug, never an answer) is rethrown as it is.
 */
function refusal(error, prefix = '') {
  if (error instanceof WebAssembly.RuntimeError) return error;
  return new TypeError(`${prefix}${error?.message ?? error}`);
}

export class Verifier {
  #core;
  #now;
  #remote;
  #crypto = new WebCryptoKeys();
  #inputPtr = 0;
  #inputRoom = 0;
  #inputView;
  #outputs = 0;
  // The verified-token cache: token string -> { slot, result }, at most
  // `cacheEntries`, oldest out first. A hit is found by the exact string and
  // re-checked in wasm (time claims, the call's requirements, the key-set
  // generation) exactly as the core's cache re-checks its hits; the core's
  // own digest-keyed cache is off (see js/src/lib.rs).
  #front = new Map();
  #slots = [];
  #nextSlot = 0;
  #resultLimit;
  #requirementIds = new Map();
  #headers = new Map();
  #scopeLists = new Map();
  #requirementObjects = new WeakMap();

  /** Use `createVerifier`. */
  constructor(options = {}, token) {
    if (token !== CONSTRUCT) throw new TypeError('jwtgate: use createVerifier(options)');
    if (options === null || typeof options !== 'object') {
      throw new TypeError('jwtgate: options must be an object');
    }
    for (const name of Object.keys(options)) {
      if (!KNOWN_OPTIONS.has(name)) throw new TypeError(`jwtgate: unknown option "${name}"`);
    }
    const core = {};
    for (const name of CORE_OPTIONS) {
      if (options[name] !== undefined) core[name] = options[name];
    }
    try {
      this.#core = new Core(JSON.stringify(core));
    } catch (error) {
      throw refusal(error);
    }
    // The wasm module is instantiated by now (the entry points do it before
    // anything can construct a verifier).
    memory ??= wasmMemory();
    algNames ??= algorithmNames().split(',');
    this.#outputs = this.#core.outputs() >>> 2;
    if (options.now !== undefined && typeof options.now !== 'function') {
      throw new TypeError('jwtgate: now must be a function returning Unix seconds');
    }
    this.#now = options.now ?? systemClock;
    this.#resultLimit = this.#core.cacheCapacity;
    const { jwks } = options;
    if (typeof jwks === 'string' || jwks instanceof URL) {
      let url;
      try {
        url = new URL(jwks);
      } catch {
        throw new TypeError(`jwtgate: jwks is not a URL: ${jwks}`);
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        throw new TypeError('jwtgate: jwks URL must be http(s)');
      }
      const fetchImpl = options.fetch ?? globalThis.fetch;
      if (typeof fetchImpl !== 'function') throw new TypeError('jwtgate: no fetch available');
      const now = this.#now;
      this.#remote = new RemoteKeySet(url, {
        fetch: (...args) => fetchImpl(...args),
        clock: () => now() * 1000,
        maxAge: nonNegative('jwksCacheMaxAge', options.jwksCacheMaxAge, DEFAULT_JWKS_CACHE_MAX_AGE),
        cooldown: nonNegative('jwksCooldown', options.jwksCooldown, DEFAULT_JWKS_COOLDOWN),
        timeout: nonNegative('jwksTimeout', options.jwksTimeout, DEFAULT_JWKS_TIMEOUT),
        sharePending: runtime.sharePendingFetches,
      });
    } else if (jwks && typeof jwks === 'object' && Array.isArray(jwks.keys)) {
      let count;
      try {
        count = this.#core.setKeys(JSON.stringify(jwks));
      } catch (error) {
        throw refusal(error, 'jwtgate: ');
      }
      if (count === 0) {
        throw new TypeError(`jwtgate: the JWK Set has no usable key: ${this.#core.skippedKeys()}`);
      }
    } else {
      throw new TypeError('jwtgate: jwks must be a JWK Set object or a URL');
    }
  }

  /** Entries in the verified-token cache. */
  get cachedEntries() {
    return this.#front.size;
  }

  /** Keys skipped from the current set, with reasons. */
  get skippedKeys() {
    return JSON.parse(this.#core.skippedKeys());
  }

  /** Remote key sets: fetches made so far. */
  get jwksFetches() {
    return this.#remote?.fetches ?? 0;
  }

  #requirements(call) {
    if (call === undefined || call === null) return 0;
    const known = this.#requirementObjects.get(call);
    if (known !== undefined && this.#requirementIds.get(known.key) === known.id) return known.id;
    for (const name of Object.keys(call)) {
      if (!CALL_OPTIONS.has(name)) throw new TypeError(`jwtgate: unknown option "${name}"`);
    }
    const { requiredScopes, scopesAny, claims } = call;
    if (requiredScopes === undefined && scopesAny === undefined && claims === undefined) return 0;
    const text = JSON.stringify({ requiredScopes, scopesAny, claims });
    let id = this.#requirementIds.get(text);
    if (id === undefined) {
      try {
        id = this.#core.addRequirements(text);
      } catch (error) {
        throw refusal(error);
      }
      if (id === 1) this.#requirementIds.clear();
      this.#requirementIds.set(text, id);
    }
    this.#requirementObjects.set(call, { key: text, id });
    return id;
  }

  #error() {
    return JwtGateError.fromJson(this.#core.errorJson());
  }

  /** Writes `token` (UTF-8) into the core's input buffer; returns its length in bytes. */
  #write(token) {
    // encodeInto writes at most 3 bytes per UTF-16 unit.
    const room = token.length * 3;
    if (room > this.#inputRoom) {
      this.#inputPtr = this.#core.inputBuffer(room) >>> 0;
      this.#inputRoom = room;
    }
    let view = this.#inputView;
    if (view === undefined || view.byteLength === 0 || view.byteOffset !== this.#inputPtr || view.length < room) {
      view = bytes().subarray(this.#inputPtr, this.#inputPtr + this.#inputRoom);
      this.#inputView = view;
    }
    return encoder.encodeInto(token, view).written;
  }

  /** After a long token: give its buffer back. */
  #release(token) {
    if (token.length > LARGE_TOKEN) {
      this.#core.releaseInput();
      this.#inputPtr = 0;
      this.#inputRoom = 0;
    }
  }

  #result(token) {
    const known = this.#front.size === 0 ? undefined : this.#front.get(token);
    if (known !== undefined) return known.result;
    const out = words();
    const o = this.#outputs;
    const heap = bytes();
    const at = out[o + OUT_RESULT_PTR];
    const headerEnd = at + out[o + OUT_HEADER_LEN];
    const payloadEnd = headerEnd + out[o + OUT_PAYLOAD_LEN];
    const scopesEnd = payloadEnd + out[o + OUT_SCOPES_LEN];
    // One decode for the three parts when they are ASCII (then byte and
    // UTF-16 offsets agree), else one each.
    let headerText;
    let payloadText;
    let scopesText;
    const text = decoder.decode(heap.subarray(at, scopesEnd));
    if (text.length === scopesEnd - at) {
      headerText = text.slice(0, headerEnd - at);
      payloadText = text.slice(headerEnd - at, payloadEnd - at);
      scopesText = text.slice(payloadEnd - at);
    } else {
      headerText = decoder.decode(heap.subarray(at, headerEnd));
      payloadText = decoder.decode(heap.subarray(headerEnd, payloadEnd));
      scopesText = decoder.decode(heap.subarray(payloadEnd, scopesEnd));
    }
    const header = shared(this.#headers, headerText);
    const payload = deepFreeze(JSON.parse(payloadText));
    const scopes = shared(this.#scopeLists, scopesText);
    const result = Object.freeze({ header, payload, scopes });
    if (this.#resultLimit > 0) {
      const slot = this.#nextSlot;
      this.#nextSlot = (slot + 1) % this.#resultLimit;
      const evicted = this.#slots[slot];
      if (evicted !== undefined) this.#front.delete(evicted);
      this.#slots[slot] = token;
      this.#core.remember(slot);
      this.#front.set(token, { slot, result });
    }
    return result;
  }

  /** The cached result of `token`, `undefined` to verify it afresh; throws a refusal. */
  #cached(token, required) {
    if (this.#front.size === 0) return undefined;
    const hit = this.#front.get(token);
    if (hit === undefined) return undefined;
    const status = this.#core.checkRemembered(hit.slot, this.#now(), required);
    if (status === OK) return hit.result;
    this.#front.delete(token);
    this.#slots[hit.slot] = undefined;
    if (status === STALE) return undefined;
    throw this.#error();
  }

  #missing(token) {
    if (token === undefined || token === null || token === '') {
      return new JwtGateError('token_missing', 'no token', { realm: this.#core.realm });
    }
    if (typeof token !== 'string') {
      return new JwtGateError('token_malformed', 'the token is not a string', {
        realm: this.#core.realm,
      });
    }
    return undefined;
  }

  #unavailable() {
    const reason = this.#remote?.lastError?.message ?? 'no key set';
    return new JwtGateError('jwks_unavailable', `the key set is unavailable: ${reason}`, {
      realm: this.#core.realm,
    });
  }

  /**
   * Verifies `token` (signature through WebCrypto) and applies the
   * verifier's and this call's requirements.
   * @returns {Promise<{header: object, payload: object, scopes: string[]}>}
   */
  async verify(token, options) {
    const bad = this.#missing(token);
    if (bad) throw bad;
    const required = this.#requirements(options);
    const core = this.#core;
    const remote = this.#remote;
    // A remote set is fetched or refreshed here, by this request itself.
    if (remote && !remote.fresh() && !(await remote.ensure(core))) throw this.#unavailable();
    const hit = this.#cached(token, required);
    if (hit !== undefined) return hit;
    let refreshed = false;
    const webCrypto = this.#crypto;
    for (let attempt = 0; attempt < 4; attempt += 1) {
      const status = core.begin(this.#write(token), this.#now(), required);
      this.#release(token);
      if (status === OK) return this.#result(token);
      if (status !== PENDING) {
        if (remote && !refreshed && core.errorCode() === 'key_not_found') {
          refreshed = true;
          if (await remote.refreshForUnknownKey(core)) continue;
        }
        throw this.#error();
      }
      // Everything is read out of wasm memory before the first await.
      const out = words();
      const o = this.#outputs;
      const slot = out[o + OUT_SLOT];
      const ticket = out[o + OUT_TICKET];
      const alg = algNames[out[o + OUT_ALG]];
      const generation = out[o + OUT_GENERATION];
      const count = out[o + OUT_CANDIDATES];
      const heap = bytes();
      const data = heap.slice(out[o + OUT_INPUT_PTR], out[o + OUT_INPUT_PTR] + out[o + OUT_INPUT_LEN]);
      const signature = heap.slice(
        out[o + OUT_SIGNATURE_PTR],
        out[o + OUT_SIGNATURE_PTR] + out[o + OUT_SIGNATURE_LEN],
      );
      // Usually one candidate key: it is in `outputs`; more are read out of
      // wasm memory now, before the first await.
      const first = out[o + OUT_FIRST_CANDIDATE];
      let more;
      if (count > 1) {
        const at = core.candidates(slot) >>> 2;
        more = Array.from(words().subarray(at + 1, at + count));
      }
      let verifiedBy = -1;
      for (let i = 0; i < count; i += 1) {
        const index = i === 0 ? first : more[i - 1];
        let verified = false;
        try {
          verified = await webCrypto.verify(core, alg, index, generation, data, signature);
        } catch {
          // A WebCrypto rejection (it has none for a well-formed call) is a no.
        }
        if (verified) {
          verifiedBy = index;
          break;
        }
      }
      const finished = core.end(slot, ticket, verifiedBy);
      if (finished === OK) return this.#result(token);
      if (finished === RETRY) continue;
      throw this.#error();
    }
    // The key set changed under every attempt.
    throw new JwtGateError('jwks_unavailable', 'the key set kept changing during verification', {
      realm: this.#core.realm,
    });
  }

  /**
   * The same verdict as `verify`, fully in wasm (pure-Rust crypto),
   * synchronously. A remote key set must have been fetched already.
   */
  verifySync(token, options) {
    const bad = this.#missing(token);
    if (bad) throw bad;
    if (this.#remote && !this.#remote.loaded) throw this.#unavailable();
    const required = this.#requirements(options);
    const hit = this.#cached(token, required);
    if (hit !== undefined) return hit;
    const status = this.#core.verifySync(this.#write(token), this.#now(), required);
    this.#release(token);
    if (status === OK) return this.#result(token);
    throw this.#error();
  }

  /**
   * Checks the bearer token of `request` (RFC 6750 §2.1).
   * @returns {Promise<{ok: true, header: object, payload: object, scopes: string[]} | {ok: false, error: JwtGateError, response: Response}>}
   */
  async authorize(request, options) {
    let token;
    const header = request?.headers?.get?.('authorization');
    if (header) {
      const match = /^Bearer[ ]+([^ ]+)[ ]*$/i.exec(header);
      if (match) token = match[1];
      else if (/^Bearer\b/i.test(header)) token = header.replace(/^Bearer\s*/i, '') || undefined;
    }
    try {
      const { header: jose, payload, scopes } = await this.verify(token, options);
      return { ok: true, header: jose, payload, scopes };
    } catch (error) {
      if (!(error instanceof JwtGateError)) throw error;
      return { ok: false, error, response: error.toResponse() };
    }
  }
}

const CONSTRUCT = Symbol('construct');

/** A verifier, synchronously (no I/O happens until the first verification). */
export function createVerifierSync(options) {
  return new Verifier(options, CONSTRUCT);
}

/**
 * A verifier over a local JWK Set or a remote one (fetched on first use).
 * @returns {Promise<Verifier>}
 */
export async function createVerifier(options) {
  return createVerifierSync(options);
}

/**
 * Decodes a token without verifying anything.
 * @returns {{header: object, payload: object, scopes: string[], issuedAt: number|null, expiresAt: number|null, expired: boolean, secondsLeft: number|null}}
 */
export function decode(token, { now } = {}) {
  if (typeof token !== 'string') {
    throw new JwtGateError('token_malformed', 'the token is not a string');
  }
  let text;
  try {
    text = decodeToken(token);
  } catch (error) {
    if (typeof error === 'string') throw JwtGateError.fromJson(error);
    throw error;
  }
  const { header, payload, scopes } = JSON.parse(text);
  const at = typeof now === 'function' ? now() : (now ?? Date.now() / 1000);
  const date = (value) => (typeof value === 'number' && Number.isFinite(value) ? value : null);
  const issuedAt = date(payload.iat);
  const expiresAt = date(payload.exp);
  return {
    header,
    payload,
    scopes,
    issuedAt,
    expiresAt,
    expired: expiresAt !== null && at >= expiresAt,
    secondsLeft: expiresAt === null ? null : Math.max(0, Math.floor(expiresAt - at)),
  };
}
