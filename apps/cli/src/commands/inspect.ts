/** `archzoo inspect <recipe>`: parameters, FLOPs and KV-cache size of each scale, from the config. */
import { onePositional, parseIntegerFlag, stringFlag } from '../args.js';
import { checkInspectScale, findRecipe } from '../catalog.js';
import { HELP_FLAG, type Command } from '../command.js';
import { formatBytes, formatCompact, formatInteger } from '../format.js';
import { inspectRecipe, type RecipeInspection, type ScaleInspection } from '../inspection.js';

function scaleLines(scale: ScaleInspection): string[] {
  const dims =
    `vocab ${scale.vocabSize}, d_model ${scale.dModel}, ${scale.nLayers} layers, ` +
    `${scale.nHeads} heads (${scale.nKvHeads} kv, head_dim ${scale.headDim}), d_ff ${scale.dFf}, context ${scale.contextLength}`;
  return [
    `scale ${scale.scale}: ${scale.description}`,
    `  dimensions           ${dims}`,
    `  parameters           ${formatInteger(scale.params)} (${formatCompact(scale.params)}), non-embedding ${formatInteger(scale.nonEmbeddingParams)}`,
    `  forward FLOPs/token  ${formatCompact(scale.forwardFlopsPerToken)} (training ${formatCompact(scale.trainingFlopsPerToken)})`,
    `  d_ff / d_model       ${scale.dFfPerDModel.toFixed(3)}`,
    `  d_model / n_layers   ${scale.dModelPerLayer.toFixed(1)}`,
    `  KV cache (float32)   ${formatBytes(scale.kvCacheBytesPerToken)} per token, ${formatBytes(scale.kvCacheBytesFullContext)} at ${scale.contextLength} tokens`,
    ...(scale.kvCacheAtContext ? [contextLine(scale, scale.kvCacheAtContext)] : []),
  ];
}

function contextLine(scale: ScaleInspection, at: NonNullable<ScaleInspection['kvCacheAtContext']>): string {
  let attention = `GQA ${scale.nHeads}/${scale.nKvHeads}`;
  if (scale.nKvHeads === scale.nHeads) attention = 'MHA';
  else if (scale.nKvHeads === 1) attention = 'MQA';
  const saving = scale.nKvHeads === scale.nHeads ? '' : `, ${(at.mhaBytes / at.bytes).toFixed(1)}x less than MHA's ${formatBytes(at.mhaBytes)}`;
  return `  KV cache at ${at.tokens} tokens  ${formatBytes(at.bytes)} (${attention}${saving})`;
}

function publishedLines(inspection: RecipeInspection): string[] {
  const check = inspection.published;
  const verdict = check.withinTolerance ? 'within' : 'OUTSIDE';
  const percent = (check.relativeDifference * 100).toFixed(4);
  return [
    `published ${check.name}: ${formatInteger(check.published)} parameters, computed ${formatInteger(check.computed)} (${percent}%, ${verdict} tolerance ${check.tolerance})`,
    `  source: ${check.source}`,
  ];
}

export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'show parameters, FLOPs per token and KV-cache size of a recipe',
  synopsis: 'inspect <recipe> [--scale S] [--context N] [--json]',
  details: 'Everything is computed from the configs; no model is built and no backend starts.',
  flags: {
    scale: {
      type: 'string',
      valueName: 'S',
      description: 'one scale to show: full (the published architecture) or a recipe scale such as tiny or small; default: all scales',
    },
    context: { type: 'string', valueName: 'N', description: 'also report the float32 KV cache at N tokens, with the MHA size for comparison' },
    json: { type: 'boolean', description: 'print JSON (numbers unformatted, FLOPs and bytes as plain counts)' },
    ...HELP_FLAG,
  },
  async run({ values, positionals }, io) {
    const recipe = findRecipe(io.recipes, onePositional('inspect', positionals, 'recipe name', 'run `archzoo list` to see them'));
    const scale = values.scale as string | undefined;
    if (scale !== undefined) checkInspectScale(recipe, scale);
    const contextFlag = stringFlag(values, 'context');
    const context = contextFlag === undefined ? undefined : parseIntegerFlag('context', contextFlag, 1);
    const inspection = inspectRecipe(recipe, scale === undefined ? undefined : [scale], context);

    if (values.json) {
      io.stdout.write(`${JSON.stringify(inspection, null, 2)}\n`);
      return 0;
    }
    const parent = inspection.parent ? ` (parent: ${inspection.parent})` : '';
    const lines = [`${inspection.recipe}: ${inspection.title}${parent}`, ...publishedLines(inspection)];
    for (const entry of inspection.scales) lines.push('', ...scaleLines(entry));
    io.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  },
};
