/**
 * The keep-alive reaper: the sweep's rule on stand-in connections with a chosen clock, then the
 * real thing through skiff (idle connections closed, slow answers and WebSockets left alone).
 */
import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { KeepAliveReaper, sweepIntervalMs } from '../../src/proxy/keep-alive.js';
import { startServer, type TestServer } from '../helpers/upstream.js';
import { startSkiff } from '../helpers/skiff.js';
import { stoppedAfterEach } from '../helpers/per-test.js';

class StandIn extends EventEmitter {
  bytesRead = 0;
  _httpMessage: { writableFinished: boolean } | null = null;
  destroyed = false;
  destroy(): void {
    this.destroyed = true;
  }
}

function reaperWith(timeoutMs: number): { reaper: KeepAliveReaper; connect(): StandIn; server: http.Server } {
  const server = new EventEmitter() as unknown as http.Server;
  const reaper = new KeepAliveReaper(server, timeoutMs);
  reaper.stop(); // the test drives the sweeps
  return {
    reaper,
    server,
    connect() {
      const s = new StandIn();
      server.emit('connection', s);
      return s;
    },
  };
}

describe('KeepAliveReaper.sweep', () => {
  it('turns Node’s own keep-alive timer off', () => {
    expect(reaperWith(1000).server.keepAliveTimeout).toBe(0);
  });

  it('counts idleness from the first sweep that finds a connection inactive', () => {
    const { reaper, connect } = reaperWith(1000);
    const c = connect();
    reaper.sweep(100); // idle from here: nothing read yet
    reaper.sweep(1099);
    expect(c.destroyed).toBe(false);
    c.bytesRead = 40; // a request came in and was answered
    reaper.sweep(1500);
    reaper.sweep(2000); // the answer may have ended just before this sweep
    reaper.sweep(2999);
    expect(c.destroyed).toBe(false);
    reaper.sweep(3000);
    expect(c.destroyed).toBe(true);
  });

  it('never closes a connection while its response is in progress, and counts from its end', () => {
    const { reaper, connect } = reaperWith(1000);
    const c = connect();
    c._httpMessage = { writableFinished: false };
    for (let t = 1000; t <= 10_000; t += 1000) reaper.sweep(t);
    expect(c.destroyed).toBe(false);
    c._httpMessage = null;
    reaper.sweep(10_500);
    reaper.sweep(11_499);
    expect(c.destroyed).toBe(false);
    reaper.sweep(11_500);
    expect(c.destroyed).toBe(true);
  });

  it('forgets connections that closed or were handed over', () => {
    const { reaper, connect } = reaperWith(1000);
    const closed = connect();
    const upgraded = connect();
    closed.emit('close');
    reaper.release(upgraded as unknown as Duplex);
    reaper.sweep(1000);
    reaper.sweep(60_000);
    expect(closed.destroyed).toBe(false);
    expect(upgraded.destroyed).toBe(false);
  });

  it('sweeps a few times per timeout, at least every second', () => {
    expect(sweepIntervalMs(65_000)).toBe(1000);
    expect(sweepIntervalMs(200)).toBe(50);
    expect(sweepIntervalMs(1)).toBe(10);
  });
});

describe('downstream keep-alive through skiff', () => {
  const t = stoppedAfterEach();

  /** Sends one request on a fresh connection; resolves with the socket and when it closed. */
  async function oneRequest(port: number, path: string, extra = ''): Promise<{ socket: net.Socket; answer: string; closedAfter: Promise<number> }> {
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    let answered: () => void = () => {};
    const got = new Promise<void>((resolve) => (answered = resolve));
    let answeredAt = 0;
    socket.on('data', (d: Buffer) => {
      answer += d.toString('latin1');
      if (/\r\n\r\n[\s\S]*ok$/.test(answer) || answer.includes('\r\n\r\nHELLO')) {
        answeredAt = Date.now();
        answered();
      }
    });
    const closedAfter = new Promise<number>((resolve) =>
      socket.on('close', () => {
        answered(); // a connection cut before its answer fails the caller's checks, not by a timeout
        resolve(Date.now() - answeredAt);
      }),
    );
    socket.write(`GET ${path} HTTP/1.1\r\nHost: a\r\n${extra}\r\n`);
    await got;
    return { socket, answer, closedAfter };
  }

  it('closes a connection idle for the timeout, not before, and sends no Keep-Alive header', async () => {
    const backend = (t.backend = await startServer((_req, res) => res.end('ok')));
    const proxy = (t.proxy = await startSkiff(`r: * -> "${backend.url}";`, { proxy: { keepAliveTimeoutMs: 300 } }));
    const { answer, closedAfter } = await oneRequest(proxy.port, '/');
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    expect(answer).not.toMatch(/keep-alive:/i);
    const idle = await closedAfter;
    expect(idle).toBeGreaterThanOrEqual(300 - 5); // timers may fire a few ms early
    expect(idle).toBeLessThan(300 + 2 * sweepIntervalMs(300) + 500);
  });

  it('does not cut a response that takes longer than the timeout', async () => {
    const backend = (t.backend = await startServer((_req, res) => setTimeout(() => res.end('ok'), 600)));
    const proxy = (t.proxy = await startSkiff(`r: * -> "${backend.url}";`, { proxy: { keepAliveTimeoutMs: 100 } }));
    const { answer, socket } = await oneRequest(proxy.port, '/slow');
    expect(answer).toMatch(/^HTTP\/1\.1 200[\s\S]*ok$/);
    socket.destroy();
  });

  it('leaves an idle WebSocket to the tunnel, past the keep-alive timeout', async () => {
    const backend = (t.backend = await startServer((_req, res) => res.end('plain')));
    backend.server.on('upgrade', (_req: http.IncomingMessage, socket: Duplex) => {
      socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
      socket.on('data', (d: Buffer) => socket.write(d.toString().toUpperCase()));
    });
    const proxy = (t.proxy = await startSkiff(`r: * -> "${backend.url}";`, { proxy: { keepAliveTimeoutMs: 100 } }));
    const socket = net.connect(proxy.port, '127.0.0.1');
    let received = '';
    socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
    let closed = false;
    socket.on('close', () => (closed = true));
    socket.write('GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n');
    await new Promise((r) => setTimeout(r, 600));
    expect(received).toMatch(/^HTTP\/1\.1 101/);
    expect(closed).toBe(false);
    socket.write('hello');
    for (let i = 0; i < 200 && !received.includes('HELLO'); i++) await new Promise((r) => setTimeout(r, 10));
    expect(received).toContain('HELLO');
    socket.destroy();
  });
});
