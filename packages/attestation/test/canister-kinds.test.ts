import { describe, expect, it } from 'vitest';
import {
  FormatErrorCode,
  PREDICATE_TYPE_CANISTER_V1,
  PREDICATE_TYPE_V2,
  isCanisterArtifactKind,
  signAttestation,
  verifyAttestation,
} from '../src/index';
import type { UnsignedPredicate } from '../src/index';
import { KEY_A, clone, kvmContainerMismatchV2 } from '../scripts/vectors-lib';
import type { LoosePredicate } from '../scripts/vectors-lib';

// Proposal 133385 (NNS governance upgrade): module hash and commit from dfinity/ic.
const GOVERNANCE_HASH = '18ca5b86271c76459f249c87d80c9e0172e09f64e18c04cf1c28d95f3489de4e';
const COMMIT = 'aa91ecacdf3824e193e21b70e0127e8d3edab51a';
const ARG_HASH = '5349c151a3353dd72f924409229c28f2ab1d9d70f8f8c7e81842ab5e18757803';

function canisterPredicate(artifacts: object[]): UnsignedPredicate {
  const base = clone(kvmContainerMismatchV2());
  delete base['builder'];
  base['proposal'] = { id: '133385', commit: COMMIT };
  base['artifacts'] = artifacts as LoosePredicate[];
  base['build'] = { ...(base['build'] as object), failure: null };
  return base as unknown as UnsignedPredicate;
}

const module = {
  kind: 'canister:governance',
  name: 'governance-canister.wasm.gz',
  sha256: GOVERNANCE_HASH,
  expectedSha256: GOVERNANCE_HASH,
  verdict: 'match',
};
const argument = {
  kind: 'canister-arg:governance',
  name: 'arg.bin',
  sha256: ARG_HASH,
  expectedSha256: ARG_HASH,
  verdict: 'match',
};

describe('canister reproductions (canister-reproduction/v1)', () => {
  it('signs and verifies modules, arguments and SNS modules under their kinds', () => {
    const signed = signAttestation({
      predicate: canisterPredicate([
        module,
        argument,
        { ...module, kind: 'sns-wasm:governance', name: 'sns-governance-canister.wasm.gz' },
      ]),
      secretKey: KEY_A,
      predicateType: PREDICATE_TYPE_CANISTER_V1,
    });
    const verified = verifyAttestation(signed.envelopeBytes);
    if (!verified.ok) throw new Error(verified.error.message);
    expect(verified.value.statement.predicateType).toBe(PREDICATE_TYPE_CANISTER_V1);
    expect(verified.value.statement.subject.map((s) => s.name)).toEqual([
      'canister:governance/governance-canister.wasm.gz',
      'canister-arg:governance/arg.bin',
      'sns-wasm:governance/sns-governance-canister.wasm.gz',
    ]);
  });

  it('keeps each family to its kinds', () => {
    const sign = (artifacts: object[], predicateType: typeof PREDICATE_TYPE_V2) =>
      signAttestation({ predicate: canisterPredicate(artifacts), secretKey: KEY_A, predicateType });
    expect(() => sign([module], PREDICATE_TYPE_V2)).toThrow(
      expect.objectContaining({ code: FormatErrorCode.ARTIFACT_KIND_UNKNOWN }),
    );
    const guestos = { ...module, kind: 'guestos', name: 'update-img.tar.zst' };
    expect(() =>
      signAttestation({
        predicate: canisterPredicate([guestos]),
        secretKey: KEY_A,
        predicateType: PREDICATE_TYPE_CANISTER_V1,
      }),
    ).toThrow(expect.objectContaining({ code: FormatErrorCode.ARTIFACT_KIND_UNKNOWN }));
    expect(() =>
      signAttestation({
        predicate: canisterPredicate([module, { ...module, name: 'again.wasm.gz' }]),
        secretKey: KEY_A,
        predicateType: PREDICATE_TYPE_CANISTER_V1,
      }),
    ).toThrow(expect.objectContaining({ code: FormatErrorCode.ARTIFACT_DUPLICATE }));
  });

  it('names targets by well-known name or canister id, SNS modules by SNS-W type', () => {
    for (const kind of [
      'canister:governance',
      'canister:cycles-minting',
      'canister:rkp4c-7iaaa-aaaaa-aaaca-cai',
      'canister-arg:ledger',
      'sns-wasm:swap',
    ])
      expect(isCanisterArtifactKind(kind)).toBe(true);
    for (const kind of [
      'canister:',
      'canister:Governance',
      'canister:../x',
      'sns-wasm:dapp',
      'guestos',
      `canister:${'a'.repeat(64)}`,
    ])
      expect(isCanisterArtifactKind(kind)).toBe(false);
  });
});
