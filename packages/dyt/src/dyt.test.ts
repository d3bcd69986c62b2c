import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describeConformance } from '@archzoo/testkit';
import { dyt } from './dyt.js';

// The golden fixture is written by __fixtures__/gen_dyt.py. Until that file exists, the
// conformance kit runs without a golden comparison, so the numbers are not checked yet.
const fixture = new URL('./__fixtures__/dyt.json', import.meta.url);

describeConformance(dyt, {
  cases: [{ name: 'defaults' }],
  golden: existsSync(fileURLToPath(fixture)) ? { fixture } : undefined,
  invalid: [{ name: 'a string init_scale', options: { init_scale: 'one' }, message: 'norm.init_scale must be a finite number' }],
});
