// Benchmark backend: a small fixed response (or `size` bytes) from node:http, in its own process.
// Usage: node bench/lib/backend.js PORT [SIZE]
import http from 'node:http';

const port = Number(process.argv[2] ?? 0);
const size = Number(process.argv[3] ?? 13);
const body = Buffer.alloc(size, 'x');
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length });
    res.end(body);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1', () => process.send?.({ port: server.address().port }));
process.on('disconnect', () => process.exit(0));
