// Browsers (bundlers and plain <script type="module">): the wasm is fetched
// next to this file and compiled asynchronously (top-level await).
import init from '../pkg/jwtgate_js.js';

await init({ module_or_path: new URL('../pkg/jwtgate_js_bg.wasm', import.meta.url) });

export * from '../lib/index.js';
