import { describe, expect, it } from 'vitest';
import { interimHeadLength } from '../../src/backend/interim-response.js';

describe('interimHeadLength', () => {
  it('measures a complete 100 head at the given offset', () => {
    const head = 'HTTP/1.1 100 Continue\r\n\r\n';
    expect(interimHeadLength(Buffer.from(`${head}HTTP/1.1 200 OK\r\n`))).toBe(head.length);
    expect(interimHeadLength(Buffer.from(`${head}${head}x`), head.length)).toBe(2 * head.length);
    expect(interimHeadLength(Buffer.from('HTTP/1.0 100\r\nX-A: 1\r\n\r\n'))).toBe(24);
  });

  it('refuses anything else: other statuses, a cut head, another protocol, a longer code', () => {
    for (const text of ['HTTP/1.1 200 OK\r\n\r\n', 'HTTP/1.1 101 Switching\r\n\r\n', 'HTTP/1.1 100 Continue\r\n', 'HTTP/2.0 100 x\r\n\r\n', 'HTTP/1.1 1000 x\r\n\r\n', 'HTTP/1.1 10']) {
      expect(interimHeadLength(Buffer.from(text)), JSON.stringify(text)).toBe(-1);
    }
  });
});
