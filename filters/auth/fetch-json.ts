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
  const text = await response.text();
  if (text.length > MAX_BYTES) throw new Error(`GET ${url}: body over ${MAX_BYTES} bytes`);
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`GET ${url}: not JSON`);
  }
}
