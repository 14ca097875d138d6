/**
 * The words an operator reads when a listener cannot be bound: which listener, which address,
 * and why, whatever form Node's error took (a cluster worker's `bind EADDRINUSE ...` names none).
 */
import { describe, expect, it } from 'vitest';
import net from 'node:net';
import { ListenError } from '../src/listen-error.js';
import { ErrorCode } from '../src/errors.js';

function systemError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('ListenError', () => {
  it('names the listener and address and says why in words', () => {
    const e = new ListenError('default', '127.0.0.1', 9090, systemError('EADDRINUSE', 'bind EADDRINUSE 127.0.0.1:9090'));
    expect(e.message).toBe('listener default 127.0.0.1:9090: address already in use');
    expect(e.code).toBe(ErrorCode.Listen);
    expect(e).toMatchObject({ listener: 'default', host: '127.0.0.1', port: 9090, errno: 'EADDRINUSE' });
  });

  it('says what a permission error needs', () => {
    const e = new ListenError('internal', '0.0.0.0', 80, systemError('EACCES', 'listen EACCES: permission denied 0.0.0.0:80'));
    expect(e.message).toBe('listener internal 0.0.0.0:80: permission denied (a port below 1024 needs root or CAP_NET_BIND_SERVICE)');
  });

  it('calls the support listener by its name, and keeps the message of an error it does not know', () => {
    const e = new ListenError(null, '127.0.0.1', 9911, systemError('EWHATEVER', 'something odd'));
    expect(e.message).toBe('support listener 127.0.0.1:9911: something odd');
    expect(new ListenError('default', '127.0.0.1', 1, 'no error object').message).toBe('listener default 127.0.0.1:1: no error object');
  });

  it('reads the code of a real bind failure', async () => {
    const held = net.createServer();
    await new Promise<void>((r) => held.listen(0, '127.0.0.1', () => r()));
    const { port } = held.address() as net.AddressInfo;
    const second = net.createServer();
    const err = await new Promise<unknown>((resolve) => {
      second.once('error', resolve);
      second.listen(port, '127.0.0.1');
    });
    held.close();
    expect(new ListenError('default', '127.0.0.1', port, err).message).toBe(`listener default 127.0.0.1:${port}: address already in use`);
  });
});
