/**
 * Checkpoints as text, in the layout of C2SP tlog-checkpoint (a signed note):
 *
 *   <origin>\n
 *   <size, decimal>\n
 *   <root, base64>\n
 *   \n
 *   — <origin> <base64(key ID || signature)>\n
 *
 * The log's head is not signed by an operator key: the signature line carries the IC
 * certificate of the canister's certified data and the witness that shows `log/size` and
 * `log/root` in it. Signature type 0xff ("no identifier byte assigned") followed by
 * "ic-certified-data"; the key is the canister id (the IC root key that signs the certificate is
 * the reader's configuration, as the network's), so
 *
 *   key ID    = SHA-256(origin || 0x0A || 0xFF || "ic-certified-data" || canisterId)[:4]
 *   signature = certificate length (u32, big endian) || certificate (CBOR) || witness (CBOR)
 *
 * Tools that know signed notes but not this type ignore the line, as the note format asks.
 */
import {
  base64Decode,
  base64Encode,
  sha256,
  utf8Decode,
  utf8Encode,
} from '@repro-registry/attestation';

import { LogErrorCode, refuse, type Checked } from './codes';

/** Canonical base64 or null (the attestation package's decoder throws). */
function base64OrNull(text: string): Uint8Array | null {
  try {
    return base64Decode(text);
  } catch {
    return null;
  }
}

export const SIGNATURE_TYPE = 'ic-certified-data';

export interface CheckpointBody {
  origin: string;
  size: number;
  root: Uint8Array;
}

export interface CheckpointSignature {
  certificate: Uint8Array;
  witness: Uint8Array;
}

export interface ParsedCheckpoint extends CheckpointBody {
  /** The note text (the three lines with their newlines): what the signature is over. */
  text: string;
  /** Signature lines under the origin's name with the expected key ID, decoded. */
  signatures: CheckpointSignature[];
}

/** The log's origin line for a registry canister. */
export const originOf = (canisterId: string): string => `${canisterId}.icp0.io/log`;

export function keyId(args: { origin: string; canisterId: Uint8Array }): Uint8Array {
  const digest = sha256(
    utf8Encode(args.origin),
    Uint8Array.of(0x0a, 0xff),
    utf8Encode(SIGNATURE_TYPE),
    args.canisterId,
  );
  return digest.slice(0, 4);
}

export function checkpointText(body: CheckpointBody): string {
  return `${body.origin}\n${body.size}\n${base64Encode(body.root)}\n`;
}

/** The whole signed note: the checkpoint and its IC certificate line. */
export function signedCheckpoint(
  args: CheckpointBody & CheckpointSignature & { keyId: Uint8Array },
): string {
  return utf8Decode(signedCheckpointBytes(args));
}

const B64 = utf8Encode('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/');

/** Base64 of `bytes` written as ASCII into `out` at `at`; returns the end. */
function writeBase64(out: Uint8Array, at: number, bytes: Uint8Array): number {
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out[at++] = B64[n >> 18];
    out[at++] = B64[(n >> 12) & 63];
    out[at++] = B64[(n >> 6) & 63];
    out[at++] = B64[n & 63];
  }
  const rest = bytes.length - i;
  if (rest > 0) {
    const n = (bytes[i] << 16) | (rest === 2 ? bytes[i + 1] << 8 : 0);
    out[at++] = B64[n >> 18];
    out[at++] = B64[(n >> 12) & 63];
    out[at++] = rest === 2 ? B64[(n >> 6) & 63] : 0x3d;
    out[at++] = 0x3d;
  }
  return at;
}

/**
 * The signed note as UTF-8 bytes, written directly: in the canister's interpreter building the
 * text as a string and encoding it costs several M instructions per kilobyte of certificate.
 */
export function signedCheckpointBytes(
  args: CheckpointBody & CheckpointSignature & { keyId: Uint8Array },
): Uint8Array {
  const signature = new Uint8Array(4 + 4 + args.certificate.length + args.witness.length);
  signature.set(args.keyId, 0);
  new DataView(signature.buffer).setUint32(4, args.certificate.length);
  signature.set(args.certificate, 8);
  signature.set(args.witness, 8 + args.certificate.length);
  const head = utf8Encode(`${checkpointText(args)}\n\u2014 ${args.origin} `);
  const out = new Uint8Array(head.length + Math.ceil(signature.length / 3) * 4 + 1);
  out.set(head, 0);
  const end = writeBase64(out, head.length, signature);
  out[end] = 0x0a;
  return out;
}

const malformed = (why: string) => refuse<ParsedCheckpoint>(LogErrorCode.CHECKPOINT_MALFORMED, why);

/**
 * Reads a signed checkpoint. Signature lines of other keys (another name or key ID) are
 * ignored; the caller verifies the certificates of the ones returned.
 */
export function parseCheckpoint(
  note: string,
  expectedKeyId: Uint8Array,
): Checked<ParsedCheckpoint> {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0009\u000b-\u001f]/.test(note)) return malformed('control characters');
  const split = note.indexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) return malformed('no blank line before the signatures');
  const text = note.slice(0, split + 1);
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) return malformed('a checkpoint has an origin, a size and a root');
  const [origin, sizeText, rootText] = lines;
  if (origin === '') return malformed('empty origin');
  if (!/^(0|[1-9][0-9]{0,15})$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) {
    return malformed('the size is not a decimal number');
  }
  const root = base64OrNull(rootText);
  if (root === null || root.length !== 32) return malformed('the root is not 32 bytes of base64');
  const signatures: CheckpointSignature[] = [];
  for (const line of note.slice(split + 2, -1).split('\n')) {
    const match = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    if (match === null) return malformed('a signature line is not "— name base64"');
    if (match[1] !== origin) continue;
    const bytes = base64OrNull(match[2]);
    if (bytes === null || bytes.length < 8) return malformed('a signature is not base64');
    if (!bytes.subarray(0, 4).every((b, i) => b === expectedKeyId[i])) continue;
    const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(4);
    if (8 + length > bytes.length) return malformed('the certificate length overruns the line');
    signatures.push({
      certificate: bytes.slice(8, 8 + length),
      witness: bytes.slice(8 + length),
    });
  }
  return {
    ok: true,
    value: { origin, size: Number(sizeText), root, text, signatures },
  };
}
