/**
 * ObjectStore: values() stays sorted by key through upserts and removals without being sorted
 * again, never changes an array it handed out, keeps an object's position when a newer version
 * replaces it, and keeps the object held when a relist brings the same version.
 */
import { describe, expect, it } from 'vitest';
import { ObjectStore, objectKey } from '../../../src/kubernetes/cache.js';
import type { KubeObject } from '../../../src/kubernetes/cache.js';

const obj = (namespace: string, name: string, resourceVersion: string): KubeObject => ({ metadata: { namespace, name, resourceVersion } });

describe('ObjectStore', () => {
  it('keeps values() sorted and handed-out arrays unchanged along random changes', () => {
    let seed = 11;
    const random = (): number => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const store = new ObjectStore();
    const model = new Map<string, KubeObject>();
    let version = 0;
    for (let i = 0; i < 2000; i++) {
      const before = store.values();
      const copy = [...before];
      const name = `n-${Math.floor(random() * 60)}`;
      const namespace = random() < 0.5 ? 'a' : 'a-b';
      const r = random();
      if (r < 0.6) {
        const o = obj(namespace, name, String(++version));
        expect(store.upsert(o)).toBe(true);
        model.set(objectKey(o), o);
      } else if (r < 0.85) {
        expect(store.remove(obj(namespace, name, ''))).toBe(model.delete(`${namespace}/${name}`));
      } else {
        const all = [...model.values()].filter(() => random() < 0.9);
        store.replaceAll(all);
        model.clear();
        for (const o of all) model.set(objectKey(o), o);
      }
      expect(before).toEqual(copy);
      const want = [...model.entries()].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0)).map((e) => e[1]);
      expect(store.values()).toEqual(want);
      want.forEach((o, k) => expect(store.values()[k]).toBe(o));
    }
  });

  it('puts a newer version where the older one was, and keeps the same version as it is', () => {
    const store = new ObjectStore();
    const a1 = obj('ns', 'a', '1');
    const b1 = obj('ns', 'b', '1');
    store.replaceAll([a1, b1]);
    const first = store.values();
    const b2 = obj('ns', 'b', '2');
    store.upsert(b2);
    expect(store.values()).toEqual([a1, b2]);
    expect(first).toEqual([a1, b1]);
    expect(store.upsert(obj('ns', 'b', '2'))).toBe(false);
    // a relist: same versions keep the objects held, a new version replaces
    const diff = store.replaceAll([obj('ns', 'a', '1'), obj('ns', 'b', '3')]);
    expect(diff).toEqual({ added: 0, modified: 1, deleted: 0 });
    expect(store.values()[0]).toBe(a1);
    expect(store.values()[1]!.metadata.resourceVersion).toBe('3');
  });
});
