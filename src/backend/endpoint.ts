/**
 * Network addresses of backends. Only the scheme and host:port of a backend URL are used, as in
 * Skipper: `"http://10.2.0.4:8080/ignored"` sends to `http://10.2.0.4:8080`.
 */
import type { Endpoint } from './backend.js';
import { ErrorCode, SkiffError } from '../errors.js';

const supportedSchemes = new Set(['http:', 'https:']);

export function parseEndpoint(address: string): Endpoint {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new SkiffError(ErrorCode.InvalidBackend, `backend address "${address}" is not a URL`);
  }
  if (!supportedSchemes.has(url.protocol)) {
    throw new SkiffError(
      ErrorCode.InvalidBackend,
      `backend address "${address}": scheme ${url.protocol.slice(0, -1)} is not supported (use http or https)`,
    );
  }
  if (url.hostname === '') {
    throw new SkiffError(ErrorCode.InvalidBackend, `backend address "${address}" has no host`);
  }
  return { origin: url.origin, authority: url.host };
}
