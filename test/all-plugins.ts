/** Every plugin manifest archzoo ships, for tests that combine slots freely. */
import { ffns } from '@archzoo/activations';
import { attentions } from '@archzoo/attention';
import { Registry, type PluginManifest } from '@archzoo/core';
import { norms } from '@archzoo/norms';
import { positional } from '@archzoo/positional';
import { stabilities } from '@archzoo/stability';

export const allPlugins: PluginManifest[] = [...norms, ...positional, ...ffns, ...attentions, ...stabilities];

export function registryOfAll(): Registry {
  return new Registry(allPlugins);
}
