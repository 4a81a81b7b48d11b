/*
 * One JSON style for every `--json` output: camelCase keys, `null` for absent values, u64 (and
 * any nat/int) as decimal strings, principals as text, blobs as hex. Registry replies come in
 * Candid's shapes (`opt` as `[]`/`[x]`, snake_case, bigint): this converts them by walking the
 * method's own Candid type from the contract (@repro-registry/registry-api), so nothing is guessed from values.
 */
import { IDL } from '@dfinity/candid';
import type { Principal } from '@dfinity/principal';
import { methodType, type MethodName } from '@repro-registry/registry-api';

export function camelCase(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** A Candid value as plain JSON, by its type. */
export function candidToJson(type: IDL.Type, value: unknown): unknown {
  if (type instanceof IDL.RecClass) return candidToJson(type.getType()!, value);
  if (type instanceof IDL.OptClass) {
    const opt = value as unknown[];
    return opt.length === 0 ? null : candidToJson(type._type, opt[0]);
  }
  if (type instanceof IDL.VecClass) {
    if (type._type instanceof IDL.FixedNatClass && type._type._bits === 8)
      return Buffer.from(value as Uint8Array).toString('hex');
    return (value as unknown[]).map((v) => candidToJson(type._type, v));
  }
  if (type instanceof IDL.TupleClass) {
    const items = value as unknown[];
    return type._fields.map(([, t], i) => candidToJson(t, items[i]));
  }
  if (type instanceof IDL.RecordClass) {
    const record = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [key, fieldType] of type._fields)
      out[camelCase(key)] = candidToJson(fieldType, record[key]);
    return out;
  }
  if (type instanceof IDL.VariantClass) {
    const variant = value as Record<string, unknown>;
    const [key] = Object.keys(variant);
    const fieldType = type._fields.find(([k]) => k === key)?.[1];
    // An enum-like variant (no payload) is its tag; otherwise `{ <tag>: payload }`.
    if (fieldType === undefined || fieldType instanceof IDL.NullClass) return camelCase(key);
    return { [camelCase(key)]: candidToJson(fieldType, variant[key]) };
  }
  if (type instanceof IDL.PrincipalClass) return (value as Principal).toText();
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/**
 * A registry method's reply value in the JSON style. For `variant { Ok : T; Err }` results the
 * client has already unwrapped `Ok`: `value` is a `T`.
 */
export function registryJson(method: MethodName, value: unknown): unknown {
  let type: IDL.Type | undefined = methodType(method).retTypes[0];
  if (type === undefined) return value;
  if (type instanceof IDL.RecClass) type = type.getType()!;
  if (type instanceof IDL.VariantClass) {
    const ok = type._fields.find(([k]) => k === 'Ok')?.[1];
    if (ok !== undefined) type = ok;
  }
  return candidToJson(type, value);
}
