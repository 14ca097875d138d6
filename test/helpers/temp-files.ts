/**
 * A temporary directory for one test file, made before its tests and removed after them, and a
 * writer of files inside it (parent directories made as needed).
 */
import { afterAll, beforeAll } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface TempFiles {
  /** The directory; set once the file's beforeAll hooks ran. */
  readonly dir: string;
  /** Writes `text` to `name` inside the directory and returns the file's path. */
  file(name: string, text: string): Promise<string>;
}

export function tempFiles(prefix: string): TempFiles {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });
  return {
    get dir() {
      return dir;
    },
    async file(name, text) {
      const path = join(dir, name);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, text);
      return path;
    },
  };
}
