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

export class ObjectStore<T extends KubeObject = KubeObject> {
  private readonly items = new Map<string, T>();
  private list: T[] | undefined;

  get size(): number {
    return this.items.size;
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  /** All objects, sorted by key so that equal stores give equal snapshots. */
  values(): readonly T[] {
    if (!this.list) {
      this.list = [...this.items.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map((e) => e[1]);
    }
    return this.list;
  }

  /** Adds or replaces an object; false when the same version is already stored. */
  upsert(obj: T): boolean {
    const key = objectKey(obj);
    const old = this.items.get(key);
    if (old && sameVersion(old, obj)) return false;
    this.items.set(key, obj);
    this.list = undefined;
    return true;
  }

  remove(obj: KubeObject): boolean {
    const removed = this.items.delete(objectKey(obj));
    if (removed) this.list = undefined;
    return removed;
  }

  /** Makes the store hold exactly these objects (a relist), reporting what differed. */
  replaceAll(objects: readonly T[]): StoreDiff {
    const next = new Map<string, T>();
    let added = 0;
    let modified = 0;
    for (const obj of objects) {
      const key = objectKey(obj);
      next.set(key, obj);
      const old = this.items.get(key);
      if (!old) added++;
      else if (!sameVersion(old, obj)) modified++;
    }
    let deleted = 0;
    for (const key of this.items.keys()) if (!next.has(key)) deleted++;
    this.items.clear();
    for (const [k, v] of next) this.items.set(k, v);
    this.list = undefined;
    return { added, modified, deleted };
  }
}
