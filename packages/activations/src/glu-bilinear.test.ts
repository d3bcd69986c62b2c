// Legend: B batch, T sequence, D model width, F FFN width.
import { describeConformance } from '@archzoo/testkit';
import { gluBilinear } from './glu-bilinear.js';

// Golden values: make_ffn_fixtures.py (numpy float64) with the kit's float32 tolerance.
describeConformance(gluBilinear, {
  cases: [
    { name: 'defaults' },
  ],
  golden: { fixture: new URL('./__fixtures__/glu-bilinear.json', import.meta.url) },
  invalid: [{ name: 'a non-boolean bias', options: { bias: 1 }, message: 'bias must be true or false' }],
});
