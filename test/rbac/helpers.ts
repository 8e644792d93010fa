import yaml from 'js-yaml';
import { isK8sObject } from '../../src/core/object.js';
import type { ScannedObject } from '../../src/core/types.js';
import { buildInventory, type Inventory } from '../../src/k8s/inventory.js';

/** An inventory of the objects in a multi-document YAML string. */
export function inventoryOf(text: string): Inventory {
  const objects: ScannedObject[] = yaml
    .loadAll(text)
    .filter(isK8sObject)
    .map((object, documentIndex) => ({ object, origin: { kind: 'file' as const, reader: 'file' as const, file: 'test.yaml', documentIndex } }));
  return buildInventory(objects);
}
