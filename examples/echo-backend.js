// A demo backend for `npm start`: answers every request with a JSON description of what it
// received, so you can see the headers skiff sent (X-Forwarded-For, Host, ...).
import http from 'node:http';

const port = Number(process.env.ECHO_PORT ?? 9001);
const server = http.createServer((req, res) => {
  let bytes = 0;
  req.on('data', (c) => (bytes += c.length));
  req.on('end', () => {
    const body = JSON.stringify({ method: req.method, url: req.url, headers: req.headers, bodyBytes: bytes }, null, 2) + '\n';
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.listen(port, '127.0.0.1', () => process.stderr.write(`echo backend on http://127.0.0.1:${port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
process.on('SIGINT', () => server.close(() => process.exit(0)));
