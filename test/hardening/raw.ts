/**
 * Byte-level tools for hostile-client tests: a raw TCP client that writes exact bytes and
 * collects everything the proxy sends back until it closes, and a recording backend that logs
 * every byte it receives per connection next to the requests Node parsed from them.
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { startSkiff, type RunningSkiff } from '../helpers/skiff.js';

export interface RawResult {
  /** Everything received, latin1. */
  text: string;
  /** True when the proxy closed the connection (FIN or reset) before the wait ended. */
  closed: boolean;
  /** Status codes of every response status line received, in order. */
  statuses: number[];
}

/**
 * Writes `chunks` (with `gapMs` between them) to 127.0.0.1:port and reads until the peer closes
 * or `waitMs` passes after the last write.
 */
export async function rawExchange(port: number, chunks: string | Buffer | (string | Buffer)[], opts: { waitMs?: number; gapMs?: number } = {}): Promise<RawResult> {
  const parts = Array.isArray(chunks) ? chunks : [chunks];
  const waitMs = opts.waitMs ?? 1500;
  return new Promise<RawResult>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (closed: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(received).toString('latin1');
      resolve({ text, closed, statuses: statusesOf(text) });
    };
    socket.on('data', (d: Buffer) => received.push(d));
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.on('connect', async () => {
      for (let i = 0; i < parts.length; i++) {
        if (socket.destroyed) break;
        socket.write(parts[i]!);
        if (opts.gapMs !== undefined && i < parts.length - 1) await new Promise((r) => setTimeout(r, opts.gapMs));
      }
      timer = setTimeout(() => finish(false), waitMs);
    });
  });
}

export function statusesOf(text: string): number[] {
  const out: number[] = [];
  const re = /HTTP\/1\.[01] (\d{3}) /g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) out.push(Number(m[1]));
  return out;
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  rawHeaders: string[];
  body: Buffer;
  /** True when the body ended normally; false when the connection was cut mid-body. */
  complete: boolean;
}

export interface RecordingBackend {
  port: number;
  url: string;
  /** Every byte received, per connection, latin1. */
  connections: string[];
  requests: RecordedRequest[];
  /** Total bytes received over all connections. */
  bytes(): number;
  /** Forgets what was recorded; pooled connections keep recording from empty. */
  reset(): void;
  close(): Promise<void>;
}

/**
 * An HTTP backend that answers 200 "ok" (or what `handler` writes) and records the raw bytes
 * of each connection as well as each parsed request with its full body.
 */
export async function startRecordingBackend(handler?: (req: RecordedRequest, res: http.ServerResponse) => void): Promise<RecordingBackend> {
  const connections: string[] = [];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    const record: RecordedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, rawHeaders: req.rawHeaders, body: Buffer.alloc(0), complete: false };
    requests.push(record);
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', () => undefined);
    req.on('aborted', () => {
      record.body = Buffer.concat(chunks);
    });
    req.on('end', () => {
      record.body = Buffer.concat(chunks);
      record.complete = true;
      if (handler !== undefined) handler(record, res);
      else res.end('ok');
    });
  });
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    const index = connections.push('') - 1;
    s.on('data', (d: Buffer) => {
      connections[index] += d.toString('latin1');
    });
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    connections,
    requests,
    bytes: () => connections.reduce((n, c) => n + c.length, 0),
    reset: () => {
      connections.fill('');
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** A raw TCP backend whose every connection gets `onConnection`: for malformed answers. */
export async function startRawBackend(onConnection: (socket: net.Socket, firstRequest: string) => void): Promise<{ port: number; url: string; accepted: () => number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((s) => {
    accepted++;
    sockets.add(s);
    s.on('error', () => undefined);
    s.once('close', () => sockets.delete(s));
    let buffered = '';
    const onData = (d: Buffer): void => {
      buffered += d.toString('latin1');
      if (buffered.includes('\r\n\r\n')) {
        s.off('data', onData);
        onConnection(s, buffered);
      }
    };
    s.on('data', onData);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    accepted: () => accepted,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * A recording backend behind skiff (`all: * -> backend`), started before the tests of the file
 * that calls this and stopped after them; the fields are set once the file's tests run.
 */
export function recordingProxyForFile(): { backend: RecordingBackend; proxy: RunningSkiff } {
  const t = {} as { backend: RecordingBackend; proxy: RunningSkiff };
  beforeAll(async () => {
    t.backend = await startRecordingBackend();
    t.proxy = await startSkiff(`all: * -> "${t.backend.url}";`);
  });
  afterAll(async () => {
    await t.proxy.stop();
    await t.backend.close();
  });
  return t;
}
