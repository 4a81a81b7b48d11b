/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call --
   Invalid predicates are built by editing loosely typed JSON on purpose: no type describes them. */
import { describe, expect, it } from 'vitest';
import {
  AttestationError,
  FormatErrorCode,
  LIMITS,
  PAYLOAD_TYPE,
  PREDICATE_TYPE_V1,
  PREDICATE_TYPE_V2,
  base64Decode,
  base64Encode,
  createStatement,
  pae,
  signAttestation,
  utf8Decode,
  utf8Encode,
  validatePredicate,
  verifyAttestation,
  warmUpEd25519,
} from '../src/index';
import type { Predicate, UnsignedPredicate } from '../src/index';
import {
  KEY_A,
  KEY_B,
  allUnknown,
  builderOf,
  clone,
  illustrativeHash,
  kvmContainerMismatchV2,
  kvmMatchWithMembers,
  realisticMatch,
  v2Of,
  virtualboxBuildFailure,
  wsl2DiskFullV2,
  wsl2Mismatch,
} from '../scripts/vectors-lib';
import type { LoosePredicate } from '../scripts/vectors-lib';

function unsigned(p: LoosePredicate): UnsignedPredicate {
  const copy = clone(p);
  delete copy['builder'];
  return copy as unknown as UnsignedPredicate;
}

function thrown(run: () => unknown): AttestationError {
  try {
    run();
  } catch (e) {
    if (e instanceof AttestationError) return e;
    throw e;
  }
  return expect.fail('expected an AttestationError');
}

/** A deterministic PRNG (mulberry32) so the randomised tests replay exactly. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const samples: [string, LoosePredicate, Uint8Array, string][] = [
  ['realistic match', realisticMatch(), KEY_A, PREDICATE_TYPE_V1],
  ['WSL2 mismatch', wsl2Mismatch(), KEY_B, PREDICATE_TYPE_V1],
  ['build failure', virtualboxBuildFailure(), KEY_A, PREDICATE_TYPE_V1],
  ['members and not built', kvmMatchWithMembers(), KEY_B, PREDICATE_TYPE_V1],
  ['all unknown', allUnknown(), KEY_A, PREDICATE_TYPE_V1],
  [
    'v2: container in a KVM VM, layers and measurements',
    kvmContainerMismatchV2(),
    KEY_A,
    PREDICATE_TYPE_V2,
  ],
  ['v2: WSL2 disk full, failure classified', wsl2DiskFullV2(), KEY_B, PREDICATE_TYPE_V2],
];

describe('pae', () => {
  it('is the DSSE v1 encoding with byte lengths', () => {
    const body = utf8Encode('{"a":"ü"}'); // 10 bytes, 9 characters
    expect(utf8Decode(pae(PAYLOAD_TYPE, body))).toBe(
      'DSSEv1 28 application/vnd.in-toto+json 10 {"a":"ü"}',
    );
    expect(utf8Decode(pae('', new Uint8Array(0)))).toBe('DSSEv1 0  0 ');
  });

  it('counts a non-ASCII payload type in bytes and refuses a lone surrogate', () => {
    const body = Uint8Array.of(0, 255, 10);
    const out = pae('tÿpe/😀', body);
    expect(utf8Decode(out.subarray(0, out.length - 3))).toBe('DSSEv1 10 tÿpe/😀 3 ');
    expect(Array.from(out.subarray(out.length - 3))).toEqual([0, 255, 10]);
    expect(() => pae('type\ud800', body)).toThrow(
      expect.objectContaining({ code: FormatErrorCode.LONE_SURROGATE }),
    );
  });
});

describe('sign → verify', () => {
  it.each(samples)('%s round-trips', (_name, predicate, key, predicateType) => {
    const signed = signAttestation({
      predicate: unsigned(predicate),
      secretKey: key,
      predicateType: predicateType as typeof PREDICATE_TYPE_V1,
    });
    const result = verifyAttestation(signed.envelopeBytes);
    if (!result.ok) expect.fail(result.error.message);
    expect(result.value.predicate).toEqual(predicate);
    expect(result.value.statement.predicateType).toBe(predicateType);
    expect(result.value.builderId).toBe(builderOf(key).id);
    expect(signed.builderId).toBe(builderOf(key).id);
    expect(result.value.statementBytes).toEqual(signed.statementBytes);
    expect(result.value.envelope).toEqual(signed.envelope);
    expect(base64Decode(signed.envelope.payload)).toEqual(signed.statementBytes);
  });

  it('signs version 2 by default, recording what a version 1-shaped predicate lacks as unknown', () => {
    const signed = signAttestation({ predicate: unsigned(realisticMatch()), secretKey: KEY_A });
    const result = verifyAttestation(signed.envelopeBytes);
    if (!result.ok) expect.fail(result.error.message);
    expect(result.value.statement.predicateType).toBe(PREDICATE_TYPE_V2);
    expect(result.value.predicate).toEqual(v2Of(realisticMatch()));
  });

  it('refuses virtualization "container" in version 2 (the container has its own field)', () => {
    const p = unsigned(realisticMatch());
    (p.environment as any).virtualization = 'container';
    expect(thrown(() => signAttestation({ predicate: p, secretKey: KEY_A })).code).toBe(
      FormatErrorCode.VIRTUALIZATION_UNKNOWN,
    );
    expect(
      signAttestation({ predicate: p, secretKey: KEY_A, predicateType: PREDICATE_TYPE_V1 })
        .builderId,
    ).toBe(builderOf(KEY_A).id);
  });

  it('is deterministic: the same predicate and key give the same bytes', () => {
    const a = signAttestation({ predicate: unsigned(realisticMatch()), secretKey: KEY_A });
    const b = signAttestation({ predicate: unsigned(realisticMatch()), secretKey: KEY_A });
    expect(a.envelopeBytes).toEqual(b.envelopeBytes);
  });

  it('hands back plain objects with only the format fields', () => {
    const p = { ...unsigned(realisticMatch()) } as UnsignedPredicate & { extra?: undefined };
    p.extra = undefined; // undefined is "absent", as JSON.stringify treats it
    const signed = signAttestation({ predicate: p, secretKey: KEY_A });
    const result = verifyAttestation(signed.envelopeBytes);
    if (!result.ok) expect.fail(result.error.message);
    expect(Object.getPrototypeOf(result.value.predicate)).toBe(Object.prototype);
    expect(Object.keys(result.value.predicate)).toEqual([
      'proposal',
      'builder',
      'artifacts',
      'tool',
      'environment',
      'build',
      'note',
    ]);
  });
});

describe('tampering', () => {
  const signed = signAttestation({ predicate: unsigned(wsl2Mismatch()), secretKey: KEY_B });
  const envelope = signed.envelope;

  const withPayload = (statement: Uint8Array): Uint8Array =>
    utf8Encode(JSON.stringify({ ...envelope, payload: base64Encode(statement) }));
  const withSignature = (sig: Uint8Array): Uint8Array =>
    utf8Encode(
      JSON.stringify({
        ...envelope,
        signatures: [{ keyid: envelope.signatures[0].keyid, sig: base64Encode(sig) }],
      }),
    );

  it(
    'changing any byte of the signed statement makes verification fail',
    { timeout: 60_000 },
    () => {
      const statement = signed.statementBytes;
      const codes = new Set<string>();
      for (let i = 0; i < statement.length; i++) {
        const changed = statement.slice();
        changed[i] ^= 0x01;
        const result = verifyAttestation(withPayload(changed));
        expect(result.ok, `byte ${i}`).toBe(false);
        if (!result.ok) codes.add(result.error.code);
      }
      // Most flips still parse and are caught by the signature itself.
      expect(codes.has(FormatErrorCode.SIGNATURE_INVALID)).toBe(true);
    },
  );

  // 512 full verifications: seconds on a loaded 2-core machine.
  it('changing any bit of the signature makes verification fail', { timeout: 60_000 }, () => {
    const sig = base64Decode(envelope.signatures[0].sig);
    for (let i = 0; i < 64 * 8; i++) {
      const changed = sig.slice();
      changed[i >> 3] ^= 1 << (i & 7);
      const result = verifyAttestation(withSignature(changed));
      expect(result.ok ? 'ok' : result.error.code, `bit ${i}`).toBe(
        FormatErrorCode.SIGNATURE_INVALID,
      );
    }
  });

  it('never throws on mangled envelopes (seeded random edits)', { timeout: 60_000 }, () => {
    const random = prng(20261120);
    const bytes = signed.envelopeBytes;
    for (let round = 0; round < 3000; round++) {
      let mangled: Uint8Array;
      const pick = () => Math.floor(random() * bytes.length);
      switch (round % 4) {
        case 0: // overwrite a byte
          mangled = bytes.slice();
          mangled[pick()] = Math.floor(random() * 256);
          break;
        case 1: // truncate
          mangled = bytes.slice(0, pick());
          break;
        case 2: {
          // delete a span
          const at = pick();
          mangled = new Uint8Array([
            ...bytes.subarray(0, at),
            ...bytes.subarray(at + 1 + Math.floor(random() * 40)),
          ]);
          break;
        }
        default: {
          // duplicate a span
          const at = pick();
          const span = bytes.subarray(at, at + Math.floor(random() * 60));
          mangled = new Uint8Array([...bytes.subarray(0, at), ...span, ...bytes.subarray(at)]);
        }
      }
      const result = verifyAttestation(mangled);
      if (result.ok) expect(mangled).toEqual(bytes);
      else expect(Object.values(FormatErrorCode)).toContain(result.error.code);
    }
  });

  it('never throws on inputs that are not bytes', () => {
    for (const input of [undefined, null, 'text', 42, {}, [1, 2], new ArrayBuffer(4)]) {
      const result = verifyAttestation(input as Uint8Array);
      expect(result.ok ? 'ok' : result.error.code).toBe(FormatErrorCode.INVALID_ARGUMENT);
    }
  });

  it('never throws on pathological JSON', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const cases = [
      deep,
      '{"a":' + deep + '}',
      '"' + '\\u0041'.repeat(10_000) + '"',
      '1'.repeat(60_000),
      '',
    ];
    for (const text of cases) {
      const result = verifyAttestation(utf8Encode(text));
      expect(result.ok).toBe(false);
    }
  });
});

describe('signAttestation refuses what verifyAttestation would reject', () => {
  const cases: [string, (p: any) => void, string, string][] = [
    [
      'verdict inconsistent',
      (p) => void (p.artifacts[0].verdict = 'mismatch'),
      FormatErrorCode.VERDICT_INCONSISTENT,
      'predicate.artifacts[0].verdict',
    ],
    [
      'uppercase hash',
      (p) => void (p.artifacts[1].sha256 = p.artifacts[1].sha256.toUpperCase()),
      FormatErrorCode.HEX_INVALID,
      'predicate.artifacts[1].sha256',
    ],
    [
      'lone surrogate in a JS string',
      (p) => void (p.note = 'half an emoji \ud83d'),
      FormatErrorCode.LONE_SURROGATE,
      'predicate.note',
    ],
    [
      'NaN cpu count',
      (p) => void (p.environment.cpuCount = Number.NaN),
      FormatErrorCode.NUMBER_INVALID,
      'predicate.environment.cpuCount',
    ],
    [
      'fractional cpu count',
      (p) => void (p.environment.cpuCount = 1.5),
      FormatErrorCode.NUMBER_INVALID,
      'predicate.environment.cpuCount',
    ],
    [
      'bigint byte count',
      (p) => void (p.environment.memoryBytes = 8n),
      FormatErrorCode.WRONG_TYPE,
      'predicate.environment.memoryBytes',
    ],
    [
      'Date as time',
      (p) => void (p.build.startedOn = new Date(0)),
      FormatErrorCode.WRONG_TYPE,
      'predicate.build.startedOn',
    ],
    ['Map as tool', (p) => void (p.tool = new Map()), FormatErrorCode.WRONG_TYPE, 'predicate.tool'],
    [
      'unknown field',
      (p) => void (p.signedBy = 'me'),
      FormatErrorCode.UNKNOWN_FIELD,
      'predicate.signedBy',
    ],
    ['missing build', (p) => void delete p.build, FormatErrorCode.MISSING_FIELD, 'predicate.build'],
    [
      'builder given',
      (p) => void (p.builder = builderOf(KEY_B)),
      FormatErrorCode.UNKNOWN_FIELD,
      'predicate.builder',
    ],
    ['empty note', (p) => void (p.note = ''), FormatErrorCode.TEXT_EMPTY, 'predicate.note'],
  ];

  it.each(cases)('%s', (_name, edit, code, field) => {
    const p = unsigned(realisticMatch()) as any;
    edit(p);
    const error = thrown(() => signAttestation({ predicate: p, secretKey: KEY_A }));
    expect({ code: error.code, field: error.field }).toEqual({ code, field });
    expect(error.message).toContain(field);
  });

  it('refuses an envelope over the size limit before signing', () => {
    const p = unsigned(realisticMatch()) as any;
    // Version 1 lets every kind carry members, the largest envelope one can build.
    const kinds = ['guestos', 'hostos', 'setupos', 'guestos-recovery', 'launch-measurements'];
    p.artifacts = kinds.map((kind) => ({
      kind,
      name: 'update-img.tar.zst',
      sha256: illustrativeHash(kind),
      expectedSha256: illustrativeHash(kind),
      verdict: 'match',
      members: Array.from({ length: LIMITS.membersPerArtifact }, (_, i) => ({
        path: `${i}/${'x'.repeat(200)}`,
        sha256: illustrativeHash(`${kind} ${i}`),
        size: '1',
      })),
    }));
    const error = thrown(() =>
      signAttestation({ predicate: p, secretKey: KEY_A, predicateType: PREDICATE_TYPE_V1 }),
    );
    expect(error.code).toBe(FormatErrorCode.ENVELOPE_TOO_LARGE);
  });

  it('refuses a secret key that is not 32 bytes', () => {
    const error = thrown(() =>
      signAttestation({ predicate: unsigned(realisticMatch()), secretKey: new Uint8Array(64) }),
    );
    expect(error.code).toBe(FormatErrorCode.INVALID_ARGUMENT);
  });
});

describe('validatePredicate', () => {
  it('accepts a complete predicate and returns a fresh copy', () => {
    const p = realisticMatch();
    const result = validatePredicate(p, PREDICATE_TYPE_V1);
    if (!result.ok) expect.fail(result.error.message);
    expect(result.value).toEqual(p);
    expect(result.value).not.toBe(p);
    // Version 2 (the default) requires its fields.
    const v2 = validatePredicate(p);
    expect(v2.ok ? 'ok' : v2.error.code).toBe(FormatErrorCode.MISSING_FIELD);
    expect(validatePredicate(kvmContainerMismatchV2()).ok).toBe(true);
  });

  it('returns errors instead of throwing', () => {
    for (const value of [null, 1, 'x', [], new (class Predicate {})()]) {
      const result = validatePredicate(value);
      expect(result.ok ? 'ok' : result.error.code).toBe(FormatErrorCode.WRONG_TYPE);
    }
  });

  it('checks the builder id against the key', () => {
    const p = realisticMatch(builderOf(KEY_A));
    (p['builder'] as any).id = builderOf(KEY_B).id;
    const result = validatePredicate(p);
    expect(result.ok ? 'ok' : result.error.code).toBe(FormatErrorCode.BUILDER_ID_MISMATCH);
  });
});

describe('createStatement', () => {
  it('derives one subject per built artifact, in order, named kind/name', () => {
    const statement = createStatement(
      kvmMatchWithMembers() as unknown as Predicate,
      PREDICATE_TYPE_V1,
    );
    expect(statement.subject).toEqual([
      {
        name: 'guestos/update-img.tar.zst',
        digest: { sha256: '8819fe2c230cc62300c146b6ee644d934df336cb9d17a146999d3bb2449c53b1' },
      },
    ]);
  });

  it('throws AttestationError for an invalid predicate', () => {
    const p = realisticMatch();
    (p['proposal'] as any).commit = 'bcac7ca3';
    expect(thrown(() => createStatement(p as unknown as Predicate)).code).toBe(
      FormatErrorCode.COMMIT_INVALID,
    );
  });
});

describe('warmUpEd25519', () => {
  it('can be called repeatedly and leaves verification working', () => {
    warmUpEd25519();
    warmUpEd25519();
    const signed = signAttestation({ predicate: unsigned(realisticMatch()), secretKey: KEY_A });
    expect(verifyAttestation(signed.envelopeBytes).ok).toBe(true);
  });
});

describe('input from elsewhere', () => {
  it('accepts a Buffer and a Uint8Array from another realm', async () => {
    const { runInNewContext } = await import('node:vm');
    const signed = signAttestation({ predicate: unsigned(realisticMatch()), secretKey: KEY_A });
    expect(verifyAttestation(Buffer.from(signed.envelopeBytes)).ok).toBe(true);
    const foreign = runInNewContext('new Uint8Array(length)', {
      length: signed.envelopeBytes.length,
    }) as Uint8Array;
    expect(foreign instanceof Uint8Array).toBe(false);
    foreign.set(signed.envelopeBytes);
    expect(verifyAttestation(foreign).ok).toBe(true);
  });
});
