// The text form of a self-authenticating principal (IC interface spec, "Principals" and
// "Textual representation of principals"): SHA-224 of the DER key, then 0x02; a big-endian
// CRC-32 of those 29 bytes in front; lowercase RFC 4648 base32 without padding, in groups of
// five joined by "-". Written out because @dfinity/principal's `selfAuthenticating().toText()`
// (array spreads, a regex split) cost more than the rest of an attestation's schema check;
// `principal-text.test.ts` checks it against that library.
import { sha224 } from '@noble/hashes/sha2.js';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

const CRC32_TABLE = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let crc = -1;
  for (let i = 0; i < bytes.length; i++) crc = CRC32_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

/** Principal text of the self-authenticating id of a DER-encoded public key. */
export function selfAuthenticatingPrincipalText(derPublicKey: Uint8Array): string {
  const id = new Uint8Array(29);
  id.set(sha224(derPublicKey), 0);
  id[28] = 0x02;
  const crc = crc32(id);
  const all = new Uint8Array(33);
  all[0] = crc >>> 24;
  all[1] = (crc >>> 16) & 0xff;
  all[2] = (crc >>> 8) & 0xff;
  all[3] = crc & 0xff;
  all.set(id, 4);
  let out = '';
  let chars = 0;
  let buffer = 0;
  let bits = 0;
  const emit = (index: number): void => {
    if (chars > 0 && chars % 5 === 0) out += '-';
    out += BASE32[index];
    chars++;
  };
  for (let i = 0; i < all.length; i++) {
    buffer = (buffer << 8) | all[i];
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      emit((buffer >>> bits) & 31);
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) emit((buffer << (5 - bits)) & 31);
  return out;
}
