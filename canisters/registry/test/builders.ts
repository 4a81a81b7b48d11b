/**
 * Test builders for the registry: the shared kit (@repro-registry/attestation/testing) with
 * principals as `Principal` and the registry's names. Shared by the logic tests, the wasm
 * tests and the benchmarks.
 */
import { Principal } from '@dfinity/principal';
import { sha256Hex, utf8Encode, type UnsignedPredicate } from '@repro-registry/attestation';
import {
  TEST_COMMIT,
  TEST_GUESTOS_HASH,
  signedEnvelope,
  testArtifact,
  testKey,
  testPredicate,
} from '@repro-registry/attestation/testing';

export interface TestBuilder {
  secretKey: Uint8Array;
  publicKey: Uint8Array;
  principal: Principal;
}

export function testBuilder(seed: string | number): TestBuilder {
  const key = testKey(`builder-${seed}`);
  return { ...key, principal: Principal.fromText(key.principal) };
}

export const COMMIT = TEST_COMMIT;
export const GUESTOS_HASH = TEST_GUESTOS_HASH;
export const HOSTOS_HASH = 'a'.repeat(64);

export function hashOf(label: string): string {
  return sha256Hex(utf8Encode(label));
}

export const artifact = testArtifact;
export const predicate = testPredicate;

export function sign(builder: TestBuilder, p: UnsignedPredicate = predicate()): Uint8Array {
  return signedEnvelope(builder, p);
}
