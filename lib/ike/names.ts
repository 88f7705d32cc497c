// Names for wire numbers, from the generated constant tables: for logs, the
// dissector (ikelb decode) and error messages. Lookups are built once.
import { ConstantTables, TransformType, type ConstantTableName } from './constants';

const reverse = new Map<ConstantTableName, ReadonlyMap<number, string>>();

function table(name: ConstantTableName): ReadonlyMap<number, string> {
  let map = reverse.get(name);
  if (map === undefined) {
    const m = new Map<number, string>();
    for (const [key, value] of Object.entries(ConstantTables[name])) {
      if (!m.has(value)) m.set(value, key);
    }
    map = m;
    reverse.set(name, map);
  }
  return map;
}

/** The constant's name, or undefined when the table has no such value. */
export function constantName(tableName: ConstantTableName, value: number): string | undefined {
  return table(tableName).get(value);
}

/** The name when known, else the number: what a dissector prints. */
export function nameOrNumber(tableName: ConstantTableName, value: number): string | number {
  return constantName(tableName, value) ?? value;
}

/** Transform IDs are per transform type (RFC 7296 §3.3.2). */
export function transformIdName(transformType: number, id: number): string | number {
  switch (transformType) {
    case TransformType.ENCR:
      return nameOrNumber('EncrId', id);
    case TransformType.PRF:
      return nameOrNumber('PrfId', id);
    case TransformType.INTEG:
      return nameOrNumber('IntegId', id);
    case TransformType.ESN:
      return nameOrNumber('EsnId', id);
    default: {
      // DH and the RFC 9370 additional key exchanges share the group registry.
      const keyExchange = transformType === TransformType.DH || (transformType >= TransformType.ADDKE1 && transformType <= TransformType.ADDKE7);
      return keyExchange ? nameOrNumber('DhGroup', id) : id;
    }
  }
}

/** Names of the HeaderFlag bits set in a flags octet, reserved bits as hex. */
export function headerFlagNames(flags: number): string[] {
  const names: string[] = [];
  let rest = flags;
  for (const [name, bit] of Object.entries(ConstantTables.HeaderFlag)) {
    if ((flags & bit) !== 0) {
      names.push(name);
      rest &= ~bit;
    }
  }
  if (rest !== 0) names.push(`0x${rest.toString(16).padStart(2, '0')}`);
  return names;
}
