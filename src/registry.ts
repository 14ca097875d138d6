/**
 * A name → spec map for predicates and filters. Built-ins and plugins register the same way;
 * registering a name again replaces the earlier spec, so a plugin can override a built-in.
 */
export interface NamedSpec {
  readonly name: string;
}

export class Registry<T extends NamedSpec> {
  private readonly specs = new Map<string, T>();

  constructor(specs: Iterable<T> = []) {
    for (const spec of specs) this.register(spec);
  }

  register(spec: T): this {
    if (typeof spec.name !== 'string' || spec.name === '') {
      throw new TypeError('a spec needs a non-empty name');
    }
    this.specs.set(spec.name, spec);
    return this;
  }

  get(name: string): T | undefined {
    return this.specs.get(name);
  }

  has(name: string): boolean {
    return this.specs.has(name);
  }

  names(): string[] {
    return [...this.specs.keys()].sort();
  }
}
