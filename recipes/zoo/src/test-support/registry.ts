/** A registry of every plugin the zoo's configs can name: norms, positions, FFNs, attention and stability tricks. */
import { attentions } from '@archzoo/attention';
import { ffns } from '@archzoo/activations';
import { Registry } from '@archzoo/core';
import { norms } from '@archzoo/norms';
import { positional } from '@archzoo/positional';
import { stabilities } from '@archzoo/stability';

export function zooRegistry(): Registry {
  return new Registry([...norms, ...positional, ...ffns, ...attentions, ...stabilities]);
}
