/*
 * The fields of a tar header block as GNU tar 1.34 writes them (`--format=gnu` and
 * `--format=posix`): numbers in octal or GNU base-256, names with the POSIX prefix, pax
 * extended records. Pure: bytes in, values out; bad input throws `TarFormatError`.
 */

export const BLOCK = 512;

export class TarFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TarFormatError';
  }
}

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8', { fatal: false });

/** A NUL-terminated text field (names are UTF-8 in every tar GNU writes today). */
export function textField(block: Uint8Array, offset: number, length: number): string {
  let end = offset;
  while (end < offset + length && block[end] !== 0) end++;
  return utf8.decode(block.subarray(offset, end));
}

/**
 * A numeric field: octal digits (leading spaces/NULs allowed, ended by space or NUL), or GNU's
 * base-256 form (high bit of the first byte set) that tar uses for sizes ≥ 8 GiB.
 */
export function numberField(
  block: Uint8Array,
  offset: number,
  length: number,
  what: string,
): number {
  const first = block[offset];
  if ((first & 0x80) !== 0) {
    if (first === 0xff) throw new TarFormatError(`${what} is negative (base-256)`);
    let value = first & 0x7f;
    for (let i = 1; i < length; i++) {
      value = value * 256 + block[offset + i];
      if (!Number.isSafeInteger(value)) throw new TarFormatError(`${what} is too large`);
    }
    return value;
  }
  let i = offset;
  const end = offset + length;
  while (i < end && (block[i] === 0x20 || block[i] === 0)) i++;
  let value = 0;
  let digits = 0;
  for (; i < end; i++) {
    const c = block[i];
    if (c === 0x20 || c === 0) break;
    if (c < 0x30 || c > 0x37)
      throw new TarFormatError(
        `${what} is not an octal number ("${latin1.decode(block.subarray(offset, end))}")`,
      );
    value = value * 8 + (c - 0x30);
    digits++;
  }
  if (!Number.isSafeInteger(value)) throw new TarFormatError(`${what} is too large`);
  return digits === 0 ? 0 : value;
}

/** True when the block's checksum field matches its bytes (unsigned sum, or the signed sum old tars wrote). */
export function checksumMatches(block: Uint8Array): boolean {
  const stored = numberField(block, 148, 8, 'header checksum');
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const byte = i >= 148 && i < 156 ? 0x20 : block[i];
    unsigned += byte;
    signed += byte >= 0x80 ? byte - 256 : byte;
  }
  return stored === unsigned || stored === signed;
}

export function isZeroBlock(block: Uint8Array): boolean {
  for (let i = 0; i < BLOCK; i++) if (block[i] !== 0) return false;
  return true;
}

export type HeaderMagic = 'posix' | 'gnu' | 'v7';

export interface RawHeader {
  name: string;
  typeflag: string;
  size: number;
  linkName: string;
  magic: HeaderMagic;
  /** Old GNU sparse ('S') headers: the map entries in the header and whether extension blocks follow. */
  gnuSparse: { entries: SparseEntry[]; extended: boolean; realSize: number } | null;
}

export interface SparseEntry {
  offset: number;
  numBytes: number;
}

/** Up to `count` 24-byte (offset, numbytes) pairs from an old GNU sparse header or extension block. */
export function oldGnuSparseEntries(
  block: Uint8Array,
  start: number,
  count: number,
): SparseEntry[] {
  const entries: SparseEntry[] = [];
  for (let i = 0; i < count; i++) {
    const at = start + i * 24;
    // An unused slot is all NULs: the list ends there.
    if (block[at] === 0) break;
    entries.push({
      offset: numberField(block, at, 12, 'sparse offset'),
      numBytes: numberField(block, at + 12, 12, 'sparse numbytes'),
    });
  }
  return entries;
}

export function parseHeader(block: Uint8Array, position: number): RawHeader {
  if (!checksumMatches(block))
    throw new TarFormatError(`invalid tar header checksum at byte ${position} of the tar stream`);
  const magicText = latin1.decode(block.subarray(257, 265));
  const magic: HeaderMagic = magicText.startsWith('ustar\u000000')
    ? 'posix'
    : magicText === 'ustar  \u0000'
      ? 'gnu'
      : 'v7';
  let name = textField(block, 0, 100);
  if (magic === 'posix') {
    const prefix = textField(block, 345, 155);
    if (prefix !== '') name = `${prefix}/${name}`;
  }
  const typeflag = block[156] === 0 ? '0' : String.fromCharCode(block[156]);
  const header: RawHeader = {
    name,
    typeflag,
    size: numberField(block, 124, 12, 'size'),
    linkName: textField(block, 157, 100),
    magic,
    gnuSparse: null,
  };
  if (typeflag === 'S') {
    header.gnuSparse = {
      entries: oldGnuSparseEntries(block, 386, 4),
      extended: block[482] !== 0,
      realSize: numberField(block, 483, 12, 'sparse real size'),
    };
  }
  return header;
}

/**
 * Pax extended header records, in order (`GNU.sparse.offset` / `numbytes` repeat, so a map
 * would lose them): each is `"<length> <key>=<value>\n"`, the length counting the whole record.
 */
export function parsePaxRecords(data: Uint8Array): Array<[string, string]> {
  const records: Array<[string, string]> = [];
  let at = 0;
  while (at < data.length) {
    if (data[at] === 0) break; // NUL padding after the last record
    let length = 0;
    let i = at;
    while (i < data.length && data[i] >= 0x30 && data[i] <= 0x39) {
      length = length * 10 + (data[i] - 0x30);
      i++;
    }
    if (i === at || data[i] !== 0x20 || length <= i - at + 1 || at + length > data.length)
      throw new TarFormatError(`malformed pax extended header record at byte ${at}`);
    const record = data.subarray(i + 1, at + length);
    if (record[record.length - 1] !== 0x0a)
      throw new TarFormatError(
        `pax extended header record at byte ${at} does not end in a newline`,
      );
    const text = utf8.decode(record.subarray(0, record.length - 1));
    const eq = text.indexOf('=');
    if (eq <= 0) throw new TarFormatError(`pax extended header record at byte ${at} has no key`);
    records.push([text.slice(0, eq), text.slice(eq + 1)]);
    at += length;
  }
  return records;
}
