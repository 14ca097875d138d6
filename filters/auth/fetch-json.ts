/**
 * One bounded GET of a JSON document (a JWKS or an OpenID configuration): a timeout, no
 * redirects (a key set must come from the URL configured, not from wherever it points), a size
 * cap, and 200 only.
 */
const MAX_BYTES = 1 << 20;

export async function fetchJson(url: string, timeoutMs: number): Promise<unknown> {
  const response = await fetch(url, {
    method: 'GET',
    redirect: 'manual',
    signal: AbortSignal.timeout(timeoutMs),
    headers: { accept: 'application/json, application/jwk-set+json' },
  });
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new Error(`GET ${url}: status ${response.status}`);
  }
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > MAX_BYTES) {
    await response.body?.cancel();
    throw new Error(`GET ${url}: body over ${MAX_BYTES} bytes`);
  }
  const text = await readCapped(url, response);
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`GET ${url}: not JSON`);
  }
}

/**
 * The body as text, read no further than the cap: response.text() would first buffer whatever
 * the server sends until the timeout (an endless chunked body is hundreds of MB a second on a
 * fast link) and only then be measured.
 */
async function readCapped(url: string, response: Response): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (response.body !== null) {
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_BYTES) {
        await reader.cancel();
        throw new Error(`GET ${url}: body over ${MAX_BYTES} bytes`);
      }
      chunks.push(value);
    }
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}
