/**
 * The bound on pipelined requests: requests a client writes behind one still being answered.
 *
 * Node's server parses every request it reads and queues each one whose response has no socket
 * yet, then keeps reading; it only stops when the answers already written pile up, and skiff
 * writes nothing for a request before its turn. So one connection writing 100,000 GETs in one
 * go without reading made the process hold 100,000 requests. Here a connection may have at most
 * `maxPipelinedRequests` requests waiting; once it has that many, reading the socket stops (as
 * nginx stops reading a connection whose pipelined request it has not answered yet) and resumes
 * when the queue has room again.
 *
 * Stopping the socket cannot stop the parse of bytes already read: Node hands the parser a whole
 * read (up to 64 KiB) at once. Requests parsed past the bound are never served: the connection
 * closes after the answer to the last request within the bound (`Connection: close` on it), which
 * RFC 9112 §9.3.2 lets a server do with pipelined requests, whose client must then retry them. No
 * browser or load balancer pipelines anywhere near this deep.
 *
 * The state lives on the socket itself under symbols, so only a connection that pipelines pays.
 */
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Requests one connection may have waiting behind the one being answered. 16 covers any client
 * that pipelines on purpose (HTTP/1.1 benchmarks use 10 or fewer) and keeps a flood to a few
 * requests per connection. Skipper has no such setting (Go's server reads one request at a time).
 */
export const maxPipelinedRequests = 16;

const kQueued = Symbol('skiff.pipelineQueued');
const kLast = Symbol('skiff.pipelineLast');
const kHeld = Symbol('skiff.pipelineHeld');
const kOverflow = Symbol('skiff.pipelineOverflow');

/** Node's own fields on a server socket: `_paused` is the flag its parser and body reads obey. */
interface PipelineSocket extends Socket {
  _paused?: boolean;
  parser?: { pause(): void; resume(): void } | null;
  [kQueued]?: number;
  [kLast]?: ServerResponse | null;
  [kHeld]?: boolean;
  [kOverflow]?: boolean;
}

/**
 * Counts a request that waits for its turn. Returns false when the connection already has
 * `maxPipelinedRequests` waiting: that request is not to be served, and the connection will
 * close after the last answer within the bound.
 */
export function enterPipeline(sock: Socket, res: ServerResponse): boolean {
  const socket = sock as PipelineSocket;
  const queued = socket[kQueued] ?? 0;
  if (queued >= maxPipelinedRequests || socket[kOverflow] === true) {
    if (socket[kOverflow] !== true) {
      socket[kOverflow] = true;
      // Still waiting (turns come in order), so its headers are not written yet.
      const last = socket[kLast];
      if (last != null && !last.headersSent) last.shouldKeepAlive = false;
    }
    return false;
  }
  socket[kQueued] = queued + 1;
  socket[kLast] = res;
  if (queued + 1 >= maxPipelinedRequests) holdReading(socket);
  return true;
}

/** A waiting request got its turn or went away: reading resumes once there is room. */
export function leavePipeline(sock: Socket, res: ServerResponse): void {
  const socket = sock as PipelineSocket;
  const queued = (socket[kQueued] ?? 1) - 1;
  socket[kQueued] = queued;
  if (socket[kLast] === res) socket[kLast] = null;
  if (socket[kHeld] === true && queued < maxPipelinedRequests && socket[kOverflow] !== true) releaseReading(socket);
}

/** Requests waiting on the connection; for tests and diagnostics. */
export function pipelined(socket: Socket): number {
  return (socket as PipelineSocket)[kQueued] ?? 0;
}

function holdReading(socket: PipelineSocket): void {
  if (socket[kHeld] === true) return;
  if (socket[kHeld] === undefined) socket.on('resume', keepHeld);
  socket[kHeld] = true;
  // Node's flag: its parser is paused after the current read, a request body read does not
  // resume the socket (IncomingMessage's readStart checks it), and its 'resume' listener stops
  // the socket again, as when a response finishing dumps its request and resumes the socket.
  socket._paused = true;
  socket.pause();
}

function releaseReading(socket: PipelineSocket): void {
  socket[kHeld] = false;
  // Node stops reading too while the client does not take the answers (needDrain), and its own
  // 'drain' listener resumes then. Its other reason, answers written to responses still
  // waiting for the socket, never holds here: skiff writes to a response only in its turn.
  if (socket.writableNeedDrain || socket.destroyed) return;
  socket._paused = false;
  socket.parser?.resume();
  socket.resume();
}

/**
 * Node resumes a socket it sees paused whenever a response's first write updates its count of
 * answers written ahead of their turn (even by zero bytes net), and when the client takes the
 * answers ('drain'). Each of those would read and parse one more read's worth of requests. Its
 * 'resume' event comes (a tick later) before any read: Node's own listener starts reading, this
 * one, added after it, stops the socket again while the queue is still full, in the same turn.
 */
function keepHeld(this: PipelineSocket): void {
  // Without a parser the socket is no longer HTTP's (handed to an upgrade): never stop it then.
  if (this[kHeld] !== true || this.parser == null) return;
  this._paused = true;
  this.parser?.pause();
  this.pause();
}
