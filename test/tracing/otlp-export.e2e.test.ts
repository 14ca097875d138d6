/**
 * skiff as a process exporting its spans over OTLP to real receivers on 127.0.0.1, one per
 * protocol the OTEL_EXPORTER_OTLP_[TRACES_]PROTOCOL variables can name: http/protobuf (the
 * default), http/json and grpc. Each request goes through skiff to an echo backend; the test
 * checks the backend got a traceparent (generated when the client sent none) and that the
 * receiver got the `ingress` and `proxy` spans of that trace. A protocol value skiff does not
 * know stops the start with exit code 1. Needs the build output in dist/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEcho, type TestServer } from '../helpers/upstream.js';
import { request } from '../helpers/http.js';
import { runSkiff, skiffBuilt, spawnSkiff, waitFor, type SkiffProcess } from '../helpers/process.js';
import { spansOfJson, spansOfProtobuf, startGrpcReceiver, startHttpReceiver, type Receiver, type WireSpan } from './otlp-receiver.js';

const built = skiffBuilt();
if (!built) console.warn('test/tracing/otlp-export: skipped, dist/ is missing (run `npm run build`)');

const traceparentRx = /^00-([0-9a-f]{32})-([0-9a-f]{16})-(0[01])$/;
const incomingTrace = '4bf92f3577b34da6a3ce929d0e0e4736';

/**
 * Every variable these tests depend on, blank unless a test sets it: the spec treats an empty
 * variable as unset, so OTEL_* settings of the shell running the tests cannot leak in.
 */
const blank: Record<string, string> = Object.fromEntries(
  [
    'OTEL_SDK_DISABLED', 'OTEL_TRACES_EXPORTER', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
    'OTEL_EXPORTER_OTLP_PROTOCOL', 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'OTEL_EXPORTER_OTLP_HEADERS',
    'OTEL_EXPORTER_OTLP_TRACES_HEADERS', 'OTEL_PROPAGATORS', 'OTEL_TRACES_SAMPLER', 'OTEL_TRACES_SAMPLER_ARG',
    'OTEL_RESOURCE_ATTRIBUTES', 'OTEL_SERVICE_NAME',
  ].map((k) => [k, '']),
);

let echo: TestServer;
let dir: string;
let routesFile: string;

beforeAll(async () => {
  echo = await startEcho();
  dir = await mkdtemp(join(tmpdir(), 'skiff-otlp-'));
  routesFile = join(dir, 'routes.eskip');
  await writeFile(routesFile, `all: * -> "${echo.url}";`);
});

afterAll(async () => {
  await echo?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

function startTraced(env: Record<string, string>): Promise<SkiffProcess> {
  return spawnSkiff(['--address', '127.0.0.1:0', '--support-address', '127.0.0.1:0', '--routes-file', routesFile], {
    // a short batch delay: the spans reach the receiver within the test's wait
    env: { ...blank, OTEL_BSP_SCHEDULE_DELAY: '50', ...env },
  });
}

/** The traceparent the backend received for the request tagged `x-test-id: id`. */
function backendTraceparent(id: string): string {
  const got = echo.received.find((r) => r.headers['x-test-id'] === id);
  expect(got, `the backend received request ${id}`).toBeDefined();
  return String(got!.headers.traceparent ?? '');
}

/** Waits (up to 10 s) until the receiver holds spans of `traceId` named ingress and proxy. */
async function exportedTrace(receiver: Receiver, decode: (b: Buffer) => WireSpan[], traceId: string): Promise<WireSpan[]> {
  const ofTrace = (): WireSpan[] => receiver.received.flatMap((r) => decode(r.body)).filter((s) => s.traceId === traceId);
  await waitFor(() => ofTrace().length >= 2, 10_000, `no ingress+proxy spans of trace ${traceId} reached the receiver (${receiver.received.length} exports)`);
  return ofTrace();
}

/**
 * One request without a traceparent and one with: the first gets a new trace, whose proxy span
 * is the parent the backend sees; the second continues the caller's trace.
 */
async function checkTraces(skiff: SkiffProcess, receiver: Receiver, decode: (b: Buffer) => WireSpan[], serviceName: string): Promise<void> {
  const fresh = `fresh-${Math.random()}`;
  expect((await request(`${skiff.url}/a`, { headers: { 'x-test-id': fresh } })).status).toBe(200);
  const m = traceparentRx.exec(backendTraceparent(fresh));
  expect(m, 'the backend got a generated traceparent').not.toBeNull();
  const [, traceId, parentId, flags] = m!;
  expect(traceId).not.toBe(incomingTrace);
  expect(flags).toBe('01');

  const spans = await exportedTrace(receiver, decode, traceId!);
  const ingress = spans.find((s) => s.name === 'ingress');
  const proxy = spans.find((s) => s.name === 'proxy');
  expect(ingress, `ingress among ${spans.map((s) => s.name).join(', ')}`).toBeDefined();
  expect(proxy, `proxy among ${spans.map((s) => s.name).join(', ')}`).toBeDefined();
  expect(ingress!.parentSpanId).toBe('');
  expect(proxy!.parentSpanId).toBe(ingress!.spanId);
  expect(proxy!.spanId).toBe(parentId);
  expect(ingress!.serviceName).toBe(serviceName);

  const continued = `continued-${Math.random()}`;
  const r = await request(`${skiff.url}/b`, { headers: { 'x-test-id': continued, traceparent: `00-${incomingTrace}-00f067aa0ba902b7-01` } });
  expect(r.status).toBe(200);
  expect(traceparentRx.exec(backendTraceparent(continued))?.[1]).toBe(incomingTrace);
  const theirs = await exportedTrace(receiver, decode, incomingTrace);
  expect(theirs.find((s) => s.name === 'ingress')?.parentSpanId).toBe('00f067aa0ba902b7');
}

describe.skipIf(!built)('OTLP export from the skiff process', () => {
  it('http/protobuf is the default protocol: protobuf to <endpoint>/v1/traces', async () => {
    const receiver = await startHttpReceiver();
    const skiff = await startTraced({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: 'edge-proto' });
    try {
      await checkTraces(skiff, receiver, spansOfProtobuf, 'edge-proto');
      expect(receiver.received.length).toBeGreaterThan(0);
      for (const e of receiver.received) {
        expect(e.path).toBe('/v1/traces');
        expect(e.contentType).toBe('application/x-protobuf');
        expect(e.body.length).toBeGreaterThan(0);
      }
      expect(skiff.logs.find((l) => l.msg === 'tracing: exporting spans over OTLP')?.protocol).toBe('http/protobuf');
    } finally {
      await skiff.stop();
      await receiver.close();
    }
  });

  it('http/json, and OTEL_EXPORTER_OTLP_TRACES_PROTOCOL wins over OTEL_EXPORTER_OTLP_PROTOCOL', async () => {
    const receiver = await startHttpReceiver();
    const skiff = await startTraced({
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.url}/v1/traces`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
    });
    try {
      await checkTraces(skiff, receiver, spansOfJson, 'skiff');
      for (const e of receiver.received) {
        expect(e.path).toBe('/v1/traces');
        expect(e.contentType).toMatch(/^application\/json/);
      }
    } finally {
      await skiff.stop();
      await receiver.close();
    }
  });

  it('grpc: TraceService/Export calls carry the spans', async (ctx) => {
    const receiver = await startGrpcReceiver();
    if (receiver === null) {
      console.warn('test/tracing/otlp-export: grpc case skipped, @grpc/grpc-js is not installed');
      ctx.skip();
      return;
    }
    const skiff = await startTraced({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'GRPC', OTEL_SERVICE_NAME: 'edge-grpc' });
    try {
      await checkTraces(skiff, receiver, spansOfProtobuf, 'edge-grpc');
      expect(receiver.received[0]!.contentType).toBe('application/grpc');
    } finally {
      await skiff.stop();
      await receiver.close();
    }
  });

  it('--workers 2: each worker exports its own spans, the primary none', async () => {
    const receiver = await startHttpReceiver();
    const skiff = await startTraced({ SKIFF_WORKERS: '2', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' });
    try {
      await checkTraces(skiff, receiver, spansOfJson, 'skiff');
      // one "exporting" line per worker; the primary serves no traffic and starts no exporter
      await waitFor(() => skiff.logs.filter((l) => l.msg === 'tracing: exporting spans over OTLP').length === 2, 10_000, 'two workers exporting');
    } finally {
      await skiff.stop();
      await receiver.close();
    }
  });

  it('a trace the sampler drops still gets a traceparent (not sampled), and nothing is exported', async () => {
    const receiver = await startHttpReceiver();
    const skiff = await startTraced({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_TRACES_SAMPLER: 'always_off' });
    try {
      expect((await request(`${skiff.url}/c`, { headers: { 'x-test-id': 'dropped' } })).status).toBe(200);
      expect(backendTraceparent('dropped')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    } finally {
      // SIGTERM flushes the exporter: whatever would be sent has been sent when it exits.
      expect((await skiff.stop()).code).toBe(0);
      await receiver.close();
    }
    expect(receiver.received).toHaveLength(0);
  });

  it('a collector that refuses the spans is logged, and requests are served as before', async () => {
    const receiver = await startHttpReceiver(400);
    const skiff = await startTraced({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
    try {
      expect((await request(`${skiff.url}/f`, { headers: { 'x-test-id': 'refused' } })).status).toBe(200);
      expect(backendTraceparent('refused')).toMatch(traceparentRx);
      const refusedLine = () => skiff.logs.find((l) => l.level === 'error' && String(l.msg).startsWith('tracing: OpenTelemetry reported an error'));
      await waitFor(() => refusedLine() !== undefined, 10_000, `no log line about the refused export:\n${skiff.stderr()}`);
      expect(receiver.received.length).toBeGreaterThan(0);
      expect(String(refusedLine()!.detail)).toMatch(/400|Bad Request/);
    } finally {
      await skiff.stop();
      await receiver.close();
    }
  });

  it('without OTEL_* settings nothing is traced: no traceparent is made, a valid one passes untouched', async () => {
    const skiff = await startTraced({});
    try {
      expect((await request(`${skiff.url}/d`, { headers: { 'x-test-id': 'untraced' } })).status).toBe(200);
      expect(backendTraceparent('untraced')).toBe('');
      const sent = `00-${incomingTrace}-00f067aa0ba902b7-01`;
      expect((await request(`${skiff.url}/e`, { headers: { 'x-test-id': 'passed', traceparent: sent } })).status).toBe(200);
      expect(backendTraceparent('passed')).toBe(sent);
      expect(skiff.logs.some((l) => String(l.msg).startsWith('tracing:'))).toBe(false);
    } finally {
      await skiff.stop();
    }
  });
});

describe.skipIf(!built)('OTLP protocol values skiff refuses', () => {
  it.each([
    ['OTEL_EXPORTER_OTLP_PROTOCOL', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/xml' }],
    ['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'thrift' }],
  ])('%s with an unknown value: exit 1, naming the variable and the allowed values', async (variable, env) => {
    const r = await runSkiff(['--address', '127.0.0.1:0', '--support-address', '127.0.0.1:0', '--routes-file', routesFile], { ...blank, ...env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${variable}=`);
    expect(r.stderr).toContain('http/protobuf, http/json, grpc');
    expect(r.stderr).not.toContain('listening');
  });
});
