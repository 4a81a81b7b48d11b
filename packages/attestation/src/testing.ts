/**
 * @repro-registry/attestation/testing: the one kit for tests and benchmarks that need signed
 * attestations (the registry's logic and wasm tests, the frontend's fixtures, the browser
 * seed, benches): deterministic keys, a realistic machine, artifacts whose verdict follows
 * from their hashes as the format requires. Signing is the package's own `signAttestation`.
 * Pure like the package, so it runs in Node and in the browser; production code never imports it.
 */
import { hexToBytes, sha256Hex, utf8Encode } from './bytes';
import { signAttestation } from './attestation';
import { ed25519PublicKeyFromSecret, principalFromEd25519PublicKey } from './keys';
import type { Artifact, Environment, UnsignedPredicate, Verdict } from './types';

/** The commit of the forum thread's proposal (an IC-OS election). */
export const TEST_COMMIT = '0ef2aebde4ff735a1a93efa342dcf966b6df5061';
/** The GuestOS update image hash that proposal elects. */
export const TEST_GUESTOS_HASH = '05cd757019e276af68a7e2e178dec73ae095131af841d0b44a9c03c947c2d399';

/** A builder's machine that reproduces: Ubuntu on bare metal with podman. */
export const BARE_METAL: Environment = {
  osName: 'Ubuntu',
  osVersion: '22.04.4 LTS',
  kernel: '6.5.0-35-generic',
  arch: 'x86_64',
  virtualization: 'bare_metal',
  cpuModel: 'AMD Ryzen 9 7950X 16-Core Processor',
  cpuCount: 32,
  memoryBytes: String(64 * 2 ** 30),
  swapBytes: String(8 * 2 ** 30),
  diskFreeBytes: '512000000000',
  containerRuntimeName: 'podman',
  containerRuntimeVersion: '4.9.3',
  gitVersion: '2.43.0',
};

export interface TestKey {
  secretKey: Uint8Array;
  publicKey: Uint8Array;
  /** The builder's principal, as text. */
  principal: string;
}

/** A builder key derived from a label: the Ed25519 secret key is SHA-256(label). */
export function testKey(label: string): TestKey {
  const secretKey = hexToBytes(sha256Hex(utf8Encode(label)));
  const publicKey = ed25519PublicKeyFromSecret(secretKey);
  return { secretKey, publicKey, principal: principalFromEd25519PublicKey(publicKey) };
}

/** The verdict the format requires of a built (or failed, `null`) hash against the expected one. */
export function verdictOf(sha256: string | null, expectedSha256: string | null): Verdict {
  if (sha256 === null) return 'build_failed';
  return sha256 === expectedSha256 ? 'match' : 'mismatch';
}

/**
 * An artifact result: the GuestOS hash built and expected unless said otherwise, the verdict
 * following from the two unless given.
 */
export function testArtifact(over: Partial<Artifact> & Pick<Artifact, 'kind'>): Artifact {
  const sha256 = over.sha256 === undefined ? TEST_GUESTOS_HASH : over.sha256;
  const expectedSha256 =
    over.expectedSha256 === undefined ? TEST_GUESTOS_HASH : over.expectedSha256;
  const verdict = over.verdict ?? verdictOf(sha256, expectedSha256);
  return { name: 'update-img.tar.zst', ...over, sha256, expectedSha256, verdict };
}

/** A version 1 predicate of a GuestOS reproduction on `BARE_METAL`, with any part replaced. */
export function testPredicate(
  over: Partial<UnsignedPredicate> & { proposalId?: string; commit?: string } = {},
): UnsignedPredicate {
  const { proposalId = '134567', commit = TEST_COMMIT, ...rest } = over;
  return {
    proposal: { id: proposalId, commit },
    artifacts: [testArtifact({ kind: 'guestos' })],
    tool: {
      name: 'repro-check',
      version: '1.2.0',
      scriptSha256: sha256Hex(utf8Encode('repro-check')),
    },
    environment: { ...BARE_METAL },
    build: {
      startedOn: '2025-11-20T09:12:00Z',
      finishedOn: '2025-11-20T10:40:31Z',
      cleanCache: true,
    },
    ...rest,
  };
}

/** The envelope bytes of `predicate` signed by `key`. */
export function signedEnvelope(
  key: Pick<TestKey, 'secretKey'>,
  predicate: UnsignedPredicate = testPredicate(),
): Uint8Array {
  return signAttestation({ predicate, secretKey: key.secretKey }).envelopeBytes;
}
