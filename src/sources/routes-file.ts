/**
 * eskip routes files (`--routes-file`), reloaded when they change. At start, a file that cannot
 * be read or parsed stops the start (SourceError, `FILE:LINE:COLUMN: message`): a router that
 * came up "ready" with no routes would take traffic it can only answer 404. After that, a file
 * that fails to parse keeps its last good routes and the error is logged and shown with the
 * invalid routes, so a typo never empties the table.
 */
import { readFile } from 'node:fs/promises';
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { RouteDefinition } from '../eskip/definition.js';
import type { InvalidRoute } from '../routing/route.js';
import type { RouteSourceHandle, SourceUpdate } from './source.js';
import type { Logger } from '../log.js';
import { parseRoutes } from '../eskip/parser.js';
import { EskipParseError } from '../eskip/lexer.js';
import { ErrorCode, SkiffError } from '../errors.js';
import { SourceError, type SourceProblem } from '../source-error.js';

interface FileState {
  routes: readonly RouteDefinition[];
  error: InvalidRoute | null;
  /** The error as a located problem, for the start-up failure. */
  problem: SourceProblem | null;
}

export class RoutesFileSource implements RouteSourceHandle {
  readonly name = 'routes-file';
  private readonly paths: string[];
  /** The paths as given, for messages. */
  private readonly given: Map<string, string>;
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
    this.given = new Map(paths.map((p) => [resolve(p), p]));
  }

  /**
   * Reads every file; rejects with a SourceError, one problem per file that cannot be read or
   * parsed, before anything is watched or reported. An empty file is only warned about.
   */
  async start(onUpdate: (update: SourceUpdate) => void): Promise<void> {
    for (const p of this.paths) await this.load(p);
    const problems = this.paths.map((p) => this.files.get(p)?.problem ?? null).filter((p): p is SourceProblem => p !== null);
    if (problems.length > 0) {
      this.files.clear();
      throw new SourceError(problems);
    }
    for (const p of this.paths) {
      if (this.files.get(p)?.routes.length === 0) this.log.warn('routes file has no routes', { file: this.given.get(p) ?? p });
    }
    this.onUpdate = onUpdate;
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
      const message = `cannot read: ${(err as Error).message}`;
      return this.keep(path, prev, `cannot read routes file: ${(err as Error).message}`, ErrorCode.Source, { file: this.given.get(path) ?? path, code: ErrorCode.Source, message });
    }
    try {
      const routes = parseRoutes(text);
      const same = prev !== undefined && prev.error === null && sameText(prev.routes, routes);
      this.files.set(path, { routes, error: null, problem: null });
      if (!same) this.log.info('routes file loaded', { file: path, routes: routes.length });
      return !same;
    } catch (err) {
      const code = err instanceof SkiffError ? err.code : ErrorCode.Parse;
      const file = this.given.get(path) ?? path;
      const problem: SourceProblem =
        err instanceof EskipParseError
          ? { file, line: err.line, column: err.column, code, message: err.detail }
          : { file, code, message: (err as Error).message };
      return this.keep(path, prev, (err as Error).message, code, problem);
    }
  }

  private keep(path: string, prev: FileState | undefined, reason: string, code: string, problem: SourceProblem): boolean {
    // Before the first good load there is nothing to keep: start() reports the problem instead.
    if (this.onUpdate !== null) this.log.error('routes file rejected, keeping the last good routes', { file: path, reason });
    const error: InvalidRoute = { id: basename(path), code, reason, source: path };
    this.files.set(path, { routes: prev?.routes ?? [], error, problem });
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
