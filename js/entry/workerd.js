// workerd (Cloudflare Workers): the .wasm is imported as a module and
// instantiated at global scope; no promise is shared between requests.
import wasm from '../pkg/jwtgate_js_bg.wasm';
import { initSync } from '../pkg/jwtgate_js.js';
import { setRuntime } from '../lib/verifier.js';

initSync({ module: wasm });
setRuntime({ sharePendingFetches: false });

export * from '../lib/index.js';
