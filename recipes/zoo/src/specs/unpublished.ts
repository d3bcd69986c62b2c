/**
 * Models whose architecture was never published in enough detail to build even a proxy: the
 * Anthropic LM of Askell et al. 2021 (not Claude) and GPT-4. Every field is unknown.
 */
import { cells, SPEC_FIELDS, type UnknownChoice, type ZooSpec } from '../spec.js';

function allUnknown(reason: string): UnknownChoice[] {
  return SPEC_FIELDS.map((field) => ({ field, reason }));
}

const ANTHROPIC = 'Askell et al. 2021, "A General Language Assistant as a Laboratory for Alignment", arXiv 2112.00861';
const GPT4 = 'OpenAI 2023, "GPT-4 Technical Report", arXiv 2303.08774';

export const anthropicLm: ZooSpec = {
  id: 'anthropic-lm',
  name: 'Anthropic LM (not Claude)',
  lectureName: 'Anthropic LM (not claude)',
  year: 2021,
  config: null,
  sources: {},
  unknown: allUnknown(`no architecture details of the models in ${ANTHROPIC} are among the checked sources`),
  unverified: [],
  limitations: [],
  notes: ['the decoder-only models of the 2021 alignment papers; no checked source gives their block design'],
  disagreements: {
    preNorm: `no checked source describes the block of the models in ${ANTHROPIC}, so no public config backs the ☑`,
  },
  lectureRow: cells('', '', '☑', '', '', ''),
};

export const gpt4: ZooSpec = {
  id: 'gpt-4',
  name: 'GPT-4',
  lectureName: 'GPT4',
  year: 2023,
  config: null,
  sources: {},
  unknown: allUnknown(`${GPT4} withholds the architecture, model size and training details`),
  unverified: [],
  limitations: [],
  notes: [],
  disagreements: {
    preNorm: `${GPT4} does not publish the architecture, so the placement is unknown rather than post-norm`,
  },
  lectureRow: cells('', '', '☐', '', '', ''),
};
