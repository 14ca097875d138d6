/** A small node:http client for tests: full control over headers, raw access to the reply. */
import http from 'node:http';

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  rawHeaders: string[];
  body: Buffer;
  text: string;
}

export interface RequestOptions {
  method?: string;
  headers?: http.OutgoingHttpHeaders | string[];
  body?: string | Buffer | AsyncIterable<Buffer>;
  agent?: http.Agent | false;
}

export async function request(url: string, opts: RequestOptions = {}): Promise<Reply> {
  const u = new URL(url);
  // Node sends array headers as given, so the Host header must be in the list.
  const headers = Array.isArray(opts.headers) && !hasHost(opts.headers) ? [...opts.headers, 'host', u.host] : opts.headers;
  return new Promise<Reply>((resolve, reject) => {
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        method: opts.method ?? 'GET',
        headers: headers as http.OutgoingHttpHeaders,
        agent: opts.agent ?? false,
        setHost: !hasHost(headers),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, rawHeaders: res.rawHeaders, body, text: body.toString() });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    const body = opts.body;
    if (body === undefined) req.end();
    else if (typeof body === 'string' || Buffer.isBuffer(body)) req.end(body);
    else
      void (async () => {
        for await (const chunk of body) {
          if (!req.write(chunk)) await new Promise((r) => req.once('drain', r));
        }
        req.end();
      })().catch(reject);
  });
}

function hasHost(headers: RequestOptions['headers']): boolean {
  if (headers === undefined) return false;
  if (Array.isArray(headers)) return headers.some((h, i) => i % 2 === 0 && h.toLowerCase() === 'host');
  return Object.keys(headers).some((k) => k.toLowerCase() === 'host');
}

export async function json<T = Record<string, unknown>>(url: string, opts: RequestOptions = {}): Promise<{ status: number; body: T; headers: http.IncomingHttpHeaders }> {
  const r = await request(url, opts);
  return { status: r.status, body: JSON.parse(r.text) as T, headers: r.headers };
}
