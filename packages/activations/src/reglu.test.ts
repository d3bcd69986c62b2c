// Legend: B batch, T sequence, D model width, F FFN width.
import { describeConformance } from '@archzoo/testkit';
import { reglu } from './reglu.js';

// Golden values: make_ffn_fixtures.py (numpy float64) with the kit's float32 tolerance.
describeConformance(reglu, {
  cases: [
    // ReLU's kink at 0 can sit inside a finite-difference step, so its gradient gets a wider tolerance.
    { name: 'defaults', gradient: { rtol: 5e-2 } },
  ],
  golden: { fixture: new URL('./__fixtures__/reglu.json', import.meta.url) },
  invalid: [{ name: 'a non-boolean bias', options: { bias: 1 }, message: 'bias must be true or false' }],
});
