/**
 * The recipes the `archzoo` command ships with, and lookups that turn an unknown recipe or scale
 * into a one-line usage error listing the valid names.
 */
import { type Recipe, type RecipeScale, UsageError } from '@archzoo/core';
import { gemma2 } from '@archzoo/recipe-gemma2';
import { gpt3 } from '@archzoo/recipe-gpt3';
import { llama, llamaDyt } from '@archzoo/recipe-llama';
import { olmo2 } from '@archzoo/recipe-olmo2';
import { palm } from '@archzoo/recipe-palm';

/** Recipes in listing order: each parent before the recipes derived from it. */
export const RECIPES: readonly Recipe[] = [gpt3, llama, palm, gemma2, olmo2, llamaDyt];

/** The scale name that selects a recipe's published architecture (config only, no training setup). */
export const FULL_SCALE = 'full';

/** Scale used by `train` and `reproduce` when `--scale` is omitted. */
export const DEFAULT_SCALE = 'tiny';

export function findRecipe(recipes: readonly Recipe[], name: string): Recipe {
  const recipe = recipes.find((candidate) => candidate.name === name);
  if (!recipe) {
    const names = recipes.map((candidate) => candidate.name).join(', ');
    throw new UsageError(`unknown recipe "${name}"; valid recipes: ${names} (run \`archzoo list\` to see them)`);
  }
  return recipe;
}

/** Scale names `inspect` accepts: `full` (the published architecture) and the recipe's own scales. */
export function inspectableScales(recipe: Recipe): string[] {
  return [FULL_SCALE, ...Object.keys(recipe.scales)];
}

/** The trainable scale `name` of `recipe`; `full` and unknown names are usage errors. */
export function findTrainScale(recipe: Recipe, name: string): RecipeScale {
  const scales = Object.keys(recipe.scales);
  if (name === FULL_SCALE) {
    throw new UsageError(
      `scale "full" is the published ${recipe.published.name} architecture and has no training setup; use --scale ${scales.join(' or --scale ')}`,
    );
  }
  const scale = Object.hasOwn(recipe.scales, name) ? recipe.scales[name] : undefined;
  if (!scale) {
    throw new UsageError(`unknown scale "${name}" for recipe ${recipe.name}; valid scales: ${scales.join(', ')}`);
  }
  return scale;
}

/** Checks a scale name given to `inspect`. */
export function checkInspectScale(recipe: Recipe, name: string): void {
  const valid = inspectableScales(recipe);
  if (!valid.includes(name)) {
    throw new UsageError(`unknown scale "${name}" for recipe ${recipe.name}; valid scales: ${valid.join(', ')}`);
  }
}
