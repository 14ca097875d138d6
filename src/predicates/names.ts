/**
 * The names of the built-in predicates, as written in eskip. The matcher refers to these when it
 * treats a predicate specially (path tree, host index, weight), so they live in one place.
 */
export const PredicateName = {
  Path: 'Path',
  PathSubtree: 'PathSubtree',
  PathRegexp: 'PathRegexp',
  Host: 'Host',
  HostAny: 'HostAny',
  Method: 'Method',
  Methods: 'Methods',
  Header: 'Header',
  HeaderRegexp: 'HeaderRegexp',
  Cookie: 'Cookie',
  QueryParam: 'QueryParam',
  ClientIP: 'ClientIP',
  Source: 'Source',
  SourceFromLast: 'SourceFromLast',
  Traffic: 'Traffic',
  Weight: 'Weight',
  True: 'True',
  False: 'False',
} as const;

export type PredicateName = (typeof PredicateName)[keyof typeof PredicateName];
