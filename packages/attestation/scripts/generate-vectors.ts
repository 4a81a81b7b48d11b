/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument --
   Invalid predicates are built by editing loosely typed JSON on purpose: no type describes them. */
// Writes the golden vectors in vectors/valid and vectors/invalid. Deterministic: fixed keys,
// deterministic Ed25519, fixed JSON. Each invalid vector states the rejection it is built to
// cause, and the script refuses to write one that `verifyAttestation` rejects for another
// reason. Once committed, the vector files are the truth; rerun only to add vectors.
//
//   npx tsx packages/attestation/scripts/generate-vectors.ts
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  FormatErrorCode,
  base64Decode,
  base64Encode,
  ed25519PublicKeyFromSecret,
  PREDICATE_TYPE_V1,
  PREDICATE_TYPE_V2,
  pae,
  principalFromEd25519PublicKey,
  signAttestation,
  utf8Encode,
  verifyAttestation,
} from '../src/index';
import type { UnsignedPredicate } from '../src/index';
import {
  KEY_A,
  KEY_B,
  allUnknown,
  builderOf,
  clone,
  craftEnvelope,
  illustrativeHash,
  kvmContainerMismatchV2,
  kvmMatchWithMembers,
  realisticMatch,
  replaceOnce,
  statementOf,
  v2Of,
  virtualboxBuildFailure,
  wsl2DiskFullV2,
  wsl2Mismatch,
} from './vectors-lib';
import type { LoosePredicate } from './vectors-lib';

type Expected = { ok: true } | { code: string; field?: string };
interface Vector {
  description: string;
  /** The envelope bytes as text (their UTF-8 encoding is the input). */
  envelope?: string;
  /** Only for envelopes that are not valid UTF-8 and so cannot be a JSON string. */
  envelopeBase64?: string;
  expected: Expected;
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'vectors');
const vectors = new Map<string, Vector>();

function add(file: string, vector: Vector): void {
  if (vectors.has(file)) throw new Error(`duplicate vector name ${file}`);
  const bytes =
    vector.envelopeBase64 !== undefined
      ? base64Decode(vector.envelopeBase64)
      : utf8Encode(vector.envelope!);
  const result = verifyAttestation(bytes);
  const expected = vector.expected;
  if ('ok' in expected) {
    if (!result.ok)
      throw new Error(`${file}: expected ok, got ${result.error.code} ${result.error.message}`);
  } else if (
    result.ok ||
    result.error.code !== expected.code ||
    result.error.field !== expected.field
  ) {
    const got = result.ok
      ? 'ok'
      : `${result.error.code} at ${result.error.field} (${result.error.message})`;
    throw new Error(`${file}: expected ${expected.code} at ${expected.field}, got ${got}`);
  }
  vectors.set(file, vector);
}

function valid(name: string, description: string, envelope: string): void {
  add(`valid/${name}.json`, { description, envelope, expected: { ok: true } });
}

function invalid(
  name: string,
  description: string,
  envelope: string,
  code: string,
  field?: string,
): void {
  const file = `invalid/${code.toLowerCase().replace(/_/g, '-')}--${name}.json`;
  add(file, { description, envelope, expected: field === undefined ? { code } : { code, field } });
}

function invalidBytes(
  name: string,
  description: string,
  bytes: Uint8Array,
  code: string,
  field?: string,
): void {
  const file = `invalid/${code.toLowerCase().replace(/_/g, '-')}--${name}.json`;
  const expected = field === undefined ? { code } : { code, field };
  add(file, { description, envelopeBase64: base64Encode(bytes), expected });
}

/** Signed by `signAttestation`; version 1 unless told (the older vectors are version 1). */
function signed(
  predicate: LoosePredicate,
  secretKey: Uint8Array,
  predicateType: typeof PREDICATE_TYPE_V1 | typeof PREDICATE_TYPE_V2 = PREDICATE_TYPE_V1,
): string {
  const unsigned = clone(predicate);
  delete unsigned['builder'];
  return new TextDecoder().decode(
    signAttestation({
      predicate: unsigned as unknown as UnsignedPredicate,
      secretKey,
      predicateType,
    }).envelopeBytes,
  );
}

/** A version 2 predicate changed by `edit`, signed correctly by builder A. */
function editedV2(edit: (p: any) => void, base = kvmContainerMismatchV2()): string {
  edit(base);
  return craftEnvelope({ predicate: base, predicateType: PREDICATE_TYPE_V2 });
}

/** A realistic predicate changed by `edit`, signed correctly by builder A. */
function edited(edit: (p: any) => void): string {
  const p = realisticMatch();
  edit(p);
  return craftEnvelope({ predicate: p });
}

/** The realistic statement's JSON with one textual replacement, signed correctly by builder A. */
function textEdited(from: string, to: string, predicate = realisticMatch()): string {
  return craftEnvelope({
    statementText: replaceOnce(JSON.stringify(statementOf(predicate)), from, to),
  });
}

/** The realistic statement with trailing spaces so that its length is ≡ `remainder` (mod 3). */
function statementTextOfLength(remainder: number): string {
  let text = JSON.stringify(statementOf(realisticMatch()));
  while (utf8Encode(text).length % 3 !== remainder) text += ' ';
  return text;
}

function statementBytesEnvelope(statementBytes: Uint8Array): string {
  return craftEnvelope({ statementBytes });
}

// ---------------------------------------------------------------- valid

valid(
  'guestos-hostos-match',
  'GuestOS and HostOS both match (commit bcac7ca3 and its release-package hashes from mainnet-icos-revisions.json; proposal id illustrative), bare metal, signed by signAttestation',
  signed(realisticMatch(), KEY_A),
);
valid(
  'wsl2-mismatch-with-members',
  'Proposal 54964 from the forum thread built under WSL2: mismatch localised to root.img by members (built hash from the thread; expected and member hashes illustrative)',
  signed(wsl2Mismatch(), KEY_B),
);
valid(
  'virtualbox-build-failed-with-note',
  "Proposal 56257 build failed in a VirtualBox VM; the note holds the thread's PermissionError traceback (newlines and tabs)",
  signed(virtualboxBuildFailure(), KEY_A),
);
valid(
  'kvm-match-members-and-not-built',
  'GuestOS match on KVM with archive members, SetupOS and recovery not built, cleanCache unknown, no note',
  signed(kvmMatchWithMembers(), KEY_B),
);
valid(
  'all-unknown',
  'Every nullable environment field null, virtualization unknown, one artifact not built',
  signed(allUnknown(), KEY_A),
);
valid(
  'unicode-note',
  'Note and labels with non-ASCII text: accents, CJK, an emoji ZWJ sequence (U+200D is allowed) and astral characters',
  signed(
    (() => {
      const p = realisticMatch();
      p['note'] = 'Gebaut in Zürich — 検証済み ✓ 👩‍💻 𝄞';
      (p['environment'] as any).cpuModel = 'Intel® Core™ i9-13900K';
      return p;
    })(),
    KEY_A,
  ),
);
valid(
  'pretty-printed-with-escapes',
  'Statement bytes as a person might write them: indented, escaped (\\u0055, \\/, \\n), keys in another order. Verified as sent, never re-serialised',
  (() => {
    const p = realisticMatch();
    const statement = statementOf(p);
    const reordered = {
      predicate: statement['predicate'],
      predicateType: statement['predicateType'],
      subject: statement['subject'],
      _type: statement['_type'],
    };
    let text = JSON.stringify(reordered, null, 2);
    text = replaceOnce(text, '"Ubuntu"', '"\\u0055buntu"');
    text = replaceOnce(text, 'Ran ./ci/tools/', 'Ran .\\/ci\\/tools\\/');
    text = replaceOnce(text, "proposal's own commit.", "proposal's own commit.\\nSecond line.");
    return craftEnvelope({ statementText: `\r\n\t ${text} \r\n` });
  })(),
);
valid(
  'limits-boundary',
  'Every limit reached but not exceeded: note of 2000 bytes, 64 members with 256-byte paths, 128-byte name and labels, u64-max counts and proposal id, 65536 CPUs, nanosecond times with finishedOn = startedOn',
  (() => {
    const p = realisticMatch();
    const artifacts = p['artifacts'] as any[];
    artifacts[0].name = 'n'.repeat(120) + '.tar.zst';
    artifacts[0].members = Array.from({ length: 64 }, (_, i) => ({
      path: `dir/${String(i).padStart(2, '0')}/` + 'é'.repeat(124) + 'x', // 256 bytes
      sha256: illustrativeHash(`member ${i}`),
      size: '18446744073709551615',
    }));
    p['proposal'] = {
      id: '18446744073709551615',
      commit: 'ffffffffffffffffffffffffffffffffffffffff',
    };
    const env = p['environment'] as any;
    env.cpuModel = '€'.repeat(42) + 'xy'; // 126 + 2 bytes
    env.cpuCount = 65536;
    env.memoryBytes = '18446744073709551615';
    p['build'] = {
      startedOn: '2026-02-28T23:59:59.999999999Z',
      finishedOn: '2026-02-28T23:59:59.999999999Z',
      cleanCache: false,
    };
    p['note'] = '✓'.repeat(666) + 'ab'; // 1998 + 2 bytes
    return signed(p, KEY_A);
  })(),
);
valid(
  'leap-day-fraction-order',
  'Leap day 2028-02-29; finishedOn has fewer fraction digits than startedOn yet is later (instants are compared, not strings)',
  (() => {
    const p = realisticMatch();
    p['build'] = {
      startedOn: '2028-02-29T10:00:00.123456Z',
      finishedOn: '2028-02-29T10:00:00.2Z',
      cleanCache: true,
    };
    return signed(p, KEY_A);
  })(),
);

// ---------------------------------------------------------------- envelope level

const base = craftEnvelope({});
const principalA = builderOf(KEY_A).id;
const principalB = builderOf(KEY_B).id;

invalid(
  'one-byte-over',
  `Envelope of ${65_537} bytes: a valid envelope padded with trailing spaces`,
  base + ' '.repeat(65_537 - utf8Encode(base).length),
  FormatErrorCode.ENVELOPE_TOO_LARGE,
);
invalidBytes(
  'envelope-overlong',
  'Envelope holds the overlong encoding C0 AF of "/" inside the payloadType string',
  (() => {
    const bytes = utf8Encode(base.replace('application/vnd', 'application#vnd'));
    const at = bytes.indexOf(0x23);
    return new Uint8Array([...bytes.subarray(0, at), 0xc0, 0xaf, ...bytes.subarray(at + 1)]);
  })(),
  FormatErrorCode.INVALID_UTF8,
);
invalidBytes(
  'envelope-truncated-sequence',
  'Envelope ends in the middle of a 3-byte UTF-8 sequence (E2 9C)',
  new Uint8Array([...utf8Encode(base), 0xe2, 0x9c]),
  FormatErrorCode.INVALID_UTF8,
);
invalidBytes(
  'envelope-latin1',
  'Envelope written in Latin-1: a lone E9 byte for "é" in an unknown field',
  new Uint8Array([...utf8Encode(base.slice(0, -1) + ',"x":"caf'), 0xe9, ...utf8Encode('"}')]),
  FormatErrorCode.INVALID_UTF8,
);
invalid(
  'payload-surrogate-bytes',
  'Statement bytes encode a UTF-16 surrogate as UTF-8 (ED A0 80, CESU-style) inside the note',
  statementBytesEnvelope(
    (() => {
      const bytes = utf8Encode(
        JSON.stringify(statementOf(realisticMatch())).replace("proposal's", 'proposal#s'),
      );
      const at = bytes.indexOf(0x23);
      return new Uint8Array([
        ...bytes.subarray(0, at),
        0xed,
        0xa0,
        0x80,
        ...bytes.subarray(at + 1),
      ]);
    })(),
  ),
  FormatErrorCode.INVALID_UTF8,
  'payload',
);
invalid(
  'payload-above-u10ffff',
  'Statement bytes hold F4 90 80 80, which would be above U+10FFFF',
  statementBytesEnvelope(
    (() => {
      const bytes = utf8Encode(
        JSON.stringify(statementOf(realisticMatch())).replace("proposal's", 'proposal#s'),
      );
      const at = bytes.indexOf(0x23);
      return new Uint8Array([
        ...bytes.subarray(0, at),
        0xf4,
        0x90,
        0x80,
        0x80,
        ...bytes.subarray(at + 1),
      ]);
    })(),
  ),
  FormatErrorCode.INVALID_UTF8,
  'payload',
);
invalid(
  'trailing-comma',
  'Envelope object ends with a trailing comma',
  base.slice(0, -1) + ',}',
  FormatErrorCode.NOT_JSON,
);
invalid(
  'byte-order-mark',
  'Envelope starts with a UTF-8 byte-order mark',
  '\ufeff' + base,
  FormatErrorCode.NOT_JSON,
);
invalid('two-values', 'Two JSON values one after the other', base + base, FormatErrorCode.NOT_JSON);
invalid(
  'single-quotes',
  'Envelope with single-quoted strings (JavaScript, not JSON)',
  base.replace(/"/g, "'"),
  FormatErrorCode.NOT_JSON,
);
invalid(
  'payload-not-json',
  'The payload decodes to plain text, not JSON',
  statementBytesEnvelope(utf8Encode('GuestOS matched, trust me')),
  FormatErrorCode.NOT_JSON,
  'payload',
);
invalid(
  'payload-comment',
  'Statement JSON with a // comment',
  craftEnvelope({
    statementText: '// signed by me\n' + JSON.stringify(statementOf(realisticMatch())),
  }),
  FormatErrorCode.NOT_JSON,
  'payload',
);
invalid(
  'payload-nan',
  'cpuCount written as NaN',
  textEdited('"cpuCount":32', '"cpuCount":NaN'),
  FormatErrorCode.NOT_JSON,
  'payload',
);
invalid(
  'payload-raw-tab-in-string',
  'An unescaped tab inside a JSON string',
  textEdited('"repro-check"', '"repro\tcheck"'),
  FormatErrorCode.NOT_JSON,
  'payload',
);
invalid(
  'envelope-payload',
  'Envelope repeats "payload": a lenient parser keeps the second, which was never signed',
  base.slice(0, -1) + `,"payload":"${base64Encode(utf8Encode('{}'))}"}`,
  FormatErrorCode.DUPLICATE_KEY,
  'payload',
);
invalid(
  'artifact-sha256',
  'An artifact repeats "sha256" with another hash: JSON.parse would silently keep the last one',
  textEdited(
    '"sha256":"2292b72f5e3cad65651fb8a7858cd5efdbb537b20a7388bb8a01e31f8f047bb1","expectedSha256"',
    `"sha256":"2292b72f5e3cad65651fb8a7858cd5efdbb537b20a7388bb8a01e31f8f047bb1","sha256":"${illustrativeHash('other')}","expectedSha256"`,
  ),
  FormatErrorCode.DUPLICATE_KEY,
  'predicate.artifacts[0].sha256',
);
invalid(
  'escaped-key',
  'Duplicate key spelled differently: "verdict" and "\\u0076erdict" are the same key',
  textEdited('"verdict":"match"}]', '"verdict":"match","\\u0076erdict":"mismatch"}]'),
  FormatErrorCode.DUPLICATE_KEY,
  'predicate.artifacts[1].verdict',
);
invalid(
  'note-high-surrogate',
  'Note ends with the escape \\ud83d: half of an emoji',
  textEdited('own commit."', 'own commit. \\ud83d"'),
  FormatErrorCode.LONE_SURROGATE,
  'predicate.note',
);
invalid(
  'note-low-surrogate',
  'Note holds a lone low surrogate \\ude00',
  textEdited('own commit."', 'own commit. \\ude00"'),
  FormatErrorCode.LONE_SURROGATE,
  'predicate.note',
);
invalid(
  'envelope-deep',
  'An extra envelope field nested 9 arrays deep (the limit is 8 levels): rejected while parsing, before any schema check',
  base.slice(0, -1) + ',"x":[[[[[[[[1]]]]]]]]}',
  FormatErrorCode.NESTING_TOO_DEEP,
  'x[0][0][0][0][0][0][0]',
);
invalid(
  'envelope-field',
  'Envelope has an extra top-level field',
  base.slice(0, -1) + ',"note":"hi"}',
  FormatErrorCode.UNKNOWN_FIELD,
  'note',
);
invalid(
  'signature-field',
  'The signature object has a "publicKey" field (the key belongs in the signed predicate)',
  craftEnvelope({
    envelope: (env) => {
      const sig = (env['signatures'] as any[])[0];
      sig.publicKey = builderOf(KEY_A).publicKey;
      return env;
    },
  }),
  FormatErrorCode.UNKNOWN_FIELD,
  'signatures[0].publicKey',
);
invalid(
  'artifact-comment',
  'An artifact has a "comment" field the format does not define',
  edited((p) => {
    p.artifacts[0].comment = 'fine';
  }),
  FormatErrorCode.UNKNOWN_FIELD,
  'predicate.artifacts[0].comment',
);
invalid(
  'subject-sha512',
  'A subject carries a sha512 digest besides sha256',
  craftEnvelope({
    statementText: (() => {
      const s = statementOf(realisticMatch()) as any;
      s.subject[0].digest.sha512 = 'ab'.repeat(64);
      return JSON.stringify(s);
    })(),
  }),
  FormatErrorCode.UNKNOWN_FIELD,
  'subject[0].digest.sha512',
);
invalid(
  'proto-key',
  'predicate has a "__proto__" key: a plain object would take it as a prototype; here it is just an unknown field',
  textEdited('"proposal":{', '"__proto__":{"note":"x"},"proposal":{'),
  FormatErrorCode.UNKNOWN_FIELD,
  'predicate.__proto__',
);
invalid(
  'environment-git-version',
  'environment lacks gitVersion (unknown must be written as null)',
  edited((p) => {
    delete p.environment.gitVersion;
  }),
  FormatErrorCode.MISSING_FIELD,
  'predicate.environment.gitVersion',
);
invalid(
  'envelope-signatures',
  'Envelope has no signatures field',
  craftEnvelope({
    envelope: (env) => ({ payloadType: env['payloadType']!, payload: env['payload']! }),
  }),
  FormatErrorCode.MISSING_FIELD,
  'signatures',
);
invalid(
  'cpu-count-string',
  'cpuCount is the string "32"',
  edited((p) => {
    p.environment.cpuCount = '32';
  }),
  FormatErrorCode.WRONG_TYPE,
  'predicate.environment.cpuCount',
);
invalid(
  'signatures-object',
  'signatures is an object, not an array',
  craftEnvelope({
    envelope: (env) => ({ ...env, signatures: (env['signatures'] as any[])[0] }),
  }),
  FormatErrorCode.WRONG_TYPE,
  'signatures',
);
invalid(
  'clean-cache-string',
  'cleanCache is "yes"',
  edited((p) => {
    p.build.cleanCache = 'yes';
  }),
  FormatErrorCode.WRONG_TYPE,
  'predicate.build.cleanCache',
);
invalid(
  'tool-name-null',
  'tool.name is null (only environment fields may be unknown)',
  edited((p) => {
    p.tool.name = null;
  }),
  FormatErrorCode.WRONG_TYPE,
  'predicate.tool.name',
);
invalid('envelope-array', 'The envelope is a JSON array', `[${base}]`, FormatErrorCode.WRONG_TYPE);
invalid(
  'json',
  'payloadType is application/json',
  craftEnvelope({ envelope: (env) => ({ ...env, payloadType: 'application/json' }) }),
  FormatErrorCode.PAYLOAD_TYPE_UNSUPPORTED,
  'payloadType',
);
invalid(
  'payload-trailing-bits',
  'Payload base64 whose last symbol has non-zero unused bits (decodes to the same bytes as the canonical form)',
  craftEnvelope({
    statementText: statementTextOfLength(1), // length ≡ 1 (mod 3): ends in "=="

    envelope: (env) => {
      const payload = env['payload'] as string;
      if (!payload.endsWith('==')) throw new Error('expected == padding');
      const last = payload[payload.length - 3];
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
      const bumped = alphabet[alphabet.indexOf(last) + 1];
      return { ...env, payload: payload.slice(0, -3) + bumped + '==' };
    },
  }),
  FormatErrorCode.BASE64_INVALID,
  'payload',
);
invalid(
  'payload-unpadded',
  'Payload base64 without its padding',
  craftEnvelope({
    statementText: statementTextOfLength(2),
    envelope: (env) => ({ ...env, payload: (env['payload'] as string).replace(/=+$/, '') }),
  }),
  FormatErrorCode.BASE64_INVALID,
  'payload',
);
invalid(
  'payload-url-alphabet',
  'Payload in the URL-safe alphabet (- and _)',
  craftEnvelope({
    statementText: JSON.stringify(statementOf(realisticMatch())) + '?>>'.repeat(3),
    envelope: (env) => {
      const payload = env['payload'] as string;
      if (!/[+/]/.test(payload)) throw new Error('expected + or / in the payload');
      return { ...env, payload: payload.replace(/\+/g, '-').replace(/\//g, '_') };
    },
  }),
  FormatErrorCode.BASE64_INVALID,
  'payload',
);
invalid(
  'payload-line-breaks',
  'Payload base64 wrapped at 76 characters (MIME style)',
  craftEnvelope({
    envelope: (env) => ({
      ...env,
      payload: (env['payload'] as string).replace(/(.{76})/g, '$1\n'),
    }),
  }),
  FormatErrorCode.BASE64_INVALID,
  'payload',
);
invalid(
  'signature-padding-inside',
  'Signature base64 with "=" in the middle',
  craftEnvelope({
    envelope: (env) => {
      const sig = (env['signatures'] as any[])[0];
      sig.sig = (sig.sig as string).slice(0, 40) + '=' + (sig.sig as string).slice(41);
      return env;
    },
  }),
  FormatErrorCode.BASE64_INVALID,
  'signatures[0].sig',
);
invalid(
  'public-key',
  'builder.publicKey in base64 without its "=" padding',
  edited((p) => {
    p.builder.publicKey = p.builder.publicKey.replace(/=+$/, '');
  }),
  FormatErrorCode.BASE64_INVALID,
  'predicate.builder.publicKey',
);
invalid(
  'none',
  'signatures is empty',
  craftEnvelope({ envelope: (env) => ({ ...env, signatures: [] }) }),
  FormatErrorCode.SIGNATURE_COUNT,
  'signatures',
);
invalid(
  'two',
  'Two signatures (the format has exactly one signer, the builder)',
  craftEnvelope({
    envelope: (env) => {
      const sigs = env['signatures'] as any[];
      return { ...env, signatures: [sigs[0], sigs[0]] };
    },
  }),
  FormatErrorCode.SIGNATURE_COUNT,
  'signatures',
);
invalid(
  'short',
  'Signature of 63 bytes',
  craftEnvelope({ signature: (s) => s.subarray(0, 63) }),
  FormatErrorCode.SIGNATURE_LENGTH,
  'signatures[0].sig',
);
invalid(
  'bit-flip',
  'One bit of the signature flipped',
  craftEnvelope({
    signature: (s) => {
      const t = s.slice();
      t[10] ^= 1;
      return t;
    },
  }),
  FormatErrorCode.SIGNATURE_INVALID,
  'signatures[0].sig',
);
invalid(
  'wrong-key',
  "Signed by builder B's key, while the predicate names builder A",
  craftEnvelope({ signingKey: KEY_B, keyid: principalA }),
  FormatErrorCode.SIGNATURE_INVALID,
  'signatures[0].sig',
);
invalid(
  'payload-changed-after-signing',
  'The note was edited after signing (the signature covers the original statement)',
  (() => {
    const original = craftEnvelope({});
    const env = JSON.parse(original);
    const statement = new TextDecoder()
      .decode(base64Decode(env.payload))
      .replace('own commit.', 'own commit!');
    env.payload = base64Encode(utf8Encode(statement));
    return JSON.stringify(env);
  })(),
  FormatErrorCode.SIGNATURE_INVALID,
  'signatures[0].sig',
);
invalid(
  'non-canonical-s',
  'S replaced by S + L (the group order): the same point equation holds, but RFC 8032 requires S < L (malleability)',
  craftEnvelope({
    signature: (s) => {
      const L = 2n ** 252n + 27742317777372353535851937790883648493n;
      let S = 0n;
      for (let i = 63; i >= 32; i--) S = (S << 8n) | BigInt(s[i]);
      S += L;
      const t = s.slice();
      for (let i = 32; i < 64; i++) {
        t[i] = Number(S & 255n);
        S >>= 8n;
      }
      return t;
    },
  }),
  FormatErrorCode.SIGNATURE_INVALID,
  'signatures[0].sig',
);
invalid(
  'non-canonical-r',
  'R encoded with y ≥ p (not a canonical point encoding)',
  craftEnvelope({
    signature: (s) => {
      const t = s.slice();
      t.fill(0xff, 0, 31);
      t[0] = 0xee; // y = 2^255 - 18 = p + 1
      t[31] = 0x7f;
      return t;
    },
  }),
  FormatErrorCode.SIGNATURE_INVALID,
  'signatures[0].sig',
);
invalid(
  'no-pae',
  'Signature over the raw statement bytes instead of their DSSE pre-authentication encoding',
  craftEnvelope({ signedMessage: (b) => b }),
  FormatErrorCode.SIGNATURE_INVALID,
  'signatures[0].sig',
);
invalid(
  'other-payload-type',
  'Signature over PAE("application/json", statement): the payload type is bound by the signature',
  craftEnvelope({ signedMessage: (b) => pae('application/json', b) }),
  FormatErrorCode.SIGNATURE_INVALID,
  'signatures[0].sig',
);
invalid(
  'other-builder',
  "keyid names builder B while the predicate is builder A's",
  craftEnvelope({ keyid: principalB }),
  FormatErrorCode.KEYID_MISMATCH,
  'signatures[0].keyid',
);
invalid(
  'v0-1',
  '_type is in-toto Statement v0.1',
  craftEnvelope({
    statementText: JSON.stringify({
      ...statementOf(realisticMatch()),
      _type: 'https://in-toto.io/Statement/v0.1',
    }),
  }),
  FormatErrorCode.STATEMENT_TYPE_UNSUPPORTED,
  '_type',
);
invalid(
  'slsa',
  'predicateType is SLSA provenance',
  craftEnvelope({
    statementText: JSON.stringify({
      ...statementOf(realisticMatch()),
      predicateType: 'https://slsa.dev/provenance/v1',
    }),
  }),
  FormatErrorCode.PREDICATE_TYPE_UNSUPPORTED,
  'predicateType',
);

// ---------------------------------------------------------------- predicate fields

for (const [name, id, description] of [
  ['leading-zero', '0139768', 'proposal.id with a leading zero'],
  ['u64-overflow', '18446744073709551616', 'proposal.id = 2^64 (one past u64)'],
  ['zero', '0', 'proposal.id 0 (NNS proposal ids start at 1)'],
  ['negative', '-5', 'proposal.id negative'],
  ['spaces', ' 139768', 'proposal.id with a leading space'],
] as const) {
  invalid(
    name,
    description,
    edited((p) => void (p.proposal.id = id)),
    FormatErrorCode.PROPOSAL_ID_INVALID,
    'predicate.proposal.id',
  );
}
invalid(
  'number',
  'proposal.id as a JSON number',
  edited((p) => void (p.proposal.id = 139768)),
  FormatErrorCode.WRONG_TYPE,
  'predicate.proposal.id',
);
invalid(
  'abbreviated',
  'commit abbreviated to 8 digits, as people write it in the forum',
  edited((p) => void (p.proposal.commit = 'bcac7ca3')),
  FormatErrorCode.COMMIT_INVALID,
  'predicate.proposal.commit',
);
invalid(
  'uppercase',
  'commit in uppercase hex',
  edited((p) => void (p.proposal.commit = p.proposal.commit.toUpperCase())),
  FormatErrorCode.COMMIT_INVALID,
  'predicate.proposal.commit',
);
invalid(
  'uppercase-sha256',
  'artifact sha256 in uppercase hex (with the subject matching it)',
  edited((p) => {
    p.artifacts[1].sha256 = p.artifacts[1].sha256.toUpperCase();
    p.artifacts[1].expectedSha256 = p.artifacts[1].sha256;
  }),
  FormatErrorCode.HEX_INVALID,
  'subject[1].digest.sha256',
);
invalid(
  'expected-short',
  'expectedSha256 of 63 hex digits',
  edited((p) => void (p.artifacts[1].expectedSha256 = p.artifacts[1].expectedSha256.slice(1))),
  FormatErrorCode.HEX_INVALID,
  'predicate.artifacts[1].expectedSha256',
);
invalid(
  'member-not-hex',
  'a member sha256 with a "g"',
  (() => {
    const p = wsl2Mismatch(builderOf(KEY_A));
    (p['artifacts'] as any[])[0].members[1].sha256 = 'g' + illustrativeHash('x').slice(1);
    return craftEnvelope({ predicate: p });
  })(),
  FormatErrorCode.HEX_INVALID,
  'predicate.artifacts[0].members[1].sha256',
);
invalid(
  'script-sha256-prefixed',
  'tool.scriptSha256 written as "sha256:<hex>"',
  edited((p) => void (p.tool.scriptSha256 = 'sha256:' + p.tool.scriptSha256)),
  FormatErrorCode.HEX_INVALID,
  'predicate.tool.scriptSha256',
);

// A small-order key: the identity point. With R = identity and S = 0 the cofactored equation
// [8]SB = [8]R + [8]kA holds for every message, so a lenient verifier accepts this "signature".
const identityKey = new Uint8Array(32);
identityKey[0] = 1;
invalid(
  'small-order',
  'builder.publicKey is the identity point (small order) with a signature (R = identity, S = 0) that a cofactored, non-strict verifier accepts for any message',
  (() => {
    const builder = {
      id: principalFromEd25519PublicKey(identityKey),
      publicKey: base64Encode(identityKey),
    };
    const sig = new Uint8Array(64);
    sig[0] = 1;
    return craftEnvelope({
      predicate: realisticMatch(builder),
      signature: () => sig,
      keyid: builder.id,
    });
  })(),
  FormatErrorCode.PUBLIC_KEY_INVALID,
  'predicate.builder.publicKey',
);
const nonCanonicalKey = new Uint8Array(32).fill(0xff);
nonCanonicalKey[0] = 0xee;
nonCanonicalKey[31] = 0x7f; // y = p + 1, the same point as y = 1 if reduced
invalid(
  'non-canonical',
  'builder.publicKey encodes y ≥ p (non-canonical)',
  (() => {
    const builder = {
      id: principalFromEd25519PublicKey(nonCanonicalKey),
      publicKey: base64Encode(nonCanonicalKey),
    };
    return craftEnvelope({ predicate: realisticMatch(builder), keyid: builder.id });
  })(),
  FormatErrorCode.PUBLIC_KEY_INVALID,
  'predicate.builder.publicKey',
);
invalid(
  'short',
  'builder.publicKey of 31 bytes',
  (() => {
    const short = ed25519PublicKeyFromSecret(KEY_A).subarray(0, 31);
    const builder = { id: builderOf(KEY_A).id, publicKey: base64Encode(short) };
    return craftEnvelope({ predicate: realisticMatch(builder) });
  })(),
  FormatErrorCode.PUBLIC_KEY_INVALID,
  'predicate.builder.publicKey',
);
invalid(
  'not-on-curve',
  'builder.publicKey is not the encoding of a curve point (y = 2 has no x)',
  (() => {
    const key = new Uint8Array(32);
    key[0] = 2;
    const builder = { id: principalFromEd25519PublicKey(key), publicKey: base64Encode(key) };
    return craftEnvelope({ predicate: realisticMatch(builder), keyid: builder.id });
  })(),
  FormatErrorCode.PUBLIC_KEY_INVALID,
  'predicate.builder.publicKey',
);
invalid(
  'other-principal',
  "builder.id is builder B's principal while publicKey is A's",
  edited((p) => void (p.builder.id = principalB)),
  FormatErrorCode.BUILDER_ID_MISMATCH,
  'predicate.builder.id',
);
invalid(
  'replica',
  'artifact kind "replica"',
  edited((p) => void (p.artifacts[1].kind = 'replica')),
  FormatErrorCode.ARTIFACT_KIND_UNKNOWN,
  'predicate.artifacts[1].kind',
);
invalid(
  'two-guestos',
  'GuestOS listed twice',
  edited((p) => void (p.artifacts[1].kind = 'guestos')),
  FormatErrorCode.ARTIFACT_DUPLICATE,
  'predicate.artifacts[1].kind',
);
invalid(
  'none',
  'no artifacts',
  edited((p) => void (p.artifacts = [])),
  FormatErrorCode.ARTIFACT_COUNT,
  'predicate.artifacts',
);
invalid(
  'six',
  'six artifacts (more than there are kinds)',
  edited((p) => {
    const kinds = [
      'guestos',
      'hostos',
      'setupos',
      'guestos-recovery',
      'launch-measurements',
      'guestos',
    ];
    p.artifacts = kinds.map((kind) => ({
      kind,
      name: 'x',
      sha256: null,
      expectedSha256: null,
      verdict: 'not_built',
    }));
  }),
  FormatErrorCode.ARTIFACT_COUNT,
  'predicate.artifacts',
);
invalid(
  'path-traversal',
  'artifact name "../update-img.tar.zst"',
  edited((p) => void (p.artifacts[1].name = '../update-img.tar.zst')),
  FormatErrorCode.NAME_INVALID,
  'predicate.artifacts[1].name',
);
invalid(
  'matched',
  'verdict "matched"',
  edited((p) => void (p.artifacts[0].verdict = 'matched')),
  FormatErrorCode.VERDICT_UNKNOWN,
  'predicate.artifacts[0].verdict',
);
invalid(
  'match-but-different',
  'verdict "match" while sha256 differs from expectedSha256',
  edited((p) => void (p.artifacts[0].expectedSha256 = illustrativeHash('another'))),
  FormatErrorCode.VERDICT_INCONSISTENT,
  'predicate.artifacts[0].verdict',
);
invalid(
  'mismatch-but-equal',
  'verdict "mismatch" while the hashes are equal',
  edited((p) => void (p.artifacts[1].verdict = 'mismatch')),
  FormatErrorCode.VERDICT_INCONSISTENT,
  'predicate.artifacts[1].verdict',
);
invalid(
  'match-without-expected',
  'verdict "match" with expectedSha256 null',
  edited((p) => void (p.artifacts[0].expectedSha256 = null)),
  FormatErrorCode.VERDICT_INCONSISTENT,
  'predicate.artifacts[0].verdict',
);
invalid(
  'build-failed-with-hash',
  'verdict "build_failed" with a sha256',
  edited((p) => void (p.artifacts[0].verdict = 'build_failed')),
  FormatErrorCode.VERDICT_INCONSISTENT,
  'predicate.artifacts[0].verdict',
);
invalid(
  'not-built-with-members',
  'verdict "not_built" but members listed',
  edited((p) => {
    Object.assign(p.artifacts[1], { sha256: null, verdict: 'not_built' });
    p.artifacts[1].members = [{ path: 'root.img', sha256: illustrativeHash('m'), size: '1' }];
  }),
  FormatErrorCode.VERDICT_INCONSISTENT,
  'predicate.artifacts[1].verdict',
);
invalid(
  'digest',
  "subject[0]'s digest is not the artifact's sha256",
  craftEnvelope({
    statementText: (() => {
      const s = statementOf(realisticMatch()) as any;
      s.subject[0].digest.sha256 = illustrativeHash('swapped');
      return JSON.stringify(s);
    })(),
  }),
  FormatErrorCode.SUBJECT_MISMATCH,
  'subject[0]',
);
invalid(
  'missing-hostos',
  'subject omits the HostOS artifact',
  craftEnvelope({
    statementText: (() => {
      const s = statementOf(realisticMatch()) as any;
      s.subject.pop();
      return JSON.stringify(s);
    })(),
  }),
  FormatErrorCode.SUBJECT_MISMATCH,
  'subject',
);
invalid(
  'order',
  'subjects in the opposite order of the artifacts',
  craftEnvelope({
    statementText: (() => {
      const s = statementOf(realisticMatch()) as any;
      s.subject.reverse();
      return JSON.stringify(s);
    })(),
  }),
  FormatErrorCode.SUBJECT_MISMATCH,
  'subject[0]',
);
invalid(
  'name-without-kind',
  'subject named "update-img.tar.zst" instead of "guestos/update-img.tar.zst"',
  craftEnvelope({
    statementText: (() => {
      const s = statementOf(realisticMatch()) as any;
      s.subject[0].name = 'update-img.tar.zst';
      return JSON.stringify(s);
    })(),
  }),
  FormatErrorCode.SUBJECT_MISMATCH,
  'subject[0]',
);
invalid(
  'not-built-in-subject',
  'subject lists an artifact that was not built',
  craftEnvelope({
    predicate: allUnknown(),
    statementText: (() => {
      const s = statementOf(allUnknown()) as any;
      s.subject.push({
        name: 'hostos/update-img.tar.zst',
        digest: { sha256: illustrativeHash('x') },
      });
      return JSON.stringify(s);
    })(),
  }),
  FormatErrorCode.SUBJECT_MISMATCH,
  'subject',
);

function wsl2Edited(edit: (members: any[]) => void): string {
  const p = wsl2Mismatch(builderOf(KEY_A));
  edit((p['artifacts'] as any[])[0].members);
  return craftEnvelope({ predicate: p });
}
invalid(
  'absolute',
  'member path "/etc/passwd"',
  wsl2Edited((m) => void (m[0].path = '/etc/passwd')),
  FormatErrorCode.MEMBER_INVALID,
  'predicate.artifacts[0].members[0].path',
);
invalid(
  'dot-dot',
  'member path "boot/../root.img"',
  wsl2Edited((m) => void (m[0].path = 'boot/../root.img')),
  FormatErrorCode.MEMBER_INVALID,
  'predicate.artifacts[0].members[0].path',
);
invalid(
  'backslash',
  'member path "boot\\\\root.img"',
  wsl2Edited((m) => void (m[2].path = 'boot\\root.img')),
  FormatErrorCode.MEMBER_INVALID,
  'predicate.artifacts[0].members[2].path',
);
invalid(
  'root-img-twice',
  'root.img listed twice',
  wsl2Edited((m) => void (m[2].path = 'root.img')),
  FormatErrorCode.MEMBER_DUPLICATE,
  'predicate.artifacts[0].members[2].path',
);
invalid(
  'sixty-five',
  '65 members (the limit is 64)',
  wsl2Edited((m) => {
    for (let i = 3; i < 65; i++)
      m.push({ path: `part-${i}.img`, sha256: illustrativeHash(`p${i}`), size: '1' });
  }),
  FormatErrorCode.MEMBER_COUNT,
  'predicate.artifacts[0].members',
);
invalid(
  'size-float',
  'member size "41.0"',
  wsl2Edited((m) => void (m[2].size = '41.0')),
  FormatErrorCode.NUMBER_INVALID,
  'predicate.artifacts[0].members[2].size',
);

for (const [name, time, description] of [
  ['february-30', '2026-02-30T09:12:00Z', 'startedOn on February 30'],
  ['offset', '2026-11-20T10:12:00+01:00', 'startedOn with a +01:00 offset (UTC with Z only)'],
  ['no-zone', '2026-11-20T09:12:00', 'startedOn without a time zone'],
  ['lowercase', '2026-11-20t09:12:00z', 'startedOn with lowercase t and z'],
  ['leap-second', '2026-12-31T23:59:60Z', 'startedOn on a leap second'],
  ['not-leap-year', '2100-02-29T00:00:00Z', 'startedOn on 2100-02-29 (2100 is not a leap year)'],
  ['epoch-number', '1763629920', 'startedOn as Unix seconds'],
] as const) {
  invalid(
    name,
    description,
    edited((p) => void (p.build.startedOn = time)),
    FormatErrorCode.TIME_INVALID,
    'predicate.build.startedOn',
  );
}
invalid(
  'finished-before-started',
  'finishedOn is an hour before startedOn',
  edited((p) => void (p.build.finishedOn = '2026-11-20T08:12:00Z')),
  FormatErrorCode.TIME_ORDER,
  'predicate.build.finishedOn',
);
invalid(
  'fraction',
  'finishedOn 0.5 s before startedOn, visible only in the fraction',
  edited((p) => {
    p.build.startedOn = '2026-11-20T09:12:00.5Z';
    p.build.finishedOn = '2026-11-20T09:12:00Z';
  }),
  FormatErrorCode.TIME_ORDER,
  'predicate.build.finishedOn',
);
invalid(
  'huge-note',
  'note of 2001 bytes: 667 three-byte characters',
  edited((p) => void (p.note = '✓'.repeat(667))),
  FormatErrorCode.TEXT_TOO_LONG,
  'predicate.note',
);
invalid(
  'os-name',
  'osName of 129 bytes',
  edited((p) => void (p.environment.osName = 'U'.repeat(129))),
  FormatErrorCode.TEXT_TOO_LONG,
  'predicate.environment.osName',
);
invalid(
  'tool-version',
  'tool.version is ""',
  edited((p) => void (p.tool.version = '')),
  FormatErrorCode.TEXT_EMPTY,
  'predicate.tool.version',
);
invalid(
  'kernel',
  'kernel is "" (unknown is null)',
  edited((p) => void (p.environment.kernel = '')),
  FormatErrorCode.TEXT_EMPTY,
  'predicate.environment.kernel',
);
for (const [name, at, text, description] of [
  ['nul-in-note', 'note', 'built fine\u0000 (really)', 'NUL inside the note'],
  [
    'ansi-escape-in-note',
    'note',
    'result: \u001b[32mMATCH\u001b[0m',
    'ANSI colour escape in the note (terminal injection)',
  ],
  [
    'rlo-in-cpu-model',
    'environment.cpuModel',
    'AMD \u202eX0597 nezyR',
    'RIGHT-TO-LEFT OVERRIDE in cpuModel (Trojan Source style)',
  ],
  [
    'bidi-isolate-in-note',
    'note',
    'verdict \u2066match\u2069',
    'bidi isolate characters in the note',
  ],
  [
    'newline-in-os-name',
    'environment.osName',
    'Ubuntu\nmatched: yes',
    'newline in osName (only the note may have line breaks)',
  ],
  [
    'carriage-return-in-note',
    'note',
    'line one\r\nline two',
    'carriage return in the note (lines end with \\n only)',
  ],
  ['c1-in-tool-name', 'tool.name', 'repro\u0085check', 'C1 control NEL in tool.name'],
  [
    'zero-width-space-in-artifact-name',
    'artifacts[0].name',
    'update-img\u200b.tar.zst',
    'zero-width space in an artifact name',
  ],
  ['line-separator-in-note', 'note', 'one\u2028two', 'U+2028 LINE SEPARATOR in the note'],
  [
    'bom-in-git-version',
    'environment.gitVersion',
    '\ufeff2.43.0',
    'byte-order mark at the start of gitVersion',
  ],
] as const) {
  invalid(
    name,
    description,
    edited((p) => {
      const path = at.split('.');
      let o = p;
      for (const seg of path.slice(0, -1))
        o = seg.endsWith(']') ? o[seg.slice(0, -3)][Number(seg.slice(-2, -1))] : o[seg];
      o[path[path.length - 1]] = text;
    }),
    FormatErrorCode.CONTROL_CHARACTER,
    `predicate.${at}`,
  );
}
invalid(
  'docker',
  'virtualization "docker"',
  edited((p) => void (p.environment.virtualization = 'docker')),
  FormatErrorCode.VIRTUALIZATION_UNKNOWN,
  'predicate.environment.virtualization',
);
invalid(
  'null',
  'virtualization null (unknown is written "unknown")',
  edited((p) => void (p.environment.virtualization = null)),
  FormatErrorCode.WRONG_TYPE,
  'predicate.environment.virtualization',
);
invalid(
  'cpu-count-float',
  'cpuCount 32.0',
  textEdited('"cpuCount":32', '"cpuCount":32.0'),
  FormatErrorCode.NUMBER_INVALID,
  'predicate.environment.cpuCount',
);
invalid(
  'cpu-count-exponent',
  'cpuCount 3.2e1',
  textEdited('"cpuCount":32', '"cpuCount":3.2e1'),
  FormatErrorCode.NUMBER_INVALID,
  'predicate.environment.cpuCount',
);
invalid(
  'cpu-count-negative-zero',
  'cpuCount -0',
  textEdited('"cpuCount":32', '"cpuCount":-0'),
  FormatErrorCode.NUMBER_INVALID,
  'predicate.environment.cpuCount',
);
invalid(
  'cpu-count-huge',
  'cpuCount 12345678901234567890 (JSON.parse would round it)',
  textEdited('"cpuCount":32', '"cpuCount":12345678901234567890'),
  FormatErrorCode.NUMBER_INVALID,
  'predicate.environment.cpuCount',
);
invalid(
  'cpu-count-zero',
  'cpuCount 0',
  edited((p) => void (p.environment.cpuCount = 0)),
  FormatErrorCode.NUMBER_INVALID,
  'predicate.environment.cpuCount',
);
invalid(
  'memory-u64-overflow',
  'memoryBytes = 2^64',
  edited((p) => void (p.environment.memoryBytes = '18446744073709551616')),
  FormatErrorCode.NUMBER_INVALID,
  'predicate.environment.memoryBytes',
);
invalid(
  'memory-leading-zero',
  'memoryBytes "08"',
  edited((p) => void (p.environment.memoryBytes = '08')),
  FormatErrorCode.NUMBER_INVALID,
  'predicate.environment.memoryBytes',
);
invalid(
  'swap-negative',
  'swapBytes "-1"',
  edited((p) => void (p.environment.swapBytes = '-1')),
  FormatErrorCode.NUMBER_INVALID,
  'predicate.environment.swapBytes',
);
invalid(
  'disk-with-unit',
  'diskFreeBytes "512G"',
  edited((p) => void (p.environment.diskFreeBytes = '512G')),
  FormatErrorCode.NUMBER_INVALID,
  'predicate.environment.diskFreeBytes',
);

// ---------------------------------------------------------------- version 2

valid(
  'v2-kvm-container-layers-measurements',
  'Version 2: GuestOS of bcac7ca3 (release-package hash from mainnet-icos-revisions.json) built in rootless podman inside a KVM VM on XFS; mismatch with tar layer and members naming root.img; launch measurements match (canonical-form hashes; measurement, member and tar hashes illustrative); exit code 1',
  signed(kvmContainerMismatchV2(), KEY_A, PREDICATE_TYPE_V2),
);
valid(
  'v2-wsl2-disk-full-failure',
  'Version 2: a WSL2 build that ran out of disk: build_failed with the first real error line as cause, category environment; cgroup limits "max"',
  signed(wsl2DiskFullV2(), KEY_B, PREDICATE_TYPE_V2),
);
valid(
  'v2-from-v1-all-unknown',
  'Version 2 from a version 1-shaped predicate: every new field unknown (null, container "unknown"), as signAttestation records it',
  signed(v2Of(realisticMatch()), KEY_A, PREDICATE_TYPE_V2),
);
invalid(
  'v2-unknown',
  'Version 2: environment.container is "docker-desktop", not one of the containers',
  editedV2((p) => (p.environment.container = 'docker-desktop')),
  FormatErrorCode.CONTAINER_UNKNOWN,
  'predicate.environment.container',
);
invalid(
  'v2-oom',
  'Version 2: build.failure.category "oom" is not a category (out of memory is "environment")',
  editedV2((p) => (p.build.failure.category = 'oom'), wsl2DiskFullV2(builderOf(KEY_A))),
  FormatErrorCode.FAILURE_CATEGORY_UNKNOWN,
  'predicate.build.failure.category',
);
invalid(
  'v2-container-as-virtualization',
  'Version 2: virtualization "container" (version 2 records the VM there and the container apart)',
  editedV2((p) => (p.environment.virtualization = 'container')),
  FormatErrorCode.VIRTUALIZATION_UNKNOWN,
  'predicate.environment.virtualization',
);
invalid(
  'v2-missing-container',
  'Version 2 without environment.container',
  editedV2((p) => delete p.environment.container),
  FormatErrorCode.MISSING_FIELD,
  'predicate.environment.container',
);
invalid(
  'v2-missing-exit-code',
  'Version 2 without tool.exitCode',
  editedV2((p) => delete p.tool.exitCode),
  FormatErrorCode.MISSING_FIELD,
  'predicate.tool.exitCode',
);
invalid(
  'v2-missing-failure',
  'Version 2 without build.failure',
  editedV2((p) => delete p.build.failure),
  FormatErrorCode.MISSING_FIELD,
  'predicate.build.failure',
);
invalid(
  'v2-fields-in-v1',
  'A version 1 statement carrying version 2 field tarSha256',
  craftEnvelope({
    predicate: (() => {
      const p = kvmMatchWithMembers(builderOf(KEY_A));
      (p['artifacts'] as any)[0].tarSha256 = illustrativeHash('tar');
      return p;
    })(),
  }),
  FormatErrorCode.UNKNOWN_FIELD,
  'predicate.artifacts[0].tarSha256',
);
invalid(
  'v2-failure-without-failed-build',
  'Version 2: build.failure set although every artifact was built',
  editedV2((p) => (p.build.failure = { category: 'build', cause: 'make: *** [all] Error 2' })),
  FormatErrorCode.VERDICT_INCONSISTENT,
  'predicate.build.failure',
);
invalid(
  'v2-tar-layer-without-build',
  'Version 2: tarSha256 on an artifact that was not built',
  editedV2(
    (p) => (p.artifacts[0].tarSha256 = illustrativeHash('tar')),
    wsl2DiskFullV2(builderOf(KEY_A)),
  ),
  FormatErrorCode.VERDICT_INCONSISTENT,
  'predicate.artifacts[0].verdict',
);
invalid(
  'v2-measurements-with-tar-layer',
  'Version 2: launch measurements with a tar layer (they are not an archive)',
  editedV2((p) => (p.artifacts[1].tarSha256 = illustrativeHash('tar'))),
  FormatErrorCode.VERDICT_INCONSISTENT,
  'predicate.artifacts[1].verdict',
);
invalid(
  'v2-exit-code-256',
  'Version 2: tool.exitCode 256 is not an exit status',
  editedV2((p) => (p.tool.exitCode = 256)),
  FormatErrorCode.NUMBER_INVALID,
  'predicate.tool.exitCode',
);
invalid(
  'v2-cgroup-cpu-max-fraction',
  'Version 2: cgroupCpuMax "1.5" is not "<quota|max> <period>"',
  editedV2((p) => (p.environment.cgroupCpuMax = '1.5')),
  FormatErrorCode.NUMBER_INVALID,
  'predicate.environment.cgroupCpuMax',
);
invalid(
  'v2-cgroup-memory-unlimited',
  'Version 2: cgroupMemoryMax "unlimited" (the cgroup file says "max")',
  editedV2((p) => (p.environment.cgroupMemoryMax = 'unlimited')),
  FormatErrorCode.NUMBER_INVALID,
  'predicate.environment.cgroupMemoryMax',
);
invalid(
  'v2-rootless-string',
  'Version 2: containerRuntimeRootless "yes" instead of a boolean',
  editedV2((p) => (p.environment.containerRuntimeRootless = 'yes')),
  FormatErrorCode.WRONG_TYPE,
  'predicate.environment.containerRuntimeRootless',
);
invalid(
  'v2-cause-empty',
  'Version 2: an empty failure cause',
  editedV2((p) => (p.build.failure.cause = ''), wsl2DiskFullV2(builderOf(KEY_A))),
  FormatErrorCode.TEXT_EMPTY,
  'predicate.build.failure.cause',
);
// Sources of the expected hash (version 2, optional): the URLs repro-check downloads
// (ci/tools/repro-check at dfinity/ic@653da0da: the proposal's release_package_urls, and
// https://<cdn>/ic/<commit>/guest-os/update-img/SHA256SUMS per CDN). bcac7ca3's GuestOS hash
// from mainnet-icos-revisions.json; the .network URL's other hash is illustrative.
const BCAC_GUESTOS = '2292b72f5e3cad65651fb8a7858cd5efdbb537b20a7388bb8a01e31f8f047bb1';
const BCAC_BASE = 'ic/bcac7ca3862fd8409d56d9dcda919a5f25acbbd4/guest-os/update-img';
function withSources(p: any, servedByNetwork = BCAC_GUESTOS): any {
  p.artifacts[0].sources = [
    {
      kind: 'sha256sums',
      url: `https://download.dfinity.systems/${BCAC_BASE}/SHA256SUMS`,
      sha256: BCAC_GUESTOS,
    },
    {
      kind: 'package_url',
      url: `https://download.dfinity.systems/${BCAC_BASE}/update-img.tar.zst`,
      sha256: BCAC_GUESTOS,
    },
    {
      kind: 'package_url',
      url: `https://download.dfinity.network/${BCAC_BASE}/update-img.tar.zst`,
      sha256: servedByNetwork,
    },
  ];
  return p;
}
valid(
  'v2-sources-agree',
  "Version 2 with sources: SHA256SUMS on download.dfinity.systems and both of the proposal's package URLs give bcac7ca3's GuestOS hash (the builder's own build mismatched)",
  signed(withSources(kvmContainerMismatchV2()), KEY_A, PREDICATE_TYPE_V2),
);
valid(
  'v2-sources-second-url-differs',
  "Version 2 with sources: the proposal's second URL served other bytes (illustrative hash), one download failed (null) — a valid claim; the registry flags it",
  signed(
    ((): LoosePredicate => {
      const p = withSources(kvmContainerMismatchV2(), illustrativeHash('other bytes on .network'));
      p.artifacts[0].sources.push({
        kind: 'sha256sums',
        url: `https://download.dfinity.network/${BCAC_BASE}/SHA256SUMS`,
        sha256: null,
      });
      return p as LoosePredicate;
    })(),
    KEY_A,
    PREDICATE_TYPE_V2,
  ),
);
invalid(
  'v2-sources-empty',
  'Version 2: sources present but empty (omit it instead)',
  editedV2((p) => (p.artifacts[0].sources = [])),
  FormatErrorCode.SOURCE_COUNT,
  'predicate.artifacts[0].sources',
);
invalid(
  'v2-sources-nine',
  'Version 2: nine sources, more than 8',
  editedV2((p) => {
    p.artifacts[0].sources = Array.from({ length: 9 }, (_, i) => ({
      kind: 'package_url',
      url: `https://mirror${i}.example.org/${BCAC_BASE}/update-img.tar.zst`,
      sha256: BCAC_GUESTOS,
    }));
  }),
  FormatErrorCode.SOURCE_COUNT,
  'predicate.artifacts[0].sources',
);
invalid(
  'v2-sources-kind',
  'Version 2: source kind "cdn" is not sha256sums or package_url',
  editedV2((p) => (withSources(p).artifacts[0].sources[0].kind = 'cdn')),
  FormatErrorCode.SOURCE_KIND_UNKNOWN,
  'predicate.artifacts[0].sources[0].kind',
);
invalid(
  'v2-sources-javascript-url',
  'Version 2: a source URL that is not http(s)',
  editedV2((p) => (withSources(p).artifacts[0].sources[1].url = 'javascript:alert(1)')),
  FormatErrorCode.SOURCE_URL_INVALID,
  'predicate.artifacts[0].sources[1].url',
);
invalid(
  'v2-sources-url-space',
  'Version 2: a source URL with a space and angle brackets',
  editedV2(
    (p) => (withSources(p).artifacts[0].sources[1].url = 'https://download.dfinity.systems/<a> b'),
  ),
  FormatErrorCode.SOURCE_URL_INVALID,
  'predicate.artifacts[0].sources[1].url',
);
invalid(
  'v2-sources-url-long',
  'Version 2: a source URL of 513 bytes',
  editedV2(
    (p) =>
      (withSources(p).artifacts[0].sources[1].url =
        'https://download.dfinity.systems/' + 'a'.repeat(513 - 33)),
  ),
  FormatErrorCode.SOURCE_URL_INVALID,
  'predicate.artifacts[0].sources[1].url',
);
invalid(
  'v2-sources-duplicate',
  'Version 2: the same package URL twice',
  editedV2((p) => {
    const s = withSources(p).artifacts[0].sources;
    s.push({ ...s[1] });
  }),
  FormatErrorCode.SOURCE_DUPLICATE,
  'predicate.artifacts[0].sources[3]',
);
invalid(
  'v2-sources-uppercase-hash',
  'Version 2: a source hash in upper case',
  editedV2((p) => (withSources(p).artifacts[0].sources[0].sha256 = BCAC_GUESTOS.toUpperCase())),
  FormatErrorCode.HEX_INVALID,
  'predicate.artifacts[0].sources[0].sha256',
);
invalid(
  'v2-sources-in-v1',
  'A version 1 statement carrying version 2 field sources',
  craftEnvelope({ predicate: withSources(realisticMatch()) }),
  FormatErrorCode.UNKNOWN_FIELD,
  'predicate.artifacts[0].sources',
);
invalid(
  'v3',
  'predicateType .../icos-reproduction/v3 is not a version this verifier knows',
  craftEnvelope({
    predicate: kvmContainerMismatchV2(),
    predicateType: 'https://repro-registry.org/attestation/icos-reproduction/v3',
  }),
  FormatErrorCode.PREDICATE_TYPE_UNSUPPORTED,
  'predicateType',
);
// ---------------------------------------------------------------- write

for (const dir of ['valid', 'invalid']) {
  const path = join(root, dir);
  mkdirSync(path, { recursive: true });
  for (const f of readdirSync(path)) if (f.endsWith('.json')) rmSync(join(path, f));
}
for (const [file, vector] of [...vectors].sort(([a], [b]) => (a < b ? -1 : 1))) {
  writeFileSync(join(root, file), JSON.stringify(vector, null, 2) + '\n');
}
const counts = { valid: 0, invalid: 0 };
for (const file of vectors.keys()) counts[file.startsWith('valid/') ? 'valid' : 'invalid']++;
console.log(`wrote ${counts.valid} valid and ${counts.invalid} invalid vectors to ${root}`);
