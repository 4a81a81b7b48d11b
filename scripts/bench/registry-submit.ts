/**
 * The benchmark clients' call for the registry: `submit` of a freshly signed attestation, a new
 * proposal each time (no builder supersedes itself: every one is verified and stored).
 */
import { Actor } from '@dfinity/agent';
import type { ClientCall } from '@repro-registry/local-network/bench';
import { signAttestation, type UnsignedPredicate } from '@repro-registry/attestation';
import { idlFactory as registryIdl } from '@repro-registry/client';
import { createHash } from 'node:crypto';

export const makeCall: ClientCall = ({ actorOptions, secretKey, uniqueBase }) => {
  const registry = Actor.createActor<{
    submit(r: { envelope: Uint8Array }): Promise<{ Ok?: unknown; Err?: { code: string } }>;
  }>(registryIdl, actorOptions);
  return async (n) => {
    const { envelopeBytes } = signAttestation({
      predicate: benchPredicate(100_000 + uniqueBase + n),
      secretKey,
    });
    const result = await registry.submit({ envelope: envelopeBytes });
    if (result.Err) throw new Error(result.Err.code);
  };
};

/** A realistic attestation: GuestOS + HostOS with member hashes, about 3.4 KB signed. */
function benchPredicate(proposal: number): UnsignedPredicate {
  const hash = (s: string) => createHash('sha256').update(s).digest('hex');
  const members = ['boot.img', 'root.img', 'VERSION.TXT', 'partitions.tar'].map((path, m) => ({
    path,
    sha256: hash(`member-${m}`),
    size: String(1_000_000 * (m + 1)),
  }));
  const artifact = (kind: 'guestos' | 'hostos', m: typeof members) => ({
    kind,
    name: 'update-img.tar.zst',
    sha256: hash(kind),
    expectedSha256: hash(kind),
    verdict: 'match' as const,
    members: m,
  });
  return {
    proposal: { id: String(proposal), commit: 'ec35ebd252d4ffb151d2cfceba3a86c4fb87c6d6' },
    artifacts: [artifact('guestos', members), artifact('hostos', members.slice(0, 2))],
    tool: { name: 'repro-check', version: 'bench', scriptSha256: hash('script') },
    environment: {
      osName: 'Ubuntu',
      osVersion: '22.04.4 LTS',
      kernel: '6.5.0-35-generic',
      arch: 'x86_64',
      virtualization: 'kvm',
      cpuModel: 'AMD EPYC',
      cpuCount: 16,
      memoryBytes: '34359738368',
      swapBytes: '8589934592',
      diskFreeBytes: '200000000000',
      containerRuntimeName: 'podman',
      containerRuntimeVersion: '4.9.3',
      gitVersion: '2.43.0',
    },
    build: {
      startedOn: '2026-11-20T09:00:00Z',
      finishedOn: '2026-11-20T10:30:00Z',
      cleanCache: true,
    },
  };
}
