// Benchmark backend: a small fixed response (or `size` bytes) from node:http, in its own process.
// Extra PATH=SIZE pairs give other sizes to paths that start with PATH (e.g. /64k=65536), so one
// backend can serve every scenario of bench/run.js. Request bodies are read and thrown away.
// Usage: node bench/lib/backend.js PORT [SIZE] [PATH=SIZE ...]
import http from 'node:http';

const port = Number(process.argv[2] ?? 0);
const size = Number(process.argv[3] ?? 13);
const body = Buffer.alloc(size, 'x');
// bodies are built once; the longest prefix is tried first so /64k/x does not land on /6
const sized = process.argv
  .slice(4)
  .map((pair) => {
    const [path, bytes] = pair.split('=');
    return { path, body: Buffer.alloc(Number(bytes), 'x') };
  })
  .sort((a, b) => b.path.length - a.path.length);

const bodyFor = (url) => {
  for (const s of sized) if (url.startsWith(s.path)) return s.body;
  return body;
};

const server = http.createServer((req, res) => {
  const out = sized.length === 0 ? body : bodyFor(req.url);
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': out.length });
    res.end(out);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1', () => process.send?.({ port: server.address().port }));
process.on('disconnect', () => process.exit(0));
