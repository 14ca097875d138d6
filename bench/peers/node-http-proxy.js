// Peer: a reverse proxy from node:http alone: http.request upstream through a keep-alive
// http.Agent, bodies piped both ways, hop-by-hop fields dropped, X-Forwarded-For appended.
// What a hand-written Node proxy without undici costs.
// Usage: node bench/peers/node-http-proxy.js PORT UPSTREAM_ORIGIN
import http from 'node:http';

const [port, origin] = [Number(process.argv[2] ?? 0), new URL(process.argv[3])];
const agent = new http.Agent({ keepAlive: true, maxSockets: 128, maxFreeSockets: 128, keepAliveMsecs: 60_000 });
const hopByHop = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

const server = http.createServer((req, res) => {
  const headers = {};
  for (const [k, v] of Object.entries(req.headers)) if (!hopByHop.has(k)) headers[k] = v;
  const peer = req.socket.remoteAddress;
  headers['x-forwarded-for'] = headers['x-forwarded-for'] === undefined ? peer : `${headers['x-forwarded-for']}, ${peer}`;
  const upstream = http.request(
    { host: origin.hostname, port: origin.port, method: req.method, path: req.url, headers, agent },
    (up) => {
      const out = [];
      const raw = up.rawHeaders;
      for (let i = 0; i < raw.length; i += 2) if (!hopByHop.has(raw[i].toLowerCase())) out.push(raw[i], raw[i + 1]);
      res.writeHead(up.statusCode, out);
      up.pipe(res);
    },
  );
  upstream.on('error', (err) => {
    if (!res.headersSent) res.writeHead(502);
    res.end(String(err));
  });
  req.pipe(upstream);
});
server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1', () => process.send?.({ port: server.address().port }));
process.on('disconnect', () => process.exit(0));
