/**
 * Canister reproductions are a valid attestation format, but this registry counts IC-OS
 * elections only so far: it refuses them with a stable code and stores nothing.
 */
import { PREDICATE_TYPE_CANISTER_V1, signAttestation } from '@repro-registry/attestation';
import { ErrorCode } from '@repro-registry/registry-api';
import { describe, expect, it } from 'vitest';

import { hashOf, predicate, testBuilder } from '../../test/builders';
import { codeOf, confirm, newRegistry, submit } from '../../test/core-support';

describe('canister reproductions', () => {
  it('are refused with PREDICATE_TYPE_UNSUPPORTED and change nothing', () => {
    const r = newRegistry();
    confirm(r, 134567n);
    const builder = testBuilder('canister');
    const module = hashOf('governance-canister.wasm.gz');
    const envelope = signAttestation({
      predicate: predicate({
        artifacts: [
          {
            kind: 'canister:governance',
            name: 'governance-canister.wasm.gz',
            sha256: module,
            expectedSha256: module,
            verdict: 'match',
          },
        ],
      }),
      secretKey: builder.secretKey,
      predicateType: PREDICATE_TYPE_CANISTER_V1,
    }).envelopeBytes;
    expect(codeOf(submit(r, builder, envelope))).toBe(ErrorCode.PREDICATE_TYPE_UNSUPPORTED);
    const summary = r.summary(134567n);
    if (!summary.ok) throw new Error(summary.error.code);
    expect(summary.value.builderCount).toBe(0);
    expect(summary.value.consensus.artifacts).toEqual([]);
  });
});
