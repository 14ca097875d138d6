/**
 * `Expect: 100-continue`: the client holds its body back until told to send it. Node's server
 * answers 100 at once unless someone handles 'checkContinue', so a client whose upload is refused
 * anyway (an ipDenyList 403, no route, a route that fails closed with 500) was first told to go
 * ahead. Here 100 goes out when the body is first read: when the request is forwarded upstream
 * (undici starts reading the body once it writes the request to a backend connection) or when
 * something else consumes it, as Go's server (so Skipper) and nginx do. A request answered without
 * its body being read never gets 100, and Node closes its connection after the answer, since
 * the body may still come.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Arms the 100 Continue of `res` for the first read of `req`'s body. Only Expect requests pay. */
export function continueOnFirstRead(req: IncomingMessage, res: ServerResponse): void {
  const read = req._read;
  req._read = function readAfterContinue(this: IncomingMessage, size: number): void {
    req._read = read;
    // Node reads the rest of a request it has answered (to reach the next one): no 100 then,
    // nor after an answer has begun.
    if (!res.headersSent && !res.writableEnded && !res.destroyed) res.writeContinue();
    read.call(this, size);
  };
}
