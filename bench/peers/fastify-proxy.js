// Peer: @fastify/http-proxy in front of the benchmark backend, with the plugin's own defaults
// (undici upstream, 128 keep-alive connections, bodies streamed through) and no request logging.
// Bodies up to 16 MiB so the 1 MiB upload is not refused by Fastify's 1 MiB default.
// Usage: node bench/peers/fastify-proxy.js PORT UPSTREAM_ORIGIN
import Fastify from 'fastify';
import httpProxy from '@fastify/http-proxy';

const [port, origin] = [Number(process.argv[2] ?? 0), process.argv[3]];
const app = Fastify({ logger: false, bodyLimit: 16 * 1024 * 1024, keepAliveTimeout: 65_000 });
await app.register(httpProxy, { upstream: origin });
await app.listen({ port, host: '127.0.0.1' });
process.send?.({ port: app.server.address().port });
process.on('disconnect', () => process.exit(0));
