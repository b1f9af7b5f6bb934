// Remote JWK Sets: fetched with a timeout, cached for `jwksCacheMaxAge`
// (or a shorter `Cache-Control: max-age`), re-fetched at most once per
// `jwksCooldown` on an unknown key, the last good set kept when a fetch
// fails (and retried once per cooldown). In workerd no request ever awaits a promise another request made
// (jose issue #355: such promises hang): each request awaits only its own
// fetch, and requests that find a refresh under way use the current set.

export const DEFAULT_JWKS_CACHE_MAX_AGE = 600_000; // ms
export const DEFAULT_JWKS_COOLDOWN = 30_000; // ms
export const DEFAULT_JWKS_TIMEOUT = 5_000; // ms

/** Seconds of `max-age` in a Cache-Control header value, or undefined. */
export function cacheControlMaxAge(value) {
  if (!value) return undefined;
  const match = /(?:^|[,\s])max-age\s*=\s*"?(\d+)"?/i.exec(value);
  return match ? Number(match[1]) : undefined;
}

export class RemoteKeySet {
  /**
   * @param {URL} url
   * @param {object} o
   * @param {typeof fetch} o.fetch
   * @param {() => number} o.clock milliseconds
   * @param {number} o.maxAge ms
   * @param {number} o.cooldown ms
   * @param {number} o.timeout ms
   * @param {boolean} o.sharePending whether concurrent cold starts may share one fetch
   */
  constructor(url, o) {
    this.url = url;
    this.fetch = o.fetch;
    this.clock = o.clock;
    this.maxAge = o.maxAge;
    this.cooldown = o.cooldown;
    this.timeout = o.timeout;
    this.sharePending = o.sharePending;
    this.loaded = false;
    this.refreshAt = 0; // when the set goes stale
    this.lastAttempt = -Infinity; // start of the last fetch
    this.lastKeyRefresh = -Infinity; // start of the last unknown-key refresh
    this.inFlightSince = -Infinity;
    this.pending = undefined; // shared cold-start fetch (not in workerd)
    this.lastError = undefined;
    this.fetches = 0;
  }

  #inFlight(now) {
    return now - this.inFlightSince < this.timeout + 1000;
  }

  /** Whether the set is loaded and needs no refresh now (no `ensure` needed). */
  fresh() {
    return this.loaded && this.clock() < this.refreshAt;
  }

  /**
   * Makes sure `core` has a key set: fetches one on a cold start (throws the
   * reason if none can be had) and refreshes a stale one.
   */
  async ensure(core) {
    if (!this.loaded) {
      if (this.sharePending) {
        this.pending ??= this.#fetchInto(core).finally(() => {
          this.pending = undefined;
        });
        await this.pending;
      } else {
        await this.#fetchInto(core);
      }
      return this.loaded;
    }
    const now = this.clock();
    if (now >= this.refreshAt && !this.#inFlight(now)) {
      await this.#fetchInto(core);
    }
    return true;
  }

  /**
   * After `key_not_found`: re-fetch, at most once per cooldown (the fetches
   * these refreshes make are what the cooldown counts). True if the keys
   * changed.
   */
  async refreshForUnknownKey(core) {
    const now = this.clock();
    if (now - this.lastKeyRefresh < this.cooldown || this.#inFlight(now)) return false;
    this.lastKeyRefresh = now;
    const before = core.generation;
    await this.#fetchInto(core);
    return core.generation !== before;
  }

  /** One fetch; on success the set goes into `core`. Never throws. */
  async #fetchInto(core) {
    const started = this.clock();
    this.lastAttempt = started;
    this.inFlightSince = started;
    this.fetches += 1;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeout);
    try {
      const response = await this.fetch(this.url.href, {
        headers: { accept: 'application/jwk-set+json, application/json' },
        signal: controller.signal,
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const text = await response.text();
      const count = core.setKeys(text);
      if (count === 0) throw new Error(`no usable key in the set: ${core.skippedKeys()}`);
      const maxAge = cacheControlMaxAge(response.headers.get('cache-control'));
      const ttl = maxAge === undefined ? this.maxAge : Math.min(this.maxAge, maxAge * 1000);
      this.loaded = true;
      this.lastError = undefined;
      this.refreshAt = this.clock() + ttl;
    } catch (error) {
      this.lastError = controller.signal.aborted
        ? new Error(`timed out after ${this.timeout} ms`)
        : error;
      // Keep the last good set; try again after the cooldown.
      this.refreshAt = this.clock() + this.cooldown;
    } finally {
      clearTimeout(timer);
      this.inFlightSince = -Infinity;
    }
  }
}
