// Legend: B batch, T sequence, D model width, F FFN width.
import { describeConformance } from '@archzoo/testkit';
import { geglu } from './geglu.js';

// Golden values: make_ffn_fixtures.py (numpy float64) with the kit's float32 tolerance.
describeConformance(geglu, {
  cases: [
    { name: 'defaults' },
    { name: 'tanh GELU', options: { gelu: 'tanh' } },
  ],
  golden: { fixture: new URL('./__fixtures__/geglu.json', import.meta.url) },
  invalid: [{ name: 'a non-boolean bias', options: { bias: 1 }, message: 'bias must be true or false' }],
});
