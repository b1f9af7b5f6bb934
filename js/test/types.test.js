// The TypeScript declarations: an example that uses every export, and
// misuse the declarations must reject (@ts-expect-error lines fail the
// check when they stop being errors).
import test from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { start } from './servers.js';

const pkg = fileURLToPath(new URL('..', import.meta.url));

test('tsc --noEmit on examples/typed', async () => {
  const tsc = start(`${pkg}node_modules/.bin/tsc`, ['--noEmit', '-p', 'examples/typed'], { cwd: pkg });
  const { code } = await tsc.exited;
  assert.equal(code, 0, tsc.output());
});
