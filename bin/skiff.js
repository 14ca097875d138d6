#!/usr/bin/env node
// The skiff command: see `skiff --help`. The code lives in dist/ (built by `npm ci`).
import { main } from '../dist/src/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`skiff: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
