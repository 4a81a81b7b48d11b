import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Duplex, Transform, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Decompress } from 'fzstd';
import { LIMITS, type ArtifactMember } from '@repro-registry/attestation';
import { readTar, TarFormatError, type SparseFormat } from '../core/tar/reader';
import { findExecutable } from './which';

export type Compression = 'zst' | 'gz' | 'none';

/**
 * An image archive in three layers, so a difference can be placed: the compressed file, the tar
 * stream inside it, and the files inside that.
 */
export interface ArchiveDigest {
  /** SHA-256 of the archive file itself. */
  sha256: string;
  size: number;
  compression: Compression;
  /** SHA-256 and length of the uncompressed tar stream (the file itself for a plain tar). */
  tarSha256: string;
  tarSize: number;
  /** Regular files inside, by path; at most `LIMITS.membersPerArtifact` (the largest ones if there are more). */
  members: ArtifactMember[];
  /** Files inside the archive in all (may exceed `members.length`). */
  memberCount: number;
  /** Sparse members and how GNU tar stored each (`gnu-old`, `pax-0.0`, `pax-0.1`, `pax-1.0`). */
  sparseMembers: Array<{ path: string; format: SparseFormat }>;
  /** How the archive was decompressed: the `zstd` program, the pure-JS fzstd, zlib, or nothing. */
  decoder: 'zstd-binary' | 'fzstd' | 'zlib' | 'none';
}

export class ArchiveError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ArchiveError';
  }
}

/** Compression from the first bytes, not the file name (a renamed file still decodes). */
export async function detectCompression(path: string): Promise<Compression | null> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(512);
    const { bytesRead } = await handle.read(head, 0, 512, 0);
    if (bytesRead >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gz';
    if (bytesRead >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return 'zst';
    if (bytesRead >= 262 && head.subarray(257, 262).toString('latin1') === 'ustar') return 'none';
    return null;
  } finally {
    await handle.close();
  }
}

function fzstdStream(): Transform {
  let decoder: Decompress | null = null;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      try {
        decoder ??= new Decompress((data) => {
          this.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
        });
        decoder.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        callback();
      } catch (error) {
        callback(
          new ArchiveError(`not valid zstd data: ${(error as Error).message}`, { cause: error }),
        );
      }
    },
    flush(callback) {
      try {
        decoder?.push(new Uint8Array(0), true);
        callback();
      } catch (error) {
        callback(
          new ArchiveError(`not valid zstd data: ${(error as Error).message}`, { cause: error }),
        );
      }
    },
  });
}

/** `zstd -dc` as a duplex stream; fails the pipeline if the program exits non-zero. */
function zstdBinaryStream(program: string): Duplex {
  const child = spawn(program, ['-dcq'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => void (stderr += text));
  const duplex = Duplex.from({ writable: child.stdin, readable: child.stdout });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  child.stdout.on('end', () => {
    void exited.then((code) => {
      if (code !== 0)
        duplex.destroy(new ArchiveError(`zstd failed: ${stderr.trim() || `exit ${code}`}`));
    });
  });
  child.on('error', (error) =>
    duplex.destroy(new ArchiveError(`could not run ${program}: ${error.message}`)),
  );
  return duplex;
}

/** A clean relative path for the attestation: no leading `./` or `/`, no `..`. */
function memberPath(name: string): string | null {
  const trimmed = name
    .replace(/^(\.\/)+/, '')
    .replace(/^\/+/, '')
    .replace(/\/+$/, '');
  if (
    trimmed === '' ||
    trimmed.split('/').some((part) => part === '..' || part === '.' || part === '')
  )
    return null;
  return new TextEncoder().encode(trimmed).length <= LIMITS.memberPathBytes ? trimmed : null;
}

/** Holes are hashed from one zero buffer: a 1 GiB hole costs hashing, not allocating. */
const ZEROS = new Uint8Array(1 << 20);

function hashZeros(hash: ReturnType<typeof createHash>, count: number): void {
  let left = count;
  while (left > 0) {
    const n = Math.min(left, ZEROS.length);
    hash.update(ZEROS.subarray(0, n));
    left -= n;
  }
}

/**
 * Reads an image archive once: the SHA-256 of the file, of the tar stream inside it, and of
 * every file inside that (`boot.img`, `root.img`, `VERSION.TXT`…) as `tar -x` would extract it —
 * sparse members expanded, so each hash is what `sha256sum` prints for the extracted file —
 * streaming, without unpacking to disk. `.tar.zst` goes through the `zstd` program when there
 * is one (it decompresses on the other core), otherwise through fzstd.
 */
export async function digestArchive(args: {
  path: string;
  onProgress?: (progress: { bytesDone: number; bytesTotal: number }) => void;
  /** `auto`: zstd binary if found, else fzstd. */
  zstdDecoder?: 'auto' | 'binary' | 'fzstd';
}): Promise<ArchiveDigest> {
  const compression = await detectCompression(args.path);
  if (compression === null)
    throw new ArchiveError(`${args.path} is not a tar, .tar.gz or .tar.zst archive`);
  const handle = await open(args.path, 'r');
  const { size: bytesTotal } = await handle.stat();
  await handle.close();

  let decoder: ArchiveDigest['decoder'] =
    compression === 'gz' ? 'zlib' : compression === 'none' ? 'none' : 'fzstd';
  let decompress: Duplex | Transform | null = null;
  if (compression === 'gz') decompress = createGunzip();
  if (compression === 'zst') {
    const wanted = args.zstdDecoder ?? 'auto';
    const program = wanted === 'fzstd' ? null : await findExecutable('zstd');
    if (wanted === 'binary' && program === null)
      throw new ArchiveError('the zstd program was asked for but is not on PATH');
    if (program !== null) {
      decompress = zstdBinaryStream(program);
      decoder = 'zstd-binary';
    } else {
      decompress = fzstdStream();
    }
  }

  const outer = createHash('sha256');
  let bytesDone = 0;
  const tee = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      outer.update(chunk);
      bytesDone += chunk.length;
      args.onProgress?.({ bytesDone, bytesTotal });
      callback(null, chunk);
    },
  });
  const stages: Array<NodeJS.ReadableStream | NodeJS.WritableStream> = [
    createReadStream(args.path, { highWaterMark: 1 << 20 }),
    tee,
  ];
  if (decompress !== null) stages.push(decompress);
  const tarStream = (pipeline as unknown as (...s: unknown[]) => NodeJS.ReadableStream)(
    ...stages,
    () => undefined,
  );

  const tarHash = decompress === null ? null : createHash('sha256');
  let tarSize = 0;
  async function* tarBytes(): AsyncGenerator<Uint8Array> {
    for await (const chunk of tarStream as AsyncIterable<Buffer>) {
      tarHash?.update(chunk);
      tarSize += chunk.length;
      yield chunk;
    }
  }

  const found = new Map<string, ArtifactMember & { bytes: number }>();
  const sparseMembers: ArchiveDigest['sparseMembers'] = [];
  let memberCount = 0;
  try {
    await readTar(tarBytes(), {
      entry(entry) {
        const path = memberPath(entry.path);
        if (path === null) return null;
        if (entry.type === 'hardlink') {
          // Extracted, a hard link is a file with its target's content.
          const target = found.get(memberPath(entry.linkName) ?? '');
          if (target !== undefined) {
            memberCount++;
            found.set(path, { ...target, path });
          }
          return null;
        }
        if (entry.type !== 'file') return null;
        memberCount++;
        if (entry.sparse !== null) sparseMembers.push({ path, format: entry.sparse });
        const hash = createHash('sha256');
        return {
          data: (bytes) => void hash.update(bytes),
          zeros: (count) => hashZeros(hash, count),
          end: () => {
            // A tar may hold a path twice; extracting keeps the last one, so do we.
            found.delete(path);
            found.set(path, {
              path,
              sha256: hash.digest('hex'),
              size: String(entry.size),
              bytes: entry.size,
            });
          },
        };
      },
    });
  } catch (error) {
    (tarStream as unknown as { destroy?: () => void }).destroy?.();
    if (error instanceof ArchiveError) throw error;
    const reason = error instanceof TarFormatError ? error.message : (error as Error).message;
    throw new ArchiveError(`could not read ${args.path} as a tar archive: ${reason}`, {
      cause: error,
    });
  }

  // Over the format's limit, keep the largest files: the disk images, where differences live.
  let kept = [...found.values()];
  if (kept.length > LIMITS.membersPerArtifact) {
    kept = [...kept]
      .sort((a, b) => b.bytes - a.bytes || a.path.localeCompare(b.path))
      .slice(0, LIMITS.membersPerArtifact);
  }
  const members = kept
    .map(({ path, sha256, size }) => ({ path, sha256, size }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const sha256 = outer.digest('hex');
  return {
    sha256,
    size: bytesDone,
    compression,
    tarSha256: tarHash === null ? sha256 : tarHash.digest('hex'),
    tarSize,
    members,
    memberCount,
    sparseMembers,
    decoder,
  };
}
