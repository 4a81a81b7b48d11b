/**
 * Verification of RFC 9162 proofs, step by step as the RFC writes it (§2.1.3.2 inclusion,
 * §2.1.4.2 consistency), for readers: the client, the CLI, the frontend. Pure; sizes are plain
 * numbers and the bit shifts are divisions, so sizes past 2^32 work too.
 */
import { refuse, LogErrorCode, type Checked } from './codes';
import { equalBytes, nodeHash } from './hashing';

const half = (n: number) => Math.floor(n / 2);
const odd = (n: number) => n % 2 === 1;

function malformed(hashes: readonly Uint8Array[]): Checked<void> | undefined {
  for (const h of hashes) {
    if (!(h instanceof Uint8Array) || h.length !== 32) {
      return refuse(LogErrorCode.PROOF_MALFORMED, 'every hash and root must be 32 bytes');
    }
  }
  return undefined;
}

const validSize = (n: number) => Number.isSafeInteger(n) && n >= 0;

/** Whether `proof` shows the leaf whose hash is `leafHash` at `index` in the tree `root`. */
export function verifyInclusion(args: {
  leafHash: Uint8Array;
  index: number;
  treeSize: number;
  proof: readonly Uint8Array[];
  root: Uint8Array;
}): Checked<void> {
  const bad = malformed([args.leafHash, args.root, ...args.proof]);
  if (bad) return bad;
  if (!validSize(args.treeSize) || !validSize(args.index) || args.index >= args.treeSize) {
    return refuse(
      LogErrorCode.LEAF_INDEX_OUT_OF_RANGE,
      `leaf ${args.index} is not in a tree of ${args.treeSize} leaves`,
    );
  }
  let fn = args.index;
  let sn = args.treeSize - 1;
  let r = args.leafHash;
  for (const p of args.proof) {
    if (sn === 0) return refuse(LogErrorCode.PROOF_LENGTH, 'the proof has too many hashes');
    if (odd(fn) || fn === sn) {
      r = nodeHash(p, r);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) return refuse(LogErrorCode.PROOF_LENGTH, 'the proof has too few hashes');
  if (!equalBytes(r, args.root)) {
    return refuse(LogErrorCode.ROOT_MISMATCH, 'the proof leads to another root');
  }
  return { ok: true, value: undefined };
}

/** Whether `proof` shows the tree (`oldSize`, `oldRoot`) to be a prefix of (`newSize`, `newRoot`). */
export function verifyConsistency(args: {
  oldSize: number;
  newSize: number;
  oldRoot: Uint8Array;
  newRoot: Uint8Array;
  proof: readonly Uint8Array[];
}): Checked<void> {
  const { oldSize, newSize, oldRoot, newRoot, proof } = args;
  const bad = malformed([oldRoot, newRoot, ...proof]);
  if (bad) return bad;
  // Consistency with the empty tree proves nothing, so it is refused (as transparency-dev's
  // verifier does): a reader that saw only an empty log has nothing to compare yet.
  if (!validSize(oldSize) || !validSize(newSize) || oldSize < 1 || oldSize > newSize) {
    return refuse(
      LogErrorCode.TREE_SIZE_OUT_OF_RANGE,
      `no consistency from ${oldSize} to ${newSize} leaves`,
    );
  }
  if (oldSize === newSize) {
    // Nothing to prove but that the roots are one; RFC 9162's proofs are for 0 < m < n.
    if (proof.length !== 0) return refuse(LogErrorCode.PROOF_LENGTH, 'the proof must be empty');
    if (!equalBytes(oldRoot, newRoot)) {
      return refuse(LogErrorCode.NEW_ROOT_MISMATCH, 'one size, two roots');
    }
    return { ok: true, value: undefined };
  }
  if (proof.length === 0) return refuse(LogErrorCode.PROOF_LENGTH, 'the proof is empty');
  const path = highestPowerOfTwoEquals(oldSize) ? [oldRoot, ...proof] : [...proof];
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return refuse(LogErrorCode.PROOF_LENGTH, 'the proof has too many hashes');
    if (odd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) return refuse(LogErrorCode.PROOF_LENGTH, 'the proof has too few hashes');
  if (!equalBytes(fr, oldRoot)) {
    return refuse(LogErrorCode.OLD_ROOT_MISMATCH, 'the proof does not lead to the older root');
  }
  if (!equalBytes(sr, newRoot)) {
    return refuse(LogErrorCode.NEW_ROOT_MISMATCH, 'the proof does not lead to the newer root');
  }
  return { ok: true, value: undefined };
}

function highestPowerOfTwoEquals(n: number): boolean {
  let k = 1;
  while (k < n) k *= 2;
  return k === n;
}
