/**
 * Test builders: deterministic Ed25519 keys and realistic predicates, signed with the real
 * attestation package. Shared by the logic tests, the wasm tests and the benchmarks.
 */
import { Principal } from '@dfinity/principal';
import {
  ed25519PublicKeyFromSecret,
  principalFromEd25519PublicKey,
  signAttestation,
  type Artifact,
  type UnsignedPredicate,
} from '@repro-registry/attestation';
import { createHash } from 'node:crypto';

export interface TestBuilder {
  secretKey: Uint8Array;
  publicKey: Uint8Array;
  principal: Principal;
}

export function testBuilder(seed: string | number): TestBuilder {
  const secretKey = new Uint8Array(createHash('sha256').update(`builder-${seed}`).digest());
  const publicKey = ed25519PublicKeyFromSecret(secretKey);
  return {
    secretKey,
    publicKey,
    principal: Principal.fromText(principalFromEd25519PublicKey(publicKey)),
  };
}

export const COMMIT = '0ef2aebde4ff735a1a93efa342dcf966b6df5061';
export const GUESTOS_HASH = '05cd757019e276af68a7e2e178dec73ae095131af841d0b44a9c03c947c2d399';
export const HOSTOS_HASH = 'a'.repeat(64);

export function hashOf(label: string): string {
  return createHash('sha256').update(label).digest('hex');
}

export function artifact(over: Partial<Artifact> & Pick<Artifact, 'kind'>): Artifact {
  const sha256 = over.sha256 === undefined ? GUESTOS_HASH : over.sha256;
  const expected = over.expectedSha256 === undefined ? GUESTOS_HASH : over.expectedSha256;
  const verdict =
    over.verdict ?? (sha256 === null ? 'build_failed' : sha256 === expected ? 'match' : 'mismatch');
  return { name: 'update-img.tar.zst', ...over, sha256, expectedSha256: expected, verdict };
}

export function predicate(
  over: Partial<UnsignedPredicate> & { proposalId?: string; commit?: string } = {},
): UnsignedPredicate {
  const { proposalId = '134567', commit = COMMIT, ...rest } = over;
  return {
    proposal: { id: proposalId, commit },
    artifacts: [artifact({ kind: 'guestos' })],
    tool: { name: 'repro-check', version: '1.2.0', scriptSha256: hashOf('repro-check') },
    environment: {
      osName: 'Ubuntu',
      osVersion: '22.04.4 LTS',
      kernel: '6.5.0-35-generic',
      arch: 'x86_64',
      virtualization: 'bare_metal',
      cpuModel: 'AMD Ryzen 9 7950X 16-Core Processor',
      cpuCount: 32,
      memoryBytes: '68719476736',
      swapBytes: '8589934592',
      diskFreeBytes: '512000000000',
      containerRuntimeName: 'podman',
      containerRuntimeVersion: '4.9.3',
      gitVersion: '2.43.0',
    },
    build: {
      startedOn: '2025-11-20T09:12:00Z',
      finishedOn: '2025-11-20T10:40:31Z',
      cleanCache: true,
    },
    ...rest,
  };
}

export function sign(builder: TestBuilder, p: UnsignedPredicate = predicate()): Uint8Array {
  return signAttestation({ predicate: p, secretKey: builder.secretKey }).envelopeBytes;
}
