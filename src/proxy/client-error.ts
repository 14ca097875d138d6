/**
 * Bytes Node's HTTP parser refused (malformed request line or header, bad framing, header
 * overflow, a request deadline passed): skiff answers them once and closes the connection, and
 * never ahead of the answers it still owes for the complete requests before them on the same
 * connection. A pipelining client that sent a good request and then garbage must get the good
 * request's answer, not a 400 it would take for that request's (which the backend has executed).
 */
import http from 'node:http';
import type { Socket } from 'node:net';

/** A complete reply written straight to the socket, for requests Node never handed over. */
export function rawReply(status: number): string {
  const text = http.STATUS_CODES[status] ?? 'Bad Request';
  return `HTTP/1.1 ${status} ${text}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ${text.length + 1}\r\nconnection: close\r\n\r\n${text}\n`;
}

type HttpSocket = Socket & { _httpMessage?: http.ServerResponse | null; [kRefusing]?: true };

const kRefusing = Symbol('skiff.refusing');

/** True once the parser refused bytes on this connection: nothing after them is handled. */
export function parserRefused(socket: Socket): boolean {
  return (socket as HttpSocket)[kRefusing] === true;
}

/** The server's 'clientError' listener. */
export function onClientError(err: NodeJS.ErrnoException, socket: HttpSocket): void {
  if (socket[kRefusing] === true) return; // more bytes after the first error: already handled
  if (!socket.writable || (err.code === 'ECONNRESET' && socket.bytesWritten === 0 && !socket.readable)) {
    socket.destroy();
    return;
  }
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const current = socket._httpMessage;
  if (current != null && !current.writableFinished && current.req.complete) {
    // The bad bytes come after a complete request that is still being answered: a pipelined
    // request, or junk after the last one. The answers owed go first, in order.
    socket[kRefusing] = true;
    socket.pause();
    refuseWhenAnswered(socket, status);
    return;
  }
  // A parse error in the body of a request whose response has begun: a second status line
  // would corrupt the stream, so the only answer left is to cut it.
  if (current != null && current.headersSent) {
    socket.destroy();
    return;
  }
  socket.end(rawReply(status));
  // No more bytes from this peer are worth reading, and none must reach a handler.
  socket.destroySoon();
}

/**
 * Waits until the socket owes no answer (Node hands it the next queued response when one
 * finishes), then refuses and closes. An answer that closes the connection itself (HTTP/1.0,
 * `Connection: close`) leaves nothing to refuse.
 */
function refuseWhenAnswered(socket: HttpSocket, status: number): void {
  const pending = socket._httpMessage;
  // A queued request whose body the parser refused is never handled (src/proxy/handler.ts):
  // the refusal is its answer.
  if (pending != null && !pending.writableFinished && pending.req.complete) {
    let waited = false;
    const next = (): void => {
      if (waited) return;
      waited = true;
      // after Node's own 'finish' listener, which has moved the socket on to the next response
      refuseWhenAnswered(socket, status);
    };
    pending.once('finish', next);
    pending.once('close', next);
    return;
  }
  if (pending != null && pending.headersSent && !pending.writableFinished) {
    socket.destroy();
    return;
  }
  if (socket.writable) socket.end(rawReply(status));
  socket.destroySoon();
}
