/**
 * maxBodySize("1MB"): a cap on the request body of a route. A Content-Length above the cap is
 * answered 413 before anything is sent upstream. A chunked body is counted as it streams: the
 * moment it passes the cap the client gets 413 (or, if the backend already answered, a cut
 * connection) and the connection closes, which aborts the upstream request, so the backend
 * never receives a complete oversized request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { invalidArgs } from '../../src/errors.js';
import type { Arg, Filter, FilterContext, FilterSpec } from '../../src/spec.js';
import { describeArg, expectCount } from '../../src/args.js';
import { MaxBodySize } from '../names.js';
import { parseByteSize } from './byte-size.js';
import { downstreamOf, type DownstreamStream } from './body-stream.js';

const tooLarge = 'Payload Too Large\n';

class MaxBodySizeFilter implements Filter {
  constructor(private readonly limit: number) {}

  // hot path: a header read for the usual bodiless or Content-Length request.
  request(ctx: FilterContext): void {
    const headers = ctx.request.headers;
    const length = headers['content-length'];
    if (length !== undefined) {
      if (Number(length) > this.limit) refuse(ctx);
      return;
    }
    if (headers['transfer-encoding'] === undefined) return;
    const stream = downstreamOf(ctx);
    if (stream !== null) countBody(stream, this.limit);
  }
}

function refuse(ctx: FilterContext): void {
  ctx.serve({
    status: 413,
    headers: { 'content-type': 'text/plain; charset=utf-8', connection: 'close' },
    body: tooLarge,
  });
}

/**
 * Counts body bytes beside the consumer. The stream is paused first so that adding a data
 * listener does not start the flow before the upstream client attaches its own listener: it
 * resumes the stream itself, and both listeners see every chunk.
 */
function countBody(stream: DownstreamStream, limit: number): void {
  const req = stream.req;
  let seen = 0;
  req.pause();
  const onData = (chunk: Buffer): void => {
    seen += chunk.length;
    if (seen <= limit) return;
    req.off('data', onData);
    exceeded(stream, req, stream.res);
  };
  req.on('data', onData);
}

function exceeded(stream: DownstreamStream, req: IncomingMessage, res: ServerResponse): void {
  stream.failure = 'body_too_large';
  if (res.headersSent) {
    res.destroy();
    return;
  }
  stream.status = 413;
  res.writeHead(413, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(tooLarge),
    connection: 'close',
  });
  // Once the reply is out, fail the request stream: that aborts the upstream request mid-body
  // and closes the connection. (Node forgets a request whose response has finished, so closing
  // the socket alone would leave the upstream client waiting for the rest of the body.)
  res.end(tooLarge, () => req.destroy(new Error('request body over the route limit')));
  // Stop handing further chunks to the upstream client while the reply drains.
  req.pause();
}

export const maxBodySize: FilterSpec = {
  name: MaxBodySize,
  create(args: readonly Arg[]): Filter {
    expectCount(MaxBodySize, args, 1);
    const arg = args[0]!;
    const limit = typeof arg === 'string' || typeof arg === 'number' ? parseByteSize(arg) : undefined;
    if (limit === undefined) throw invalidArgs(MaxBodySize, `expects a size like "1MB" or a number of bytes, got ${describeArg(arg)}`);
    return new MaxBodySizeFilter(limit);
  },
};
