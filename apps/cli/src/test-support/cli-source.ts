// Launches the CLI from its TypeScript sources, as bin/archzoo.js launches the build:
// node --conditions=archzoo-source --import tsx src/test-support/cli-source.ts ARGS
import { run } from '../main.js';

process.exitCode = await run(process.argv.slice(2));
