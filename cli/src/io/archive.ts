import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Duplex, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { Decompress } from 'fzstd';
import tar from 'tar-stream';
import { LIMITS, type ArtifactMember } from '@repro-registry/attestation';
import { findExecutable } from './which';

export type Compression = 'zst' | 'gz' | 'none';

export interface ArchiveDigest {
  /** SHA-256 of the archive file itself. */
  sha256: string;
  size: number;
  compression: Compression;
  /** Regular files inside, by path; at most `LIMITS.membersPerArtifact` (the largest ones if there are more). */
  members: ArtifactMember[];
  /** Files inside the archive in all (may exceed `members.length`). */
  memberCount: number;
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
  const trimmed = name.replace(/^(\.\/)+/, '').replace(/^\/+/, '');
  if (
    trimmed === '' ||
    trimmed.split('/').some((part) => part === '..' || part === '.' || part === '')
  )
    return null;
  return new TextEncoder().encode(trimmed).length <= LIMITS.memberPathBytes ? trimmed : null;
}

/**
 * Reads an image archive once: the SHA-256 of the file and the SHA-256 of every file inside
 * (`boot.img`, `root.img`, version files…), streaming, without unpacking to disk. `.tar.zst`
 * goes through the `zstd` program when there is one (much faster), otherwise through fzstd.
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

  const found: Array<ArtifactMember & { bytes: number }> = [];
  let memberCount = 0;
  const extract = tar.extract();
  extract.on('entry', (header, stream, next) => {
    const path = memberPath(header.name);
    const isFile = header.type === 'file' || header.type === 'contiguous-file';
    if (!isFile || path === null) {
      stream.on('end', () => next()).resume();
      return;
    }
    memberCount += 1;
    const hash = createHash('sha256');
    let size = 0;
    stream.on('data', (chunk) => {
      const data = chunk as Buffer;
      hash.update(data);
      size += data.length;
    });
    stream.on('end', () => {
      found.push({ path, sha256: hash.digest('hex'), size: String(size), bytes: size });
      next();
    });
    stream.on('error', next);
  });

  const stages: Array<NodeJS.ReadableStream | NodeJS.WritableStream | Duplex | Transform> = [
    createReadStream(args.path, { highWaterMark: 1 << 20 }),
    tee,
  ];
  if (decompress !== null) stages.push(decompress);
  stages.push(extract);
  try {
    await (pipeline as (...streams: unknown[]) => Promise<void>)(...stages);
  } catch (error) {
    if (error instanceof ArchiveError) throw error;
    throw new ArchiveError(
      `could not read ${args.path} as a tar archive: ${(error as Error).message}`,
      { cause: error },
    );
  }

  // A tar may hold a path twice; extracting keeps the last one, so do we.
  const lastByPath = new Map(found.map((m) => [m.path, m]));
  // Over the format's limit, keep the largest files: the disk images, where differences live.
  let kept = [...lastByPath.values()];
  if (kept.length > LIMITS.membersPerArtifact) {
    kept = [...kept]
      .sort((a, b) => b.bytes - a.bytes || a.path.localeCompare(b.path))
      .slice(0, LIMITS.membersPerArtifact);
  }
  const members = kept
    .map(({ path, sha256, size }) => ({ path, sha256, size }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    sha256: outer.digest('hex'),
    size: bytesDone,
    compression,
    members,
    memberCount,
    decoder,
  };
}
