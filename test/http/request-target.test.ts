import { describe, expect, it } from 'vitest';
import { hostnameOf } from '../../src/http/request-target.js';

describe('hostnameOf', () => {
  it.each([
    ['example.org', 'example.org'],
    ['Example.ORG', 'example.org'],
    ['example.org:8080', 'example.org'],
    ['Example.org.:80', 'example.org'],
    ['example.org.', 'example.org'],
    ['example.org:', 'example.org'],
    ['[::1]:8080', '[::1]'],
    ['[2001:DB8::1]', '[2001:db8::1]'],
    ['10.0.0.1:80', '10.0.0.1'],
    ['', ''],
  ])('%j → %j', (host, name) => {
    expect(hostnameOf(host)).toBe(name);
  });
});
