/**
 * Where the JWT filters' key sets report fetches that gave no keys. A filter is built from its
 * arguments alone (FilterSpec.create), so it has no logger of its own: the router hands its
 * logger over when it is created (src/skiff.ts), and the last router created in a process is the
 * one written to. Until then nothing is written, as with the other default loggers.
 */
import { silentLogger, type Logger } from '../../src/log.js';

let current: Logger = silentLogger;

export function setKeySetLogger(log: Logger): void {
  current = log;
}

export function keySetLogger(): Logger {
  return current;
}
