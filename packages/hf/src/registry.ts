import { ffns } from '@archzoo/activations';
import { attentions } from '@archzoo/attention';
import { Registry } from '@archzoo/core';
import { norms } from '@archzoo/norms';
import { positional } from '@archzoo/positional';
import { stabilities } from '@archzoo/stability';

/** Builds a registry of every plugin an imported HF model may name. */
export function hfRegistry(): Registry {
  return new Registry([...norms, ...positional, ...ffns, ...attentions, ...stabilities]);
}
