/**
 * OTLP trace receivers on 127.0.0.1 for the export tests, and a reader of what they received.
 *
 * - An HTTP receiver answering POST /v1/traces, keeping each request's content type and body.
 * - A gRPC receiver serving TraceService/Export by its method path, with the message kept as raw
 *   bytes (no .proto file needed).
 * - spansOfJson / spansOfProtobuf turn an ExportTraceServiceRequest, in OTLP's JSON or protobuf
 *   encoding, into a flat list of spans with hex ids. The protobuf reader walks the wire format
 *   itself: the exporter packages bring an encoder, not a decoder of requests.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedExport {
  readonly path: string;
  readonly contentType: string;
  readonly body: Buffer;
}

export interface WireSpan {
  readonly name: string;
  readonly traceId: string;
  readonly spanId: string;
  /** '' for a root span. */
  readonly parentSpanId: string;
  /** The resource's service.name. */
  readonly serviceName: string;
}

export interface Receiver {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly received: ReceivedExport[];
  close(): Promise<void>;
}

/** `status` other than 200 answers every export with that status and an empty body (a refusal). */
export async function startHttpReceiver(status = 200): Promise<Receiver> {
  const received: ReceivedExport[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const contentType = String(req.headers['content-type'] ?? '');
      received.push({ path: req.url ?? '', contentType, body: Buffer.concat(chunks) });
      // An empty ExportTraceServiceResponse in the request's encoding: full success.
      if (status !== 200) {
        res.writeHead(status, { 'content-type': 'text/plain' });
        res.end();
      } else if (contentType.startsWith('application/json')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      } else {
        res.writeHead(200, { 'content-type': 'application/x-protobuf' });
        res.end();
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export const traceServiceExportPath = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

/**
 * A gRPC server with the one method the trace exporter calls. Resolves to null (the caller skips)
 * when @grpc/grpc-js, which the gRPC exporter depends on, cannot be loaded.
 */
export async function startGrpcReceiver(): Promise<Receiver | null> {
  let grpc: typeof import('@grpc/grpc-js');
  try {
    grpc = await import('@grpc/grpc-js');
  } catch {
    return null;
  }
  const received: ReceivedExport[] = [];
  const same = (b: Buffer): Buffer => b;
  const server = new grpc.Server();
  server.addService(
    {
      Export: {
        path: traceServiceExportPath,
        requestStream: false,
        responseStream: false,
        requestSerialize: same,
        requestDeserialize: same,
        responseSerialize: same,
        responseDeserialize: same,
      },
    },
    {
      Export: (call: { request: Buffer; metadata: { get(key: string): unknown[] } }, callback: (err: null, reply: Buffer) => void) => {
        received.push({ path: traceServiceExportPath, contentType: String(call.metadata.get('content-type')[0] ?? 'application/grpc'), body: call.request });
        // An empty ExportTraceServiceResponse: full success.
        callback(null, Buffer.alloc(0));
      },
    } as never,
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err === null ? resolve(p) : reject(err))),
  );
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((r) => server.tryShutdown(() => r())),
  };
}

interface JsonAnyValue {
  stringValue?: string;
}
interface JsonRequest {
  resourceSpans?: {
    resource?: { attributes?: { key: string; value: JsonAnyValue }[] };
    scopeSpans?: { spans?: { name: string; traceId: string; spanId: string; parentSpanId?: string }[] }[];
  }[];
}

/** The spans of an ExportTraceServiceRequest in OTLP/JSON (ids as hex strings). */
export function spansOfJson(body: Buffer): WireSpan[] {
  const req = JSON.parse(body.toString('utf8')) as JsonRequest;
  const out: WireSpan[] = [];
  for (const rs of req.resourceSpans ?? []) {
    const serviceName = rs.resource?.attributes?.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        out.push({ name: s.name, traceId: s.traceId.toLowerCase(), spanId: s.spanId.toLowerCase(), parentSpanId: (s.parentSpanId ?? '').toLowerCase(), serviceName });
      }
    }
  }
  return out;
}

type Field = { readonly no: number; readonly bytes: Buffer | null };

/** The fields of one protobuf message; length-delimited ones keep their bytes, others are skipped. */
function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  let i = 0;
  const varint = (): number => {
    let v = 0;
    let mul = 1;
    for (let n = 0; n < 10; n++) {
      if (i >= buf.length) throw new Error('protobuf: truncated varint');
      const b = buf[i++]!;
      v += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) return v;
      mul *= 128;
    }
    throw new Error('protobuf: varint too long');
  };
  while (i < buf.length) {
    const key = varint();
    const no = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) {
      varint();
      out.push({ no, bytes: null });
    } else if (wire === 1) {
      i += 8;
      out.push({ no, bytes: null });
    } else if (wire === 5) {
      i += 4;
      out.push({ no, bytes: null });
    } else if (wire === 2) {
      const len = varint();
      if (i + len > buf.length) throw new Error('protobuf: truncated field');
      out.push({ no, bytes: buf.subarray(i, i + len) });
      i += len;
    } else {
      throw new Error(`protobuf: wire type ${wire} at ${i}`);
    }
  }
  if (i !== buf.length) throw new Error('protobuf: message overruns its end');
  return out;
}

function sub(msg: Buffer, no: number): Buffer[] {
  return fields(msg).filter((f) => f.no === no && f.bytes !== null).map((f) => f.bytes!);
}

/**
 * The spans of an ExportTraceServiceRequest in protobuf (opentelemetry/proto/collector/trace/v1):
 * request.resource_spans = 1; ResourceSpans.resource = 1, .scope_spans = 2; ScopeSpans.spans = 2;
 * Span.trace_id = 1, .span_id = 2, .parent_span_id = 4, .name = 5; Resource.attributes = 1;
 * KeyValue.key = 1, .value = 2; AnyValue.string_value = 1.
 */
export function spansOfProtobuf(body: Buffer): WireSpan[] {
  const out: WireSpan[] = [];
  for (const rs of sub(body, 1)) {
    let serviceName = '';
    for (const resource of sub(rs, 1)) {
      for (const kv of sub(resource, 1)) {
        const key = sub(kv, 1)[0]?.toString('utf8');
        const value = sub(kv, 2)[0];
        if (key === 'service.name' && value !== undefined) serviceName = sub(value, 1)[0]?.toString('utf8') ?? '';
      }
    }
    for (const ss of sub(rs, 2)) {
      for (const span of sub(ss, 2)) {
        const hex = (no: number): string => sub(span, no)[0]?.toString('hex') ?? '';
        out.push({ name: sub(span, 5)[0]?.toString('utf8') ?? '', traceId: hex(1), spanId: hex(2), parentSpanId: hex(4), serviceName });
      }
    }
  }
  return out;
}
