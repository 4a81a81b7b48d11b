import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

/** Bytes per read: large enough that syscalls and JS overhead vanish next to hashing, small enough that both buffers stay in the CPU cache (measured: 1 MiB beats 4 MiB). */
export const HASH_CHUNK_BYTES = 1024 * 1024;

export interface HashProgress {
  bytesDone: number;
  bytesTotal: number;
}

/**
 * SHA-256 of a file, streaming with constant memory (two reused buffers). The next read runs
 * in libuv's thread pool while the current chunk is hashed on the main thread, so reading and
 * hashing overlap; the hash itself is OpenSSL's (the same code `openssl dgst` runs).
 */
export async function sha256File(args: {
  path: string;
  onProgress?: (progress: HashProgress) => void;
  chunkBytes?: number;
}): Promise<{ sha256: string; size: number }> {
  const chunk = args.chunkBytes ?? HASH_CHUNK_BYTES;
  const handle = await open(args.path, 'r');
  try {
    const { size } = await handle.stat();
    const hash = createHash('sha256');
    const buffers = [Buffer.allocUnsafe(chunk), Buffer.allocUnsafe(chunk)];
    let position = 0;
    let which = 0;
    let pending = handle.read(buffers[which], 0, chunk, position);
    for (;;) {
      const { bytesRead } = await pending;
      if (bytesRead === 0) break;
      const current = buffers[which];
      position += bytesRead;
      which ^= 1;
      pending = handle.read(buffers[which], 0, chunk, position);
      hash.update(bytesRead === chunk ? current : current.subarray(0, bytesRead));
      args.onProgress?.({ bytesDone: position, bytesTotal: Math.max(size, position) });
    }
    return { sha256: hash.digest('hex'), size: position };
  } finally {
    await handle.close();
  }
}
