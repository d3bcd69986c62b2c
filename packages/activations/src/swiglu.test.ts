// Legend: B batch, T sequence, D model width, F FFN width.
import { describeConformance } from '@archzoo/testkit';
import { swiglu } from './swiglu.js';

// Golden values: make_ffn_fixtures.py (numpy float64) with the kit's float32 tolerance.
describeConformance(swiglu, {
  cases: [
    { name: 'defaults' },
    { name: 'with biases', options: { bias: true } },
  ],
  golden: { fixture: new URL('./__fixtures__/swiglu.json', import.meta.url) },
  invalid: [{ name: 'a non-boolean bias', options: { bias: 1 }, message: 'bias must be true or false' }],
});
