/** skiff's own request header names are known to undici, and undici still refuses bad names. */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { Agent } from 'undici';
import { registerKnownHeaderNames } from '../../src/backend/known-header-names.js';

const require = createRequire(import.meta.url);

describe('registerKnownHeaderNames', () => {
  it('adds the X-Forwarded-* names to undici’s table of known names', () => {
    expect(registerKnownHeaderNames()).toBe(true);
    const table = (require('undici/lib/core/constants.js') as { headerNameLowerCasedRecord: Record<string, string> }).headerNameLowerCasedRecord;
    for (const name of ['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-port', 'x-forwarded-host', 'via']) expect(table[name]).toBe(name);
    // well-known names keep their entries
    expect(table['Content-Type']).toBe('content-type');
    expect(registerKnownHeaderNames()).toBe(true);
  });

  it('leaves undici refusing invalid header names and values', async () => {
    registerKnownHeaderNames();
    const agent = new Agent();
    try {
      // the request is refused while it is built: nothing is sent anywhere
      const send = (headers: string[]) =>
        agent.request({ origin: 'http://127.0.0.1:9', path: '/', method: 'GET', headers });
      await expect(send(['x-forwarded-for(', '1'])).rejects.toThrow(/invalid header key/);
      await expect(send(['x-forwarded-for', 'a\r\nb'])).rejects.toThrow(/invalid x-forwarded-for header/);
    } finally {
      await agent.close();
    }
  });
});
