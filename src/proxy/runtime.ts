/**
 * What every request needs from the running proxy, gathered in one object built at start-up:
 * the router holding the live table, options, the upstream client, observers and the drain flag.
 */
import type { Dispatcher } from 'undici';
import type { ProxyOptions } from './options.js';
import type { ProxyObserver } from './observer.js';
import type { ClientIpPolicy } from './client-ip.js';
import type { Logger } from '../log.js';
import type { RouteTable } from '../routing/table.js';

/** The live table: a request acquires it once and releases it when finished. */
export interface RouteSource {
  acquire(): RouteTable;
  release(table: RouteTable): void;
}

export interface ProxyRuntime {
  readonly router: RouteSource;
  readonly options: ProxyOptions;
  readonly agent: Dispatcher;
  readonly observer: ProxyObserver;
  readonly clientIp: ClientIpPolicy;
  readonly log: Logger;
  /** Upgraded connections (WebSockets) in progress; closed at the shutdown deadline. */
  readonly tunnels: Set<import('node:stream').Duplex>;
  /** True from SIGTERM on: every response then carries Connection: close. */
  draining(): boolean;
}
