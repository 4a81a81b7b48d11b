/*
 * A streaming tar reader that hands each member's *extracted* content to a sink: sparse members
 * (every GNU form) are expanded with their holes as zeros, so a member's SHA-256 is what
 * `sha256sum` prints for the file `tar -x` writes. Written here because the npm tar readers
 * (tar-stream, node-tar) hand a sparse member's stored bytes, not its content, or refuse it.
 * Pure: reads any AsyncIterable of byte chunks; hashing and files are the caller's.
 */
import {
  BLOCK,
  TarFormatError,
  isZeroBlock,
  oldGnuSparseEntries,
  parseHeader,
  parsePaxRecords,
  textField,
} from './headers';
import {
  Sparse1MapReader,
  checkSparseMap,
  sparseFromPax,
  MAX_SPARSE_ENTRIES,
  type SparseFormat,
  type SparseInfo,
} from './sparse';

export { TarFormatError } from './headers';
export type { SparseFormat } from './sparse';

export type TarEntryType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';

export interface TarEntry {
  /** The member's name as stored (after long-name, pax `path` and sparse-name records). */
  path: string;
  type: TarEntryType;
  /** Size of the extracted file (the real size of a sparse member). */
  size: number;
  linkName: string;
  /** How a sparse member was stored; null for an ordinary one. */
  sparse: SparseFormat | null;
}

/** Receives one member's extracted content, in order. */
export interface MemberSink {
  data(bytes: Uint8Array): void;
  /** `count` zero bytes: a hole of a sparse member. */
  zeros(count: number): void;
  end(): void;
}

export interface TarVisitor {
  /** Return a sink to receive the member's content, or null to skip it. */
  entry(entry: TarEntry): MemberSink | null;
}

export interface TarSummary {
  entries: number;
  /** Whether the archive ended with the zero block that marks its end (GNU tar accepts either). */
  endMarker: boolean;
}

/** Largest pax header or GNU long name read into memory. */
const MAX_META_BYTES = 1 << 20;

class ByteSource {
  private chunk: Uint8Array = new Uint8Array(0);
  private at = 0;
  private done = false;
  private readonly iterator: AsyncIterator<Uint8Array>;
  /** Bytes consumed so far. */
  position = 0;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  private async fill(): Promise<boolean> {
    while (this.at >= this.chunk.length) {
      if (this.done) return false;
      const next = await this.iterator.next();
      if (next.done === true) {
        this.done = true;
        return false;
      }
      this.chunk = next.value;
      this.at = 0;
    }
    return true;
  }

  /** Up to `max` bytes (a view, valid until the next read), or null at the end. */
  async readSome(max: number): Promise<Uint8Array | null> {
    if (!(await this.fill())) return null;
    const n = Math.min(max, this.chunk.length - this.at);
    const out = this.chunk.subarray(this.at, this.at + n);
    this.at += n;
    this.position += n;
    return out;
  }

  /** Exactly `n` bytes, or null when the stream ends before the first of them. */
  async readExactly(n: number, what: string): Promise<Uint8Array | null> {
    const first = await this.readSome(n);
    if (first === null) return null;
    if (first.length === n) return first;
    const out = new Uint8Array(n);
    out.set(first);
    let filled = first.length;
    while (filled < n) {
      const more = await this.readSome(n - filled);
      if (more === null) throw new TarFormatError(`the tar stream ends inside ${what}`);
      out.set(more, filled);
      filled += more.length;
    }
    return out;
  }

  async required(n: number, what: string): Promise<Uint8Array> {
    const bytes = await this.readExactly(n, what);
    if (bytes === null) throw new TarFormatError(`the tar stream ends before ${what}`);
    return bytes;
  }

  async copy(n: number, what: string, sink: MemberSink | null): Promise<void> {
    let left = n;
    while (left > 0) {
      const bytes = await this.readSome(left);
      if (bytes === null) throw new TarFormatError(`the tar stream ends inside ${what}`);
      sink?.data(bytes);
      left -= bytes.length;
    }
  }

  async drain(): Promise<void> {
    while ((await this.readSome(Number.MAX_SAFE_INTEGER)) !== null) {
      /* the rest is padding to the record size */
    }
  }
}

const padding = (n: number): number => (BLOCK - (n % BLOCK)) % BLOCK;

function entryType(typeflag: string): TarEntryType {
  switch (typeflag) {
    case '0':
    case '7':
    case 'S':
      return 'file';
    case '5':
      return 'directory';
    case '2':
      return 'symlink';
    case '1':
      return 'hardlink';
    case 'M':
      throw new TarFormatError('a multi-volume continuation member: this is not a whole archive');
    default:
      return 'other';
  }
}

function paxValue(records: ReadonlyArray<[string, string]> | null, key: string): string | null {
  if (records === null) return null;
  let value: string | null = null;
  for (const [k, v] of records) if (k === key) value = v;
  return value;
}

/** Reads a tar stream to its end, handing every member to the visitor. */
export async function readTar(
  source: AsyncIterable<Uint8Array>,
  visitor: TarVisitor,
): Promise<TarSummary> {
  const src = new ByteSource(source);
  let pax: Array<[string, string]> | null = null;
  let longName: string | null = null;
  let longLink: string | null = null;
  let entries = 0;

  const readMeta = async (size: number, what: string): Promise<Uint8Array> => {
    if (size > MAX_META_BYTES) throw new TarFormatError(`${what} of ${size} bytes is too large`);
    const data = await src.required(size, what);
    const copy = Uint8Array.from(data);
    await src.copy(padding(size), what, null);
    return copy;
  };

  for (;;) {
    const block = await src.readExactly(BLOCK, 'a header');
    if (block === null) return { entries, endMarker: false };
    if (isZeroBlock(block)) {
      await src.drain();
      return { entries, endMarker: true };
    }
    const header = parseHeader(block, src.position - BLOCK);
    switch (header.typeflag) {
      case 'x':
        pax = parsePaxRecords(await readMeta(header.size, 'a pax extended header'));
        continue;
      case 'g':
        // Global records (e.g. a comment) change nothing we report.
        await readMeta(header.size, 'a pax global header');
        continue;
      case 'L':
        longName = textField(await readMeta(header.size, 'a GNU long name'), 0, header.size);
        continue;
      case 'K':
        longLink = textField(await readMeta(header.size, 'a GNU long link name'), 0, header.size);
        continue;
      default:
        break;
    }

    let path = paxValue(pax, 'path') ?? longName ?? header.name;
    const linkName = paxValue(pax, 'linkpath') ?? longLink ?? header.linkName;
    const paxSize = paxValue(pax, 'size');
    const storedSize =
      paxSize !== null && /^\d{1,16}$/.test(paxSize) ? Number(paxSize) : header.size;
    const type = entryType(header.typeflag);

    let sparse: SparseInfo | null = null;
    if (header.gnuSparse !== null) {
      const map = [...header.gnuSparse.entries];
      let extended = header.gnuSparse.extended;
      while (extended) {
        const ext = await src.required(BLOCK, 'a GNU sparse extension block');
        map.push(...oldGnuSparseEntries(ext, 0, 21));
        if (map.length > MAX_SPARSE_ENTRIES)
          throw new TarFormatError('the GNU sparse map has too many segments');
        extended = ext[504] !== 0;
      }
      sparse = { format: 'gnu-old', realSize: header.gnuSparse.realSize, map, name: null };
    } else if (type === 'file') {
      sparse = sparseFromPax(pax ?? []);
    }
    if (sparse?.name) path = sparse.name;

    let dataBytes = storedSize;
    if (sparse !== null && sparse.map === null) {
      // pax 1.0: the map comes first in the member's data, in whole blocks.
      const mapReader = new Sparse1MapReader();
      let map = null;
      while (map === null) {
        if (dataBytes < BLOCK)
          throw new TarFormatError('the pax 1.0 sparse map runs past the member');
        map = mapReader.push(await src.required(BLOCK, 'a pax 1.0 sparse map'));
        dataBytes -= BLOCK;
      }
      sparse.map = map;
    }
    if (sparse !== null) checkSparseMap(sparse.map!, sparse.realSize, dataBytes);

    entries++;
    const sink = visitor.entry({
      path,
      type,
      size: sparse === null ? storedSize : sparse.realSize,
      linkName,
      sparse: sparse?.format ?? null,
    });
    const what = `member ${path}`;
    if (sparse !== null && sink !== null) {
      let at = 0;
      for (const { offset, numBytes } of sparse.map!) {
        if (offset > at) sink.zeros(offset - at);
        await src.copy(numBytes, what, sink);
        at = offset + numBytes;
      }
      if (sparse.realSize > at) sink.zeros(sparse.realSize - at);
    } else {
      await src.copy(dataBytes, what, sink);
    }
    await src.copy(padding(storedSize), what, null);
    sink?.end();
    pax = null;
    longName = null;
    longLink = null;
  }
}
