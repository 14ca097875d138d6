/**
 * Set, append and remove a field in a lower-cased header record (the outgoing request's or the
 * response's). Appending never mutates an existing array in place: it may be shared with the
 * incoming request.
 */
export type HeaderRecord = Record<string, string | string[]>;

export function setField(headers: HeaderRecord, name: string, value: string): void {
  headers[name] = value;
}

export function appendField(headers: HeaderRecord, name: string, value: string): void {
  const current = headers[name];
  if (typeof current === 'string') headers[name] = [current, value];
  else if (Array.isArray(current)) headers[name] = [...current, value];
  else headers[name] = value;
}

export function dropField(headers: HeaderRecord, name: string): void {
  if (Object.hasOwn(headers, name)) delete headers[name];
}
