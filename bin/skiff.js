#!/usr/bin/env -S node --no-memory-reducer
// The skiff command: see `skiff --help`. The code lives in dist/ (built by `npm ci`).
//
// Node runs skiff with --no-memory-reducer (this line's interpreter, the image's entrypoint,
// `npm start`). The memory reducer collects garbage when a process goes idle, as a router does
// between its start and its first traffic (an ALB registering the target); after that, request
// handling cost 8-15% more CPU for the life of the process here (V8's inline caches in Node's
// own stream and nextTick code stay in a slow state). The flag must be given to node itself:
// V8 reads it when it sets up the heap, so setting it from here would be too late.
import { main } from '../dist/src/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`skiff: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
