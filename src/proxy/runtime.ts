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

export interface RouteSource {
  readonly current: RouteTable;
}

export interface ProxyRuntime {
  readonly router: RouteSource;
  readonly options: ProxyOptions;
  readonly agent: Dispatcher;
  readonly observer: ProxyObserver;
  readonly clientIp: ClientIpPolicy;
  readonly log: Logger;
  /** True from SIGTERM on: every response then carries Connection: close. */
  draining(): boolean;
}
