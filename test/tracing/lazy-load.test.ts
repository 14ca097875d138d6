/**
 * The exporter packages are dependencies, but a router pays their heap only when it traces: in a
 * fresh process (the compiled dist/), the OpenTelemetry packages loaded after the command module
 * and the observability start are listed, with tracing off and with each protocol. CommonJS
 * packages loaded through import() land in require.cache, which is what is read.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { repoRoot, skiffBuilt } from '../helpers/process.js';

const built = skiffBuilt();
if (!built) console.warn('test/tracing/lazy-load: skipped, dist/ is missing (run `npm run build`)');

const script = `
import { createRequire } from 'node:module';
const cache = createRequire(import.meta.url).cache;
await import('./dist/src/cli/main.js');
const { createObservability } = await import('./dist/src/observability.js');
const obs = createObservability({ metrics: false, tracing: { fromEnv: true } });
await obs.ready;
const names = new Set();
for (const k of Object.keys(cache)) {
  const m = /node_modules\\/(@[^/]+\\/[^/]+|[^@/][^/]*)\\//.exec(k.slice(k.lastIndexOf('node_modules/')));
  if (m) names.add(m[1]);
}
await obs.shutdown();
process.stdout.write(JSON.stringify([...names].sort()));
`;

/** The packages (from node_modules) loaded once observability has started with this environment. */
function packagesLoaded(env: Record<string, string>): string[] {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as string[];
}

const exporters = ['@opentelemetry/exporter-trace-otlp-grpc', '@opentelemetry/exporter-trace-otlp-http', '@opentelemetry/exporter-trace-otlp-proto'];
// A port nothing listens on: no span is made, so nothing is sent.
const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1' };

describe.skipIf(!built)('exporter packages are loaded only when tracing is on', () => {
  it('tracing off: no SDK, no exporter, no gRPC', () => {
    const loaded = packagesLoaded({});
    for (const p of [...exporters, '@opentelemetry/sdk-trace-base', '@opentelemetry/resources', '@grpc/grpc-js']) expect(loaded, p).not.toContain(p);
    // the same with an endpoint set but tracing switched off
    expect(packagesLoaded({ ...endpoint, OTEL_SDK_DISABLED: 'true' }).filter((p) => p.startsWith('@opentelemetry/exporter'))).toEqual([]);
  });

  it.each([
    ['http/protobuf', '@opentelemetry/exporter-trace-otlp-proto'],
    ['http/json', '@opentelemetry/exporter-trace-otlp-http'],
    ['grpc', '@opentelemetry/exporter-trace-otlp-grpc'],
  ])('%s: only its own exporter package', (protocol, pkg) => {
    const loaded = packagesLoaded({ ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: protocol });
    expect(loaded).toContain('@opentelemetry/sdk-trace-base');
    expect(loaded.filter((p) => p.startsWith('@opentelemetry/exporter'))).toEqual([pkg]);
    // (the gRPC exporter itself loads @grpc/grpc-js on its first export)
    if (protocol !== 'grpc') expect(loaded).not.toContain('@grpc/grpc-js');
  });
});
