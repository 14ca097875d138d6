// The baseline: about the least a Node reverse proxy can do. node:http downstream, undici
// dispatch upstream, headers passed through as they are, no routing, no filters; backpressure
// both ways, so large bodies stream instead of piling up.
// Usage: node bench/lib/bare-proxy.js PORT UPSTREAM_ORIGIN
import http from 'node:http';
import { Agent } from 'undici';

const [port, origin] = [Number(process.argv[2] ?? 0), process.argv[3]];
const agent = new Agent({ connections: 128, pipelining: 1 });

const server = http.createServer((req, res) => {
  const headers = { ...req.headers };
  delete headers.connection;
  delete headers['keep-alive'];
  agent.dispatch(
    { origin, path: req.url, method: req.method, headers, body: req.method === 'GET' || req.method === 'HEAD' ? null : req },
    {
      onConnect(abort) {
        // a client gone mid-response must not leave the upstream connection paused for good
        res.on('close', () => {
          if (!res.writableFinished) abort();
        });
      },
      onHeaders(status, raw, resume) {
        // onData returning false pauses the upstream; it goes on when the client has drained
        res.on('drain', resume);
        const flat = [];
        for (let i = 0; i < raw.length; i += 2) {
          const k = raw[i].toString('latin1');
          const lower = k.toLowerCase();
          if (lower !== 'connection' && lower !== 'keep-alive' && lower !== 'transfer-encoding') flat.push(k, raw[i + 1].toString('latin1'));
        }
        res.writeHead(status, flat);
        return true;
      },
      onData(chunk) {
        return res.write(chunk);
      },
      onComplete() {
        res.end();
      },
      onError(err) {
        if (!res.headersSent) res.writeHead(502);
        res.end(String(err));
      },
    },
  );
});
server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1', () => process.send?.({ port: server.address().port }));
process.on('disconnect', () => process.exit(0));
