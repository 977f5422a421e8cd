#!/usr/bin/env node
// The `wasmflip` command: runs the compiled CLI in dist/ (built by `npm install` / `npm run build`).
import { main } from '../dist/runtime/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
