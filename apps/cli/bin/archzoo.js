#!/usr/bin/env node
// Launcher for the compiled CLI; run `pnpm build` first so that ../dist/main.js exists.
import { run } from '../dist/main.js';

process.exitCode = await run(process.argv.slice(2));
