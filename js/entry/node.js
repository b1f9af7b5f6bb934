// Node.js, Deno and Bun: the wasm is read from the package and compiled
// synchronously at import.
import { readFileSync } from 'node:fs';
import { initSync } from '../pkg/jwtgate_js.js';

initSync({ module: readFileSync(new URL('../pkg/jwtgate_js_bg.wasm', import.meta.url)) });

export * from '../lib/index.js';
