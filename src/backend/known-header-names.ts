/**
 * The request header names skiff writes on every forwarded request, made known to undici.
 *
 * Why: undici checks every request header name against its table of well-known names
 * (`headerNameLowerCasedRecord`); a name missing from it is lower-cased and tested against the
 * token pattern, a regexp run per name and request. X-Forwarded-For, -Proto, -Port and -Host
 * are not in the table, and under callgrind those four tests cost about 1 % of the instructions
 * of a small proxied GET. The names added here are constant, lower-case tokens, so the checks
 * undici skips for them could never fail. The table is an internal of undici 7: when it is
 * missing or not a plain record, nothing is changed and undici checks the names as before.
 */
import { createRequire } from 'node:module';

const names = ['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-port', 'x-forwarded-host', 'via'] as const;

let done = false;

/** Adds skiff's own header names to undici's table; true when they are (or were) added. */
export function registerKnownHeaderNames(): boolean {
  if (done) return true;
  let record: unknown;
  try {
    const require = createRequire(import.meta.url);
    record = (require('undici/lib/core/constants.js') as { headerNameLowerCasedRecord?: unknown }).headerNameLowerCasedRecord;
  } catch {
    return false;
  }
  if (record === null || typeof record !== 'object' || Object.isFrozen(record)) return false;
  const table = record as Record<string, string | undefined>;
  for (const name of names) table[name] ??= name;
  done = true;
  return true;
}
