/*
 * GNU tar's sparse files, in every form GNU tar 1.34 writes (see its manual, "Storing Sparse
 * Files"): the old GNU 'S' header with extension blocks (`--format=gnu`, the default), and the
 * pax forms 0.0 (repeated GNU.sparse.offset/numbytes records), 0.1 (GNU.sparse.map) and 1.0
 * (the map at the start of the member's data). A sparse member stores only its data segments;
 * its extracted file is those segments at their offsets with zeros in between, `realSize` long.
 */
import { TarFormatError, type SparseEntry } from './headers';

export type SparseFormat = 'gnu-old' | 'pax-0.0' | 'pax-0.1' | 'pax-1.0';

export interface SparseInfo {
  format: SparseFormat;
  realSize: number;
  /** Null for pax 1.0 until the map at the start of the data has been read. */
  map: SparseEntry[] | null;
  /** The member's real name (pax 0.1 and 1.0 store a placeholder in the header). */
  name: string | null;
}

/** Bounds memory on hostile input; an IC-OS root.img has a few thousand segments. */
export const MAX_SPARSE_ENTRIES = 1 << 20;

function decimal(text: string, what: string): number {
  if (!/^\d{1,16}$/.test(text))
    throw new TarFormatError(`${what} is not a decimal number: "${text.slice(0, 40)}"`);
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new TarFormatError(`${what} is too large`);
  return value;
}

/** The sparse description carried by pax records, or null when the member is not sparse. */
export function sparseFromPax(records: ReadonlyArray<[string, string]>): SparseInfo | null {
  let major: string | null = null;
  let minor: string | null = null;
  let realSize: number | null = null;
  let name: string | null = null;
  let numBlocks: number | null = null;
  let mapText: string | null = null;
  const offsets: number[] = [];
  const numBytes: number[] = [];
  for (const [key, value] of records) {
    if (!key.startsWith('GNU.sparse.')) continue;
    switch (key) {
      case 'GNU.sparse.major':
        major = value;
        break;
      case 'GNU.sparse.minor':
        minor = value;
        break;
      case 'GNU.sparse.size':
      case 'GNU.sparse.realsize':
        realSize = decimal(value, key);
        break;
      case 'GNU.sparse.name':
        name = value;
        break;
      case 'GNU.sparse.numblocks':
        numBlocks = decimal(value, key);
        if (numBlocks > MAX_SPARSE_ENTRIES)
          throw new TarFormatError(`${key} ${numBlocks} is too many segments`);
        break;
      case 'GNU.sparse.offset':
        offsets.push(decimal(value, key));
        break;
      case 'GNU.sparse.numbytes':
        numBytes.push(decimal(value, key));
        break;
      case 'GNU.sparse.map':
        mapText = value;
        break;
      default:
        break;
    }
  }
  const any = major !== null || realSize !== null || mapText !== null || offsets.length > 0;
  if (!any) return null;
  if (realSize === null)
    throw new TarFormatError('a sparse member has no GNU.sparse.size/realsize');
  if (major !== null) {
    if (major !== '1' || minor !== '0')
      throw new TarFormatError(`unsupported GNU sparse format ${major}.${minor ?? '?'}`);
    return { format: 'pax-1.0', realSize, map: null, name };
  }
  let map: SparseEntry[];
  let format: SparseFormat;
  if (mapText !== null) {
    format = 'pax-0.1';
    const parts = mapText === '' ? [] : mapText.split(',');
    if (parts.length % 2 !== 0)
      throw new TarFormatError('GNU.sparse.map has an odd number of values');
    if (parts.length / 2 > MAX_SPARSE_ENTRIES)
      throw new TarFormatError('GNU.sparse.map has too many segments');
    map = [];
    for (let i = 0; i < parts.length; i += 2)
      map.push({
        offset: decimal(parts[i], 'GNU.sparse.map offset'),
        numBytes: decimal(parts[i + 1], 'GNU.sparse.map numbytes'),
      });
  } else {
    format = 'pax-0.0';
    if (offsets.length !== numBytes.length)
      throw new TarFormatError('GNU.sparse.offset and GNU.sparse.numbytes do not pair up');
    map = offsets.map((offset, i) => ({ offset, numBytes: numBytes[i] }));
  }
  if (numBlocks !== null && numBlocks !== map.length)
    throw new TarFormatError(
      `GNU.sparse.numblocks says ${numBlocks} segments, the map has ${map.length}`,
    );
  return { format, realSize, map, name };
}

/**
 * Reads the pax 1.0 map at the start of a member's data: decimal numbers, one per line (the
 * count, then offset and numbytes pairs), padded with NULs to a whole number of 512-byte
 * blocks. Fed block by block; returns the map once complete.
 */
export class Sparse1MapReader {
  private readonly numbers: number[] = [];
  private current = '';
  private count: number | null = null;
  blocksRead = 0;

  /** Consumes one 512-byte block; the map when it is complete (the rest of that block is padding). */
  push(block: Uint8Array): SparseEntry[] | null {
    this.blocksRead++;
    for (let i = 0; i < block.length; i++) {
      const c = block[i];
      if (c === 0x0a) {
        this.numbers.push(decimal(this.current, 'pax 1.0 sparse map value'));
        this.current = '';
        if (this.count === null) {
          this.count = this.numbers[0];
          if (this.count > MAX_SPARSE_ENTRIES)
            throw new TarFormatError('the pax 1.0 sparse map has too many segments');
        }
        if (this.numbers.length === 1 + 2 * this.count) {
          const map: SparseEntry[] = [];
          for (let k = 1; k < this.numbers.length; k += 2)
            map.push({ offset: this.numbers[k], numBytes: this.numbers[k + 1] });
          return map;
        }
      } else if (c >= 0x30 && c <= 0x39) {
        this.current += String.fromCharCode(c);
        if (this.current.length > 16)
          throw new TarFormatError('a pax 1.0 sparse map value is too long');
      } else {
        throw new TarFormatError(
          'the pax 1.0 sparse map holds a byte that is not a digit or newline',
        );
      }
    }
    return null;
  }
}

/**
 * Checks a map against the member: segments in order, not overlapping, inside the real size,
 * and together exactly the stored data.
 */
export function checkSparseMap(
  map: readonly SparseEntry[],
  realSize: number,
  storedBytes: number,
): void {
  let end = 0;
  let total = 0;
  for (const { offset, numBytes } of map) {
    if (offset < end) throw new TarFormatError('sparse map segments overlap or are out of order');
    end = offset + numBytes;
    if (end > realSize) throw new TarFormatError('a sparse map segment lies beyond the file size');
    total += numBytes;
  }
  if (total !== storedBytes)
    throw new TarFormatError(
      `the sparse map covers ${total} bytes, the member stores ${storedBytes}`,
    );
}
