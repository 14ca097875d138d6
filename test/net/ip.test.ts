/** Address parsing and normalisation: IPv4, IPv6, mapped, zones, brackets and garbage. */
import { describe, expect, it } from 'vitest';
import {
  IPV6_ADDRESS,
  NOT_AN_ADDRESS,
  formatIPv6,
  normalizeAddress,
  parseAddress,
  parseIPv4,
  readAddress,
} from '../../src/net/ip.js';

describe('parseIPv4', () => {
  it.each([
    ['0.0.0.0', 0],
    ['1.2.3.4', 0x01020304],
    ['255.255.255.255', 0xffffffff],
    ['10.0.0.1', 0x0a000001],
  ])('%s → %d', (text, value) => {
    expect(parseIPv4(text)).toBe(value);
  });

  it.each(['', '1.2.3', '1.2.3.4.5', '256.0.0.1', '01.2.3.4', '1.2.3.4 ', ' 1.2.3.4', '1..3.4', '1.2.3.', 'a.b.c.d', '1.2.3.-4', '1.2.3.1000'])(
    'rejects %j',
    (text) => {
      expect(parseIPv4(text)).toBe(-1);
    },
  );

  it('parses a slice of a longer text in place', () => {
    const text = 'for=10.1.2.3, x';
    expect(parseIPv4(text, 4, 12)).toBe(0x0a010203);
  });
});

describe('parseAddress', () => {
  it.each([
    ['::1', [0, 0, 0, 1]],
    ['::', [0, 0, 0, 0]],
    ['2001:db8::1', [0x20010db8, 0, 0, 1]],
    ['2001:DB8:0:0:0:0:0:1', [0x20010db8, 0, 0, 1]],
    ['1::', [0x00010000, 0, 0, 0]],
    ['1:2:3:4:5:6:7:8', [0x00010002, 0x00030004, 0x00050006, 0x00070008]],
    ['1:2:3:4:5:6:7::', [0x00010002, 0x00030004, 0x00050006, 0x00070000]],
    ['::1.2.3.4', [0, 0, 0, 0x01020304]],
    ['64:ff9b::192.0.2.33', [0x0064ff9b, 0, 0, 0xc0000221]],
    ['fe80::1%eth0', [0xfe800000, 0, 0, 1]],
    ['[2001:db8::1]', [0x20010db8, 0, 0, 1]],
  ])('IPv6 %s', (text, words) => {
    expect(parseAddress(text)).toEqual({ family: 6, words });
  });

  it.each([
    ['::ffff:1.2.3.4', 0x01020304],
    ['::FFFF:10.0.0.1', 0x0a000001],
    ['::ffff:a00:1', 0x0a000001],
    ['[::ffff:127.0.0.1]', 0x7f000001],
    ['127.0.0.1', 0x7f000001],
  ])('IPv4-mapped and plain IPv4 %s count as IPv4', (text, value) => {
    expect(parseAddress(text)).toEqual({ family: 4, value });
  });

  it.each([
    '',
    'localhost',
    ':',
    ':::',
    '1:2',
    ':1',
    '1:',
    '1:::2',
    '1::2::3',
    '12345::1',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7:8::',
    '::ffff:1.2.3',
    '::ffff:256.1.1.1',
    '1:2:3:4:5:6:7:1.2.3.4',
    'g::1',
    '[::1',
    '::1]',
    '1.2.3.4%eth0',
    'fe80::1%',
    '1.2.3.4:80',
  ])('rejects %j', (text) => {
    expect(parseAddress(text)).toBeNull();
  });
});

describe('readAddress (the allocation-free reader)', () => {
  it('tells IPv4, IPv6 and garbage apart', () => {
    const out = new Uint32Array(4);
    expect(readAddress('1.2.3.4', 0, 7, out)).toBe(0x01020304);
    expect(readAddress('::2', 0, 3, out)).toBe(IPV6_ADDRESS);
    expect([...out]).toEqual([0, 0, 0, 2]);
    expect(readAddress('nope', 0, 4, out)).toBe(NOT_AN_ADDRESS);
  });
});

describe('normalizeAddress', () => {
  it.each([
    ['::ffff:1.2.3.4', '1.2.3.4'],
    ['[::1]', '::1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:1:0:0:0:1', '2001:db8:0:1::1'],
    ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
    ['1:0:2:3:4:5:6:7', '1:0:2:3:4:5:6:7'],
    ['10.0.0.1', '10.0.0.1'],
    ['garbage', null],
  ])('%s → %s', (text, expected) => {
    expect(normalizeAddress(text)).toBe(expected);
  });

  it('formats the all-zero address as ::', () => {
    expect(formatIPv6([0, 0, 0, 0])).toBe('::');
  });
});
