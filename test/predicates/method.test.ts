/** Method (exact, as Skipper) and Methods (any of a list, case-insensitive). */
import { describe, expect, it } from 'vitest';
import { expectInvalidArgs, matches } from './create.js';

describe('Method', () => {
  it.each([
    [['GET'], 'GET', true],
    [['GET'], 'POST', false],
    [['get'], 'GET', false],
    [['PURGE'], 'PURGE', true],
  ])('Method(%j) on %s → %s', (args, method, expected) => {
    expect(matches('Method', args, { method })).toBe(expected);
  });

  it.each([[[]], [['GET', 'POST']], [[1]], [['']]])('rejects Method(%j)', (args) => {
    expectInvalidArgs('Method', args);
  });
});

describe('Methods', () => {
  it.each([
    [['GET', 'post'], 'POST', true],
    [['GET', 'post'], 'GET', true],
    [['GET', 'post'], 'get', true],
    [['GET', 'post'], 'PUT', false],
    [['delete'], 'DELETE', true],
  ])('Methods(%j) on %s → %s', (args, method, expected) => {
    expect(matches('Methods', args, { method })).toBe(expected);
  });

  it.each([[[]], [['GET', 2]], [['']]])('rejects Methods(%j)', (args) => {
    expectInvalidArgs('Methods', args);
  });
});
