/**
 * The in-memory copy of one kind of Kubernetes object, keyed by namespace/name, as kept by a
 * watch. Objects are stored as the API returned them; a change is detected by
 * resourceVersion (opaque, compared only for equality) or, lacking one, by uid.
 */

export interface KubeObjectMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly resourceVersion?: string;
  readonly uid?: string;
}

/** The least a watched object has; the translation's richer types fit this shape. */
export interface KubeObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: KubeObjectMeta;
}

export function objectKey(obj: KubeObject): string {
  const ns = obj.metadata.namespace;
  return ns ? `${ns}/${obj.metadata.name}` : obj.metadata.name;
}

export interface StoreDiff {
  readonly added: number;
  readonly modified: number;
  readonly deleted: number;
}

function sameVersion(a: KubeObject, b: KubeObject): boolean {
  const ra = a.metadata.resourceVersion;
  const rb = b.metadata.resourceVersion;
  if (ra !== undefined || rb !== undefined) return ra === rb && a.metadata.uid === b.metadata.uid;
  return false;
}

/** Code-unit order of keys, the order values() keeps. */
function before(a: string, b: string): boolean {
  return a < b;
}

export class ObjectStore<T extends KubeObject = KubeObject> {
  private readonly items = new Map<string, T>();
  /** values(), sorted by key, and the keys in the same order; undefined until asked for again. */
  private list: T[] | undefined;
  private keys: string[] | undefined;

  get size(): number {
    return this.items.size;
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  /**
   * All objects, sorted by key so that equal stores give equal snapshots. The array is never
   * changed afterwards (snapshots share it): a change makes a new one, in which an object
   * replaced by a newer version keeps its position.
   */
  values(): readonly T[] {
    if (this.list === undefined || this.keys === undefined) {
      const entries = [...this.items.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      this.list = entries.map((e) => e[1]);
      this.keys = entries.map((e) => e[0]);
    }
    return this.list;
  }

  /** Adds or replaces an object; false when the same version is already stored. */
  upsert(obj: T): boolean {
    const key = objectKey(obj);
    const old = this.items.get(key);
    if (old && sameVersion(old, obj)) return false;
    this.items.set(key, obj);
    // A watch event changes one object: the sorted list is copied with it put in place (one
    // binary search and one copy) rather than sorted again.
    if (this.list !== undefined && this.keys !== undefined) {
      const at = this.position(key);
      const list = this.list.slice();
      if (old !== undefined) {
        list[at] = obj;
      } else {
        list.splice(at, 0, obj);
        this.keys = this.keys.slice();
        this.keys.splice(at, 0, key);
      }
      this.list = list;
    }
    return true;
  }

  remove(obj: KubeObject): boolean {
    const key = objectKey(obj);
    const removed = this.items.delete(key);
    if (removed && this.list !== undefined && this.keys !== undefined) {
      const at = this.position(key);
      this.list = this.list.slice();
      this.list.splice(at, 1);
      this.keys = this.keys.slice();
      this.keys.splice(at, 1);
    }
    return removed;
  }

  /** Makes the store hold exactly these objects (a relist), reporting what differed. */
  replaceAll(objects: readonly T[]): StoreDiff {
    const next = new Map<string, T>();
    let added = 0;
    let modified = 0;
    for (const obj of objects) {
      const key = objectKey(obj);
      const old = this.items.get(key);
      // the same version keeps the object held: later stages tell unchanged objects by identity
      if (old && sameVersion(old, obj)) {
        next.set(key, old);
        continue;
      }
      next.set(key, obj);
      if (!old) added++;
      else modified++;
    }
    let deleted = 0;
    for (const key of this.items.keys()) if (!next.has(key)) deleted++;
    this.items.clear();
    for (const [k, v] of next) this.items.set(k, v);
    this.list = undefined;
    this.keys = undefined;
    return { added, modified, deleted };
  }

  /** Where `key` is, or would go, in the sorted keys. */
  private position(key: string): number {
    const keys = this.keys!;
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (before(keys[mid]!, key)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
