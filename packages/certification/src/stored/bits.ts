/**
 * Labels as bit strings for the crit-bit shape of stored maps. A label is read as one 9-bit
 * symbol per byte (a 1, then the byte's 8 bits) followed by a single 0: comparing these strings
 * bit by bit orders labels exactly as the hash tree requires (bytewise, a proper prefix first),
 * and no label's string is a prefix of another's, so every pair has a first differing bit.
 */

/** Bit `position` of the string of `label` (0 past its end). */
export function bitAt(label: Uint8Array, position: number): number {
  const symbol = Math.floor(position / 9);
  const offset = position - symbol * 9;
  if (symbol >= label.length) return 0; // the terminating 0 (and nothing after it)
  if (offset === 0) return 1;
  return (label[symbol] >> (8 - offset)) & 1;
}

/** The first position where the strings of two different labels differ. */
export function critBit(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] ^ b[i];
    if (x !== 0) return i * 9 + 1 + Math.clz32(x) - 24;
  }
  if (a.length === b.length) throw new RangeError('critBit of equal labels');
  return n * 9; // one ends here: its terminator against the other's continuation bit
}

/**
 * The bytes that fix the first `bits` bits of `label`'s string: whole bytes, then the leading
 * bits of a partial one (the rest masked). Nodes of a crit-bit tree are keyed by it, so a node's
 * key depends only on the prefix all its labels share.
 */
export function prefixBytes(label: Uint8Array, bits: number): Uint8Array {
  const whole = Math.floor(bits / 9);
  const partial = bits - whole * 9 - 1; // byte bits shared beyond the continuation bit
  if (partial <= 0) return label.subarray(0, whole);
  const out = new Uint8Array(whole + 1);
  out.set(label.subarray(0, whole));
  out[whole] = label[whole] & (0xff << (8 - partial)) & 0xff;
  return out;
}
