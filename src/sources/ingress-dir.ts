/**
 * `--ingress-dir DIR`: Kubernetes manifests (*.yaml, *.yml, *.json, in subdirectories too) read
 * as if they came from the API, and read again when the tree changes. A file that fails to parse
 * keeps its last good objects; the error is logged and reported with the invalid routes. At
 * start, a file that cannot be read or parsed stops the start instead (SourceError,
 * `FILE:LINE:COLUMN: message`): there are no good objects yet to keep.
 * Hidden entries (`.git`, the `..data` links of a ConfigMap mount) are skipped, but links to
 * files are followed, so a mounted ConfigMap works as it is updated.
 */
import { watch, type FSWatcher } from 'node:fs';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import { ErrorCode, SkiffError } from '../errors.js';
import { SourceError, type SourceProblem } from '../source-error.js';
import type { Logger } from '../log.js';
import { silentLogger } from '../log.js';
import { emptyManifestObjects, mergeManifests, parseManifests } from '../kubernetes/manifests.js';
import type { ManifestObjects, ManifestProblem } from '../kubernetes/manifests.js';
import type { SnapshotListener, SnapshotProvider } from '../kubernetes/source.js';
import type { ClusterSnapshot } from '../kubernetes/translate/types.js';
import type { InvalidRoute } from '../routing/route.js';

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

interface FileState {
  /** The text last read; null when the file could not be read. */
  text: string | null;
  /** The last objects that parsed; kept while the file is broken. */
  objects: ManifestObjects;
  problems: readonly ManifestProblem[];
  /** Why the current text was rejected, if it was. */
  error: ManifestProblem | null;
  /** The same, located in the file. */
  problem: SourceProblem | null;
}

/** A manifest file as last read, for tools that point into it (`skiff check`). */
export interface ManifestFile {
  /** The directory as given joined with `origin`, as messages show it. */
  readonly file: string;
  /** Relative to the directory: the `source` of the file's problems. */
  readonly origin: string;
  /** Null when the file could not be read. */
  readonly text: string | null;
}

export interface IngressDirWatchOptions {
  readonly log?: Logger;
  /** Quiet time after the last file event before the tree is read again. */
  readonly debounceMs?: number;
}

export class IngressDirWatch implements SnapshotProvider {
  readonly name = 'ingress-dir';
  readonly dir: string;
  /** The directory as given, for messages. */
  private readonly givenDir: string;
  private readonly log: Logger;
  private readonly debounceMs: number;
  private readonly files = new Map<string, FileState>();
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly listeners = new Set<SnapshotListener>();
  private current: ClusterSnapshot = emptyManifestObjects();
  private currentProblems: readonly InvalidRoute[] = [];
  private dirError: ManifestProblem | null = null;
  /** Objects defined twice across files. */
  private mergeProblems: readonly ManifestProblem[] = [];
  private started: Promise<void> | undefined;
  private isReady = false;
  private closed = false;
  private timer: NodeJS.Timeout | null = null;
  private reloading: Promise<boolean> | null = null;
  private again = false;

  constructor(dir: string, options: IngressDirWatchOptions = {}) {
    this.dir = resolve(dir);
    this.givenDir = dir;
    this.log = options.log ?? silentLogger;
    this.debounceMs = options.debounceMs ?? 100;
  }

  get ready(): boolean {
    return this.isReady;
  }

  /**
   * Reads the tree once; rejects with a SourceError: InvalidOption when the directory cannot be
   * read, one problem per file when a manifest cannot be read or parsed.
   * Objects that parse but cannot be used are not a reason to stop: they are reported in problems().
   */
  start(): Promise<void> {
    this.started ??= (async () => {
      const found = await this.scan();
      if (found === null) {
        throw new SourceError([{ file: this.givenDir, code: ErrorCode.InvalidOption, message: this.dirError?.reason ?? 'cannot read the directory' }]);
      }
      await this.apply(found);
      const broken = [...this.files.values()].flatMap((f) => (f.problem !== null ? [f.problem] : []));
      if (broken.length > 0) {
        await this.stop();
        throw new SourceError(broken);
      }
      this.isReady = true;
      this.log.info('ingress dir loaded', { dir: this.dir, ...this.counts() });
    })();
    return this.started;
  }

  async stop(): Promise<void> {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
    await this.reloading;
  }

  snapshot(): ClusterSnapshot {
    return this.current;
  }

  onChange(listener: SnapshotListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  problems(): readonly InvalidRoute[] {
    return this.currentProblems;
  }

  /** The manifest files of the last read, in the order their objects were merged. */
  manifestFiles(): readonly ManifestFile[] {
    return [...this.files.entries()].map(([path, f]) => ({ file: this.displayPath(path), origin: this.originOf(path), text: f.text }));
  }

  /**
   * Reads the tree again now and tells subscribers if any object or problem changed. Returns
   * whether something changed. Concurrent calls share one pass (plus one more if asked meanwhile).
   */
  reload(): Promise<boolean> {
    if (this.reloading !== null) {
      this.again = true;
      return this.reloading;
    }
    this.reloading = (async () => {
      let changed = false;
      do {
        this.again = false;
        if (this.closed) break;
        const found = await this.scan();
        changed = (found === null ? this.refreshProblems() : await this.apply(found)) || changed;
      } while (this.again);
      return changed;
    })().finally(() => {
      this.reloading = null;
    });
    return this.reloading.then((changed) => {
      if (changed && !this.closed) this.notify();
      return changed;
    });
  }

  private schedule(): void {
    if (this.closed) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      // Events during the first read wait for it; the pass after it sees their result.
      if (!this.isReady) return this.schedule();
      this.reload().catch((err: unknown) => this.log.error('ingress dir reload failed', { dir: this.dir, error: String(err) }));
    }, this.debounceMs);
  }

  /**
   * The manifest files and the directories holding them, following links. Null when the top
   * directory cannot be read (the last good objects then stay).
   */
  private async scan(): Promise<{ files: string[]; dirs: string[] } | null> {
    const files: string[] = [];
    const dirs: string[] = [];
    const visited = new Set<string>();
    const walk = async (dir: string, top: boolean): Promise<void> => {
      let real: string;
      let entries: import('node:fs').Dirent[];
      try {
        real = await realpath(dir);
        if (visited.has(real)) return; // a link loop
        visited.add(real);
        entries = await readdir(dir, { withFileTypes: true });
      } catch (err) {
        if (top) throw err;
        this.log.warn('ingress dir: cannot read a subdirectory', { dir, error: (err as Error).message });
        return;
      }
      dirs.push(dir);
      for (const entry of entries) {
        if (entry.name.startsWith('.')) continue;
        const path = join(dir, entry.name);
        let isDir = entry.isDirectory();
        let isFile = entry.isFile();
        if (entry.isSymbolicLink()) {
          try {
            const s = await stat(path);
            isDir = s.isDirectory();
            isFile = s.isFile();
          } catch {
            continue; // a dangling link, e.g. mid-swap of a ConfigMap mount
          }
        }
        if (isDir) await walk(path, false);
        else if (isFile && MANIFEST_FILE.test(entry.name)) files.push(path);
      }
    };
    try {
      await walk(this.dir, true);
    } catch (err) {
      const reason = `cannot read the directory: ${(err as Error).message}`;
      if (this.dirError?.reason !== reason) this.log.error('ingress dir unreadable, keeping the last good objects', { dir: this.dir, reason });
      this.dirError = { object: this.dir, code: ErrorCode.InvalidOption, reason, origin: this.dir };
      return null;
    }
    this.dirError = null;
    files.sort();
    this.watchDirs(dirs);
    return { files, dirs };
  }

  /** Reads the files found; returns whether objects or problems changed. */
  private async apply(found: { files: string[] }): Promise<boolean> {
    let changed = false;
    const present = new Set(found.files);
    for (const path of [...this.files.keys()]) {
      if (!present.has(path)) {
        this.files.delete(path);
        changed = true;
        this.log.info('ingress manifest removed', { file: this.originOf(path) });
      }
    }
    for (const path of found.files) changed = (await this.load(path)) || changed;
    if (changed) this.rebuild();
    return this.refreshProblems() || changed;
  }

  /** Returns whether the file's objects or error changed. */
  private async load(path: string): Promise<boolean> {
    const prev = this.files.get(path);
    const origin = this.originOf(path);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        // Gone between the scan and the read: the next scan settles it.
        if (prev === undefined) return false;
        this.files.delete(path);
        return true;
      }
      const reason = `cannot read: ${(err as Error).message}`;
      return this.reject(path, prev, reason, ErrorCode.InvalidOption, null, { file: this.displayPath(path), code: ErrorCode.Source, message: reason });
    }
    if (prev !== undefined && prev.text === text) return false;
    try {
      const parsed = parseManifests(text, origin);
      this.files.set(path, { text, objects: parsed.objects, problems: parsed.problems, error: null, problem: null });
      for (const p of parsed.problems) this.log.warn('ingress manifest object left out', { file: origin, object: p.object, reason: p.reason });
      this.log.info('ingress manifest loaded', { file: origin, ...countsOf(parsed.objects), ignored: parsed.ignored });
      return true;
    } catch (err) {
      const code = err instanceof SkiffError ? err.code : ErrorCode.Parse;
      const message = (err as Error).message;
      // The message starts with the origin, which the located form puts in front already.
      const detail = (message.startsWith(`${origin}: `) ? message.slice(origin.length + 2) : message).replace(/ at line \d+, column \d+:?$/, '');
      return this.reject(path, prev, message, code, text, { file: this.displayPath(path), ...yamlErrorPosition(text), code, message: detail });
    }
  }

  private reject(path: string, prev: FileState | undefined, reason: string, code: string, text: string | null, problem: SourceProblem): boolean {
    const origin = this.originOf(path);
    // Before the first read there is nothing to keep: start() reports the problem instead.
    if (this.isReady) this.log.error('ingress manifest rejected, keeping its last good objects', { file: origin, reason });
    const error: ManifestProblem = { object: origin, code, reason, origin };
    this.files.set(path, { text, objects: prev?.objects ?? emptyManifestObjects(), problems: prev?.problems ?? [], error, problem });
    return prev?.error?.reason !== reason;
  }

  private rebuild(): void {
    const parts = [...this.files.entries()].map(([path, f]) => ({ origin: this.originOf(path), objects: f.objects }));
    const merged = mergeManifests(parts);
    this.current = merged.snapshot;
    this.mergeProblems = merged.problems;
  }

  /** Recomputes the reported problems; returns whether they changed. */
  private refreshProblems(): boolean {
    const all: ManifestProblem[] = [];
    if (this.dirError !== null) all.push(this.dirError);
    for (const f of this.files.values()) {
      if (f.error !== null) all.push(f.error);
      all.push(...f.problems);
    }
    all.push(...this.mergeProblems);
    const next: InvalidRoute[] = all.map((p) => ({ id: p.object, code: p.code, reason: p.reason, source: p.origin }));
    const same = next.length === this.currentProblems.length && next.every((p, i) => sameProblem(p, this.currentProblems[i]));
    if (!same) this.currentProblems = next;
    return !same;
  }

  private watchDirs(dirs: readonly string[]): void {
    if (this.closed) return;
    const wanted = new Set(dirs);
    for (const [dir, w] of this.watchers) {
      if (!wanted.has(dir)) {
        w.close();
        this.watchers.delete(dir);
      }
    }
    for (const dir of dirs) {
      if (this.watchers.has(dir)) continue;
      try {
        // Any event re-reads the tree: renames (editors, ConfigMap swaps) and new subdirectories included.
        const w = watch(dir, () => this.schedule());
        w.on('error', (err) => {
          this.log.warn('ingress dir watch failed', { dir, error: err.message });
          w.close();
          this.watchers.delete(dir);
          this.schedule();
        });
        this.watchers.set(dir, w);
      } catch (err) {
        this.log.warn('ingress dir watch failed', { dir, error: (err as Error).message });
      }
    }
  }

  private notify(): void {
    const snapshot = this.current;
    for (const listener of this.listeners) {
      try {
        listener(snapshot);
      } catch (err) {
        this.log.error('ingress dir change listener failed', { error: String(err) });
      }
    }
  }

  /** A file's name relative to the directory, as shown in logs and invalid routes. */
  private originOf(path: string): string {
    return relative(this.dir, path) || path;
  }

  /** A file as messages show it: under the directory as it was given. */
  private displayPath(path: string): string {
    return join(this.givenDir, this.originOf(path));
  }

  private counts(): Record<string, number> {
    return { files: this.files.size, ...countsOf(this.current) };
  }
}

/**
 * Where the first YAML error of a text is (parseManifests names only the document). Only called
 * for a text that failed, so parsing it again costs nothing in the normal case.
 */
function yamlErrorPosition(text: string): { line?: number; column?: number } {
  const lineCounter = new LineCounter();
  for (const doc of parseAllDocuments(text, { lineCounter })) {
    const error = doc.errors[0];
    if (error === undefined) continue;
    const pos = error.linePos?.[0] ?? lineCounter.linePos(error.pos[0]);
    return { line: pos.line, column: pos.col };
  }
  return {};
}

function countsOf(o: ClusterSnapshot): Record<string, number> {
  return { ingresses: o.ingresses.length, services: o.services.length, endpointSlices: o.endpointSlices.length, ingressClasses: o.ingressClasses.length };
}

function sameProblem(a: InvalidRoute, b: InvalidRoute | undefined): boolean {
  return b !== undefined && a.id === b.id && a.code === b.code && a.reason === b.reason && a.source === b.source;
}
