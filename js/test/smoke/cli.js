// Deno and Bun: run the smoke test against the package resolved as
// `jwtgate` (conditions "deno" / "bun") and print the outcome as JSON.
import * as jwtgate from 'jwtgate';
import { readFileSync } from 'node:fs';
import { smoke } from './smoke.js';

const fx = JSON.parse(readFileSync(new URL('./fixture.json', import.meta.url), 'utf8'));
const out = await smoke(jwtgate, fx);
console.log(`SMOKE ${JSON.stringify(out)}`);
