/**
 * The slice of the `reflect-metadata` API that tsyringe (a dependency of @peculiar/x509) checks
 * for at load time and calls: define, get and get-own metadata. The package itself is not a
 * dependency here, and this module must be imported before @peculiar/x509.
 */
type MetadataTarget = object;
type Store = Map<string | symbol | undefined, Map<unknown, unknown>>;

const metadata = new WeakMap<MetadataTarget, Store>();

function ownMap(target: MetadataTarget, property: string | symbol | undefined, create: boolean): Map<unknown, unknown> | undefined {
  let byProperty = metadata.get(target);
  if (!byProperty) {
    if (!create) return undefined;
    byProperty = new Map();
    metadata.set(target, byProperty);
  }
  let values = byProperty.get(property);
  if (!values && create) {
    values = new Map();
    byProperty.set(property, values);
  }
  return values;
}

const reflect = Reflect as unknown as Record<string, unknown>;
if (typeof reflect.getMetadata !== 'function') {
  reflect.defineMetadata = (key: unknown, value: unknown, target: MetadataTarget, property?: string | symbol): void => {
    ownMap(target, property, true)?.set(key, value);
  };
  reflect.getOwnMetadata = (key: unknown, target: MetadataTarget, property?: string | symbol): unknown => ownMap(target, property, false)?.get(key);
  reflect.getMetadata = (key: unknown, target: MetadataTarget, property?: string | symbol): unknown => {
    // Walks the prototype chain as reflect-metadata does, so subclasses see their parents' metadata.
    for (let current: MetadataTarget | null = target; current; current = Object.getPrototypeOf(current) as MetadataTarget | null) {
      const values = ownMap(current, property, false);
      if (values?.has(key)) return values.get(key);
    }
    return undefined;
  };
}

export {};
