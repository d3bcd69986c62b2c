#!/usr/bin/env node
// Launcher for the compiled CLI in ../dist; `pnpm build` creates it.
let cli;
try {
  cli = await import('../dist/main.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
  process.stderr.write(`archzoo: error: the CLI is not built (${error.message.split('\n')[0]}); run \`pnpm build\` in the repository root\n`);
  process.exit(1);
}
process.exitCode = await cli.run(process.argv.slice(2));
