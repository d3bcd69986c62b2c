// Launches the CLI from its TypeScript sources with the `micro` LLaMA scale in its catalog, so
// child-process tests train a step in about a second. Usage:
// node --conditions=archzoo-source --import tsx src/test-support/micro-cli-source.ts ARGS
import { run } from '../main.js';
import { microLlama } from './micro-recipe.js';

process.exitCode = await run(process.argv.slice(2), [microLlama]);
