/**
 * Where each object of an Ingress directory is written: file, document number, line and column,
 * and the line of each of its annotations, so that `skiff check` can point at the text a problem
 * comes from. The manifests are parsed again here, with positions: the router itself never needs
 * them, and parseManifests keeps none.
 */
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Node } from 'yaml';
import type { ManifestFile } from '../sources/ingress-dir.js';

export interface Place {
  /** The file as messages show it. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface ObjectPlace extends Place {
  /** 1-based, among the documents of the file. */
  readonly document: number;
  /** `Ingress team/app`, as manifest problems name objects. */
  readonly label: string;
  /** Where each annotation's key is written, and its value. */
  readonly annotations: ReadonlyMap<string, { readonly place: Place; readonly value: string }>;
}

/** Kinds without a namespace; every other kind is named `namespace/name` (`default` when absent). */
const CLUSTER_SCOPED = new Set(['IngressClass', 'Namespace', 'ClusterRole', 'ClusterRoleBinding']);

export class ManifestPlaces {
  /** By origin (the file relative to the directory), then by the names problems use. */
  private readonly byOrigin = new Map<string, { file: string; names: Map<string, ObjectPlace> }>();
  /** By label, the first definition (the one the router keeps). */
  private readonly first = new Map<string, ObjectPlace>();

  constructor(files: readonly ManifestFile[]) {
    for (const f of files) {
      const names = new Map<string, ObjectPlace>();
      this.byOrigin.set(f.origin, { file: f.file, names });
      if (f.text === null) continue;
      const lineCounter = new LineCounter();
      const docs = parseAllDocuments(f.text, { lineCounter });
      if (!Array.isArray(docs)) continue;
      docs.forEach((doc, i) => {
        const at = (node: Node | null | undefined, fallback: number): Place => {
          const pos = lineCounter.linePos(node?.range?.[0] ?? fallback);
          return { file: f.file, line: pos.line, column: pos.col };
        };
        const add = (node: Node | null, where: string, listKind: string | undefined): void => {
          const place = at(node, doc.range[0]);
          const fallback: ObjectPlace = { ...place, document: i + 1, label: where, annotations: new Map() };
          if (!names.has(where)) names.set(where, fallback);
          if (!isMap(node)) return;
          const kind = scalar(node.get('kind', true)) ?? listKind;
          const items = node.get('items', true);
          if (kind !== undefined && kind.endsWith('List') && isSeq(items)) {
            const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
            items.items.forEach((item, j) => add(item as Node, `${where} item ${j + 1}`, itemKind));
            return;
          }
          if (kind === undefined) return;
          const meta = node.get('metadata', true);
          const name = isMap(meta) ? scalar(meta.get('name', true)) : undefined;
          if (name === undefined) {
            names.set(`${kind} in ${where}`, { ...fallback, label: `${kind} in ${where}` });
            return;
          }
          const namespace = (isMap(meta) ? scalar(meta.get('namespace', true)) : undefined) || 'default';
          const label = CLUSTER_SCOPED.has(kind) ? `${kind} ${name}` : `${kind} ${namespace}/${name}`;
          const annotations = new Map<string, { place: Place; value: string }>();
          const ann = isMap(meta) ? meta.get('annotations', true) : undefined;
          if (isMap(ann)) {
            for (const pair of ann.items) {
              const key = scalar(pair.key as Node);
              if (key !== undefined) annotations.set(key, { place: at(pair.key as Node, 0), value: scalar(pair.value as Node) ?? '' });
            }
          }
          const object: ObjectPlace = { ...place, document: i + 1, label, annotations };
          names.set(label, object);
          if (!this.first.has(label)) this.first.set(label, object);
        };
        add(doc.contents as Node | null, `document ${i + 1}`, undefined);
      });
    }
  }

  /** The file of an origin as messages show it. */
  file(origin: string): string | undefined {
    return this.byOrigin.get(origin)?.file;
  }

  /** An object or document named as manifest problems name them (`Ingress team/app`, `document 2`) in one file. */
  in(origin: string, name: string): ObjectPlace | undefined {
    return this.byOrigin.get(origin)?.names.get(name);
  }

  /** The definition the router keeps of an object, by its label. */
  object(label: string): ObjectPlace | undefined {
    return this.first.get(label);
  }
}

function scalar(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const v = node.value;
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}
