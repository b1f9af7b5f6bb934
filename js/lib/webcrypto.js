// Signature checks through WebCrypto, with one CryptoKey imported per key
// (cached by RFC 7638 thumbprint and algorithm). Algorithms the host's
// WebCrypto lacks (P-521 or Ed25519 on some runtimes) fall back to the core's
// pure-Rust provider for that key.

const RSA = (hash) => ({ name: 'RSASSA-PKCS1-v1_5', hash });
const PSS = (hash) => ({ name: 'RSA-PSS', hash });
const EC = (namedCurve) => ({ name: 'ECDSA', namedCurve });
const HMAC = (hash) => ({ name: 'HMAC', hash });

/** alg -> [importKey algorithm, verify algorithm] */
const PARAMS = {
  RS256: [RSA('SHA-256'), { name: 'RSASSA-PKCS1-v1_5' }],
  RS384: [RSA('SHA-384'), { name: 'RSASSA-PKCS1-v1_5' }],
  RS512: [RSA('SHA-512'), { name: 'RSASSA-PKCS1-v1_5' }],
  PS256: [PSS('SHA-256'), { name: 'RSA-PSS', saltLength: 32 }],
  PS384: [PSS('SHA-384'), { name: 'RSA-PSS', saltLength: 48 }],
  PS512: [PSS('SHA-512'), { name: 'RSA-PSS', saltLength: 64 }],
  ES256: [EC('P-256'), { name: 'ECDSA', hash: 'SHA-256' }],
  ES384: [EC('P-384'), { name: 'ECDSA', hash: 'SHA-384' }],
  ES512: [EC('P-521'), { name: 'ECDSA', hash: 'SHA-512' }],
  EdDSA: [{ name: 'Ed25519' }, { name: 'Ed25519' }],
  HS256: [HMAC('SHA-256'), { name: 'HMAC' }],
  HS384: [HMAC('SHA-384'), { name: 'HMAC' }],
  HS512: [HMAC('SHA-512'), { name: 'HMAC' }],
};

const MAX_CRYPTO_KEYS = 256;
const UNSUPPORTED = false;

export class WebCryptoKeys {
  /** @param {SubtleCrypto | undefined} subtle */
  constructor(subtle = globalThis.crypto?.subtle) {
    this.subtle = subtle;
    /** thumbprint|alg -> CryptoKey, or UNSUPPORTED */
    this.byThumbprint = new Map();
    /** per key-set generation: index -> thumbprint, and index -> alg -> CryptoKey */
    this.generation = -1;
    this.thumbprints = [];
    this.byIndex = [];
  }

  #thumbprint(core, index, generation) {
    if (generation !== this.generation) {
      this.generation = generation;
      this.thumbprints = [];
      this.byIndex = [];
    }
    let thumbprint = this.thumbprints[index];
    if (thumbprint === undefined) {
      thumbprint = core.keyThumbprint(index);
      this.thumbprints[index] = thumbprint;
    }
    return thumbprint;
  }

  /**
   * Whether `signature` over `data` verifies with key `index` of `core`'s set
   * (generation `generation`) for `alg`: a promise, or a boolean when the
   * answer needs no WebCrypto call. The promise may reject (an unusable key
   * or signature): the caller counts that as a no.
   */
  verify(core, alg, index, generation, data, signature) {
    // The usual case: the key was imported under this generation already.
    if (generation === this.generation) {
      const key = this.byIndex[index]?.[alg];
      if (key) return this.subtle.verify(PARAMS[alg][1], key, signature, data);
    }
    return this.#verify(core, alg, index, generation, data, signature);
  }

  async #verify(core, alg, index, generation, data, signature) {
    const params = PARAMS[alg];
    if (!params || !this.subtle) {
      return core.verifyWithRust(alg, index, generation, data, signature);
    }
    const id = `${this.#thumbprint(core, index, generation)}|${alg}`;
    let key = this.byThumbprint.get(id);
    if (key === undefined) {
      const jwkText = core.keyJwk(index);
      if (!jwkText || core.generation !== generation) return false;
      try {
        key = await this.subtle.importKey('jwk', JSON.parse(jwkText), params[0], false, ['verify']);
      } catch {
        key = UNSUPPORTED;
      }
      if (this.byThumbprint.size >= MAX_CRYPTO_KEYS) this.byThumbprint.clear();
      this.byThumbprint.set(id, key);
    }
    if (key === UNSUPPORTED) {
      return core.verifyWithRust(alg, index, generation, data, signature);
    }
    if (generation === this.generation) (this.byIndex[index] ??= {})[alg] = key;
    try {
      return await this.subtle.verify(params[1], key, signature, data);
    } catch {
      return false;
    }
  }
}
