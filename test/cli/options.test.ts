import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/cli/options.js';
import { SkiffError } from '../../src/errors.js';

function failure(argv: string[], env: NodeJS.ProcessEnv = {}): SkiffError {
  try {
    parseCommandLine(argv, env);
  } catch (err) {
    return err as SkiffError;
  }
  throw new Error(`parsed: ${argv.join(' ')}`);
}

describe('--listener', () => {
  it('takes the status addresses of its load balancer as an optional fourth part', () => {
    const opts = parseCommandLine(
      [
        '--listener', 'internal=0.0.0.0:9991=internal,private=internal-lb.example.org,10.0.5.6',
        '--listener', 'admin=127.0.0.1:9992=admin',
        '--publish-status-address', 'ingress.example.org',
      ],
      {},
    );
    expect(opts.listeners).toEqual([
      { name: 'internal', address: { host: '0.0.0.0', port: 9991 }, classes: ['internal', 'private'], statusAddresses: ['internal-lb.example.org', '10.0.5.6'] },
      { name: 'admin', address: { host: '127.0.0.1', port: 9992 }, classes: ['admin'], statusAddresses: [] },
    ]);
    expect(opts.publishStatusAddress).toBe('ingress.example.org');
  });

  it('reads several listeners with classes and addresses from SKIFF_LISTENER', () => {
    const opts = parseCommandLine([], {
      SKIFF_LISTENER: 'internal=0.0.0.0:9991=internal,private=lb-a.example.org,10.0.0.7, admin=127.0.0.1:9992=admin',
      SKIFF_PUBLISH_STATUS_ADDRESS: 'ingress.example.org',
    });
    expect(opts.listeners.map((l) => [l.name, l.classes, l.statusAddresses])).toEqual([
      ['internal', ['internal', 'private'], ['lb-a.example.org', '10.0.0.7']],
      ['admin', ['admin'], []],
    ]);
    expect(opts.publishStatusAddress).toBe('ingress.example.org');
  });

  it('refuses malformed listeners and status addresses with the InvalidOption code', () => {
    for (const bad of [
      'internal=0.0.0.0:9991',
      'internal=0.0.0.0:9991=',
      'internal=0.0.0.0:9991=internal=',
      'internal=0.0.0.0:9991=internal=lb.example.org,',
      'internal=0.0.0.0:9991=internal=lb.example.org=more',
      'internal=0.0.0.0:9991=internal=http://lb.example.org',
      'internal=0.0.0.0:9991=a,,b',
    ]) {
      const err = failure(['--listener', bad]);
      expect(err.code, bad).toBe('SKIFF_ERR_INVALID_OPTION');
      expect(err.message, bad).toContain('--listener');
    }
    const err = failure(['--publish-status-address', 'lb example.org']);
    expect(err.code).toBe('SKIFF_ERR_INVALID_OPTION');
    expect(err.message).toMatch(/--publish-status-address "lb example.org": a status address is an IP address or a DNS name/);
  });
});

describe('--health-check-source-ranges', () => {
  it("defaults to the private and loopback ranges, and a given list replaces them", () => {
    expect(parseCommandLine([], {}).healthCheckSourceRanges).toEqual(['10.0.0.0/8', '192.168.0.0/16', '172.16.0.0/12', '127.0.0.0/8', 'fd00::/8', '::1/128']);
    expect(parseCommandLine(['--health-check-source-ranges', '100.64.0.0/10, 10.0.0.0/16'], {}).healthCheckSourceRanges).toEqual(['100.64.0.0/10', '10.0.0.0/16']);
    expect(parseCommandLine([], { SKIFF_HEALTH_CHECK_SOURCE_RANGES: '100.64.0.0/10,fd12::/16' }).healthCheckSourceRanges).toEqual(['100.64.0.0/10', 'fd12::/16']);
  });

  it('refuses a bad network at start-up with the InvalidOption code', () => {
    for (const bad of ['100.64.0.0/33', '100.64.0/10', 'alb-subnet', '10.0.0.0/8,', '']) {
      const err = failure(['--health-check-source-ranges', bad]);
      expect(err.code, bad).toBe('SKIFF_ERR_INVALID_OPTION');
      expect(err.message, bad).toContain(`--health-check-source-ranges "${bad}"`);
    }
  });
});
