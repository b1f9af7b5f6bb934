// parts.js inside workerd (requests: serve.js).
import * as jwtgate from 'jwtgate';
import * as jose from 'jose';
import * as wasm from './node_modules/jwtgate/pkg/jwtgate_js.js';
import { partsSuite } from './parts-suite.js';
import { serveBenches } from './serve.js';

let benches;

export default {
  async fetch(request, env) {
    benches ??= await partsSuite({ jwtgate, jose, wasm }, JSON.parse(env.FIXTURE));
    return serveBenches(request, benches);
  },
};
