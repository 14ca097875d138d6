/**
 * Claim paths: `sub`, `org.team`, `groups.0`. A path is compiled once; at request time the
 * whole text is first tried as one key, so that namespaced claims whose names hold dots
 * (`https://example.com/roles`) are reachable, and otherwise walked segment by segment. Only
 * own properties are read: `__proto__` or `constructor` never reach Object.prototype.
 */
export interface ClaimPath {
  readonly text: string;
  readonly segments: readonly string[];
}

/** Throws Error for an empty path or an empty segment (`a..b`). */
export function compileClaimPath(text: string): ClaimPath {
  if (text === '') throw new Error('a claim path must not be empty');
  const segments = text.split('.');
  if (segments.some((s) => s === '')) throw new Error(`claim path ${JSON.stringify(text)} has an empty segment`);
  return { text, segments };
}

/** hot path: property reads only. undefined when any step is missing. */
export function resolveClaim(root: unknown, path: ClaimPath): unknown {
  if (typeof root !== 'object' || root === null) return undefined;
  if (path.segments.length > 1 && Object.hasOwn(root, path.text)) return (root as Record<string, unknown>)[path.text];
  let node: unknown = root;
  for (const segment of path.segments) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, segment)) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}
