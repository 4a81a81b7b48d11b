#!/usr/bin/env node
// Checks the registry's transparency log with Node's standard library only (no npm packages).
//
//   node check-log.mjs inclusion <proof.json>     # {leaf, leaf_index, tree_size, proof[], root}
//   node check-log.mjs consistency <proof.json>   # {old_size, old_root, new_size, new_root, proof[]}
//   node check-log.mjs checkpoint <note.txt>      # prints origin, size and root of the note
//
// Bytes are base64 (as `dfx canister call … --output json` and the checkpoint text give them).
// The checkpoint's IC certificate (its signature line) needs a BLS12-381 verifier, which Node
// does not have: check it with `repro log` or @dfinity/agent; these checks need only SHA-256.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const sha256 = (...parts) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};
const leafHash = (leaf) => sha256(Buffer.of(0), leaf);
const nodeHash = (l, r) => sha256(Buffer.of(1), l, r);
const b64 = (s) => Buffer.from(s, 'base64');

// RFC 9162 §2.1.3.2.
function rootFromInclusion(hash, index, size, proof) {
  if (index >= size) throw new Error('leaf index past the tree size');
  let fn = index;
  let sn = size - 1;
  let r = hash;
  for (const p of proof) {
    if (sn === 0) throw new Error('proof too long');
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) throw new Error('proof too short');
  return r;
}

// RFC 9162 §2.1.4.2.
function checkConsistency(m, n, oldRoot, newRoot, proof) {
  if (m < 1 || m > n) throw new Error('sizes out of range');
  if (m === n) return proof.length === 0 && oldRoot.equals(newRoot);
  const path = (m & (m - 1)) === 0 ? [oldRoot, ...proof] : proof;
  if (path.length === 0) return false;
  let fn = m - 1;
  let sn = n - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && fr.equals(oldRoot) && sr.equals(newRoot);
}

const [what, file] = process.argv.slice(2);
const text = readFileSync(file, 'utf8');
if (what === 'inclusion') {
  const p = JSON.parse(text);
  const leaf = b64(p.leaf);
  const root = rootFromInclusion(
    leafHash(leaf),
    Number(p.leaf_index),
    Number(p.tree_size),
    p.proof.map(b64),
  );
  if (!root.equals(b64(p.root))) {
    console.error('FAILED: the proof leads to another root');
    process.exit(1);
  }
  console.log(
    `OK: leaf ${p.leaf_index} is in the log of ${p.tree_size} leaves: ${leaf.toString('utf8')}`,
  );
} else if (what === 'consistency') {
  const p = JSON.parse(text);
  const ok = checkConsistency(
    Number(p.old_size),
    Number(p.new_size),
    b64(p.old_root),
    b64(p.new_root),
    p.proof.map(b64),
  );
  if (!ok) {
    console.error('FAILED: the newer log does not extend the older one');
    process.exit(1);
  }
  console.log(`OK: the log of ${p.new_size} leaves extends the one of ${p.old_size}`);
} else if (what === 'checkpoint') {
  const [origin, size, root] = text.slice(0, text.indexOf('\n\n')).split('\n');
  if (!/^(0|[1-9][0-9]*)$/.test(size) || b64(root).length !== 32) {
    console.error('FAILED: not a checkpoint');
    process.exit(1);
  }
  console.log(JSON.stringify({ origin, size: Number(size), root }));
} else {
  console.error('usage: node check-log.mjs inclusion|consistency|checkpoint <file>');
  process.exit(2);
}
