/**
 * eskip routes files (`--routes-file`), reloaded when they change. A file that fails to parse
 * keeps its last good routes and the error is logged and shown with the invalid routes, so a
 * typo never empties the table.
 */
import { readFile } from 'node:fs/promises';
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { RouteDefinition } from '../eskip/definition.js';
import type { InvalidRoute } from '../routing/route.js';
import type { RouteSourceHandle, SourceUpdate } from './source.js';
import type { Logger } from '../log.js';
import { parseRoutes } from '../eskip/parser.js';
import { SkiffError } from '../errors.js';

interface FileState {
  routes: readonly RouteDefinition[];
  error: InvalidRoute | null;
}

export class RoutesFileSource implements RouteSourceHandle {
  readonly name = 'routes-file';
  private readonly paths: string[];
  private readonly files = new Map<string, FileState>();
  private readonly watchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | null = null;
  private onUpdate: ((u: SourceUpdate) => void) | null = null;

  constructor(
    paths: readonly string[],
    private readonly log: Logger,
    private readonly debounceMs = 100,
  ) {
    this.paths = paths.map((p) => resolve(p));
  }

  async start(onUpdate: (update: SourceUpdate) => void): Promise<void> {
    this.onUpdate = onUpdate;
    for (const p of this.paths) await this.load(p);
    // Watch the directories, not the files: editors and ConfigMap mounts replace files by rename.
    for (const dir of new Set(this.paths.map((p) => dirname(p)))) {
      const names = new Set(this.paths.filter((p) => dirname(p) === dir).map((p) => basename(p)));
      const w = watch(dir, (_event, file) => {
        if (file === null || names.has(file.toString()) || file.toString().startsWith('..')) this.schedule();
      });
      w.on('error', (err) => this.log.warn('routes file watch failed', { dir, error: err.message }));
      this.watchers.push(w);
    }
    this.emit();
  }

  async stop(): Promise<void> {
    for (const w of this.watchers) w.close();
    this.watchers.length = 0;
    if (this.timer !== null) clearTimeout(this.timer);
  }

  /** Re-reads every file now (also used on SIGHUP). */
  async reload(): Promise<void> {
    let changed = false;
    for (const p of this.paths) changed = (await this.load(p)) || changed;
    if (changed) this.emit();
  }

  private schedule(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.reload();
    }, this.debounceMs);
  }

  /** Returns whether the file's routes or error changed. */
  private async load(path: string): Promise<boolean> {
    const prev = this.files.get(path);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      return this.keep(path, prev, `cannot read routes file: ${(err as Error).message}`, 'SKIFF_ERR_SOURCE');
    }
    try {
      const routes = parseRoutes(text);
      const same = prev !== undefined && prev.error === null && sameText(prev.routes, routes);
      this.files.set(path, { routes, error: null });
      if (!same) this.log.info('routes file loaded', { file: path, routes: routes.length });
      return !same;
    } catch (err) {
      const code = err instanceof SkiffError ? err.code : 'SKIFF_ERR_PARSE';
      return this.keep(path, prev, (err as Error).message, code);
    }
  }

  private keep(path: string, prev: FileState | undefined, reason: string, code: string): boolean {
    this.log.error('routes file rejected, keeping the last good routes', { file: path, reason });
    const error: InvalidRoute = { id: basename(path), code, reason, source: path };
    this.files.set(path, { routes: prev?.routes ?? [], error });
    return prev?.error?.reason !== reason;
  }

  private emit(): void {
    const routes: RouteDefinition[] = [];
    const invalid: InvalidRoute[] = [];
    for (const p of this.paths) {
      const f = this.files.get(p);
      if (f === undefined) continue;
      routes.push(...f.routes);
      if (f.error !== null) invalid.push(f.error);
    }
    this.onUpdate?.({ routes, invalid });
  }
}

function sameText(a: readonly RouteDefinition[], b: readonly RouteDefinition[]): boolean {
  return a.length === b.length && JSON.stringify(a) === JSON.stringify(b);
}
