/**
 * Seeds a registry on a local network with attestations the way builders make them: each
 * builder has its own Ed25519 key, signs its attestation with `packages/attestation` and
 * submits it through the project's client as itself. Used by the browser tests and by the
 * frontend benchmark.
 */
import { Ed25519KeyIdentity } from '@dfinity/identity';
import {
  sha256Hex,
  signAttestation,
  utf8Encode,
  type Artifact,
  type ArtifactMember,
  type ArtifactSource,
  type Environment,
  type UnsignedPredicate,
} from '@repro-registry/attestation';
import { BARE_METAL, testKey, verdictOf } from '@repro-registry/attestation/testing';
import { createRegistryClient, type RegistryClient } from '@repro-registry/client';

export const COMMIT = 'bcac7ca3862fd8409d56d9dcda919a5f25acbbd4';
/** What reproducible builds of the commit give (GuestOS update image). */
export const GOOD_HASH = '2292b72f5e3cad65651fb8a7858cd5efdbb537b20a7388bb8a01e31f8f047bb1';
/** What the misconfigured machines built instead. */
export const BAD_HASH = sha256Hex(utf8Encode('update-img.tar.zst built on a machine that differs'));

const GIB = 2 ** 30;
const member = (path: string, label: string, size: number): ArtifactMember => ({
  path,
  sha256: sha256Hex(utf8Encode(label)),
  size: String(size),
});
export const MEMBERS: ArtifactMember[] = [
  member('boot.img', 'boot.img', 100 * 2 ** 20),
  member('root.img', 'root.img', GIB),
  member('version.txt', 'version.txt', 41),
];
/** The same archive from a machine that builds root.img differently. */
export const MEMBERS_ROOT_DIFFERS: ArtifactMember[] = MEMBERS.map((m) =>
  m.path === 'root.img' ? member('root.img', 'root.img from a machine that differs', GIB) : m,
);

export const ENVIRONMENTS = {
  bareMetal: { ...BARE_METAL, diskFreeBytes: String(900 * GIB) },
  kvm: {
    osName: 'Ubuntu',
    osVersion: '22.04.4 LTS',
    kernel: '6.5.0-41-generic',
    arch: 'x86_64',
    virtualization: 'kvm',
    cpuModel: 'Intel Xeon Processor (Icelake)',
    cpuCount: 8,
    memoryBytes: String(Math.round(31.3 * GIB)),
    swapBytes: String(16 * GIB),
    diskFreeBytes: String(250 * GIB),
    containerRuntimeName: 'podman',
    containerRuntimeVersion: '4.9.3',
    gitVersion: '2.34.1',
  },
  bareMetal2404: {
    osName: 'Ubuntu',
    osVersion: '24.04.1 LTS',
    kernel: '6.8.0-45-generic',
    arch: 'x86_64',
    virtualization: 'bare_metal',
    cpuModel: 'Intel(R) Core(TM) i5-8400',
    cpuCount: 6,
    memoryBytes: String(Math.round(15.5 * GIB)),
    swapBytes: String(4 * GIB),
    diskFreeBytes: String(300 * GIB),
    containerRuntimeName: 'podman',
    containerRuntimeVersion: '4.9.3',
    gitVersion: '2.43.0',
  },
  wsl2: {
    osName: 'Ubuntu',
    osVersion: '22.04.2 LTS',
    kernel: '5.15.146.1-microsoft-standard-WSL2',
    arch: 'x86_64',
    virtualization: 'wsl2',
    cpuModel: 'Intel(R) Core(TM) i5-8250U CPU @ 1.60GHz',
    cpuCount: 8,
    memoryBytes: String(Math.round(7.7 * GIB)),
    swapBytes: String(2 * GIB),
    diskFreeBytes: String(120 * GIB),
    containerRuntimeName: 'podman',
    containerRuntimeVersion: '3.4.4',
    gitVersion: '2.34.1',
  },
  virtualbox: {
    osName: 'Ubuntu',
    osVersion: '22.04.3 LTS',
    kernel: '6.2.0-39-generic',
    arch: 'x86_64',
    virtualization: 'virtualbox',
    cpuModel: 'AMD Ryzen 7 5800X 8-Core Processor',
    cpuCount: 4,
    memoryBytes: String(Math.round(11.7 * GIB)),
    swapBytes: String(2 * GIB),
    diskFreeBytes: String(110 * GIB),
    containerRuntimeName: 'podman',
    containerRuntimeVersion: '3.4.4',
    gitVersion: '2.34.1',
  },
} satisfies Record<string, Environment>;

export interface SeedBuilder {
  label: string;
  secretKey: Uint8Array;
  principal: string;
  identity: Ed25519KeyIdentity;
}

export function seedBuilder(label: string): SeedBuilder {
  const { secretKey } = testKey(`repro-registry seed builder ${label}`);
  const identity = Ed25519KeyIdentity.fromSecretKey(secretKey);
  return { label, secretKey, identity, principal: identity.getPrincipal().toText() };
}

export interface ReproductionSpec {
  builder: SeedBuilder;
  proposalId: string;
  /** null: the build failed. */
  sha256: string | null;
  members?: ArtifactMember[];
  environment: Environment;
  cleanCache?: boolean | null;
  note?: string;
  /** The release's SHA256SUMS and package URLs as the builder read them. */
  sources?: ArtifactSource[];
}

export function predicateOf(spec: ReproductionSpec): UnsignedPredicate {
  const { sha256 } = spec;
  const artifact: Artifact = {
    kind: 'guestos',
    name: 'update-img.tar.zst',
    sha256,
    expectedSha256: GOOD_HASH,
    verdict: verdictOf(sha256, GOOD_HASH),
    ...(spec.members !== undefined && sha256 !== null ? { members: spec.members } : {}),
    ...(spec.sources !== undefined ? { sources: spec.sources } : {}),
  };
  return {
    proposal: { id: spec.proposalId, commit: COMMIT },
    artifacts: [artifact],
    tool: {
      name: 'repro-check',
      version: '2.1.0',
      scriptSha256: sha256Hex(utf8Encode('repro-check.sh')),
    },
    environment: spec.environment,
    build: {
      startedOn: '2026-11-20T09:12:00Z',
      finishedOn: '2026-11-20T10:40:31Z',
      cleanCache: spec.cleanCache ?? true,
    },
    ...(spec.note === undefined ? {} : { note: spec.note }),
  };
}

export interface SeedTarget {
  url: string;
  canisterId: string;
}

async function clientFor(target: SeedTarget, builder: SeedBuilder): Promise<RegistryClient> {
  return createRegistryClient({
    host: target.url,
    canisterId: target.canisterId,
    identity: builder.identity,
    fetchRootKey: true,
    retryTimes: 0,
  });
}

/** Signs and submits each reproduction as its builder; fails on the first refusal. */
export async function submitReproductions(
  target: SeedTarget,
  specs: ReproductionSpec[],
  options: { concurrency?: number } = {},
): Promise<bigint[]> {
  const ids: bigint[] = new Array<bigint>(specs.length);
  const clients = new Map<string, Promise<RegistryClient>>();
  let next = 0;
  const worker = async () => {
    while (next < specs.length) {
      const index = next++;
      const spec = specs[index];
      let client = clients.get(spec.builder.principal);
      if (client === undefined) {
        client = clientFor(target, spec.builder);
        clients.set(spec.builder.principal, client);
      }
      const { envelopeBytes } = signAttestation({
        predicate: predicateOf(spec),
        secretKey: spec.builder.secretKey,
      });
      const receipt = await (await client).submit(envelopeBytes);
      if (!receipt.ok)
        throw new Error(
          `submit for ${spec.builder.label} refused: ${receipt.error.code} ${receipt.error.message}`,
        );
      ids[index] = receipt.value.attestation_id;
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(options.concurrency ?? 1, specs.length) }, worker),
  );
  return ids;
}

export async function setProfile(
  target: SeedTarget,
  builder: SeedBuilder,
  profile: { displayName: string; url?: string },
): Promise<void> {
  const client = await clientFor(target, builder);
  const result = await client.setBuilderProfile(profile);
  if (!result.ok)
    throw new Error(
      `profile of ${builder.label} refused: ${result.error.code} ${result.error.message}`,
    );
}

/** A note as builders write them; this one also carries markup that must stay text. */
export const HOSTILE_NOTE =
  '<script>window.__pwned = true</script><img src=x onerror="window.__pwned=true"> ' +
  "PermissionError: [Errno 1] Operation not permitted: '/tmp/tmp55m02r00.tar'";

// Proposal ids no other test uses: the integration tests share one registry.
export const PROPOSALS = {
  /** Matches and mismatches from several environments; the mismatches differ in root.img. */
  mixed: '7310768',
  amber: '7310500',
  red: '7310300',
  green: '7310100',
  /** Its only attestation is hidden by the registry's controller. */
  grey: '7309900',
  /** Two builders so far (the threshold is 3); one of them first got another hash. */
  notYet: '7309700',
  /** Three got the proposal's hash, three on WSL2 another: as many differ as agree. */
  split: '7309500',
} as const;

/** The browser tests' world: seven proposals, fourteen builders, five kinds of machine. */
export function scenario(): {
  builders: Record<string, SeedBuilder>;
  reproductions: ReproductionSpec[];
} {
  const b = Object.fromEntries(
    [
      'alice',
      'bob',
      'carol',
      'dave',
      'erin',
      'frank',
      'grace',
      'heidi',
      'ivan',
      'judy',
      'mallory',
      'olivia',
      'peggy',
      'trent',
    ].map((l) => [l, seedBuilder(l)]),
  ) as Record<string, SeedBuilder>;
  const e = ENVIRONMENTS;
  const r = (
    builder: SeedBuilder,
    proposalId: string,
    sha256: string | null,
    environment: Environment,
    extra: Partial<ReproductionSpec> = {},
  ) => ({
    builder,
    proposalId,
    sha256,
    environment,
    ...extra,
  });
  const P = PROPOSALS;
  const reproductions: ReproductionSpec[] = [
    r(b['alice'], P.mixed, GOOD_HASH, e.bareMetal, { members: MEMBERS }),
    r(b['bob'], P.mixed, GOOD_HASH, e.kvm, { members: MEMBERS }),
    r(b['carol'], P.mixed, GOOD_HASH, e.bareMetal2404),
    r(b['dave'], P.mixed, GOOD_HASH, e.kvm),
    r(b['erin'], P.mixed, BAD_HASH, e.wsl2, { members: MEMBERS_ROOT_DIFFERS }),
    r(b['frank'], P.mixed, BAD_HASH, e.virtualbox, {
      members: MEMBERS_ROOT_DIFFERS,
      cleanCache: false,
    }),
    r(b['grace'], P.mixed, null, e.virtualbox, { note: HOSTILE_NOTE }),
    r(b['alice'], P.amber, GOOD_HASH, e.bareMetal),
    r(b['bob'], P.amber, GOOD_HASH, e.kvm),
    r(b['carol'], P.amber, GOOD_HASH, e.bareMetal2404),
    r(b['erin'], P.amber, BAD_HASH, e.wsl2),
    r(b['erin'], P.red, BAD_HASH, e.wsl2),
    r(b['heidi'], P.red, BAD_HASH, e.wsl2),
    ...['alice', 'bob', 'carol', 'dave', 'ivan'].map((l, i) =>
      r(b[l], P.green, GOOD_HASH, i % 2 === 0 ? e.bareMetal : e.kvm),
    ),
    // Alice's first build differed, her second matched: the first is superseded.
    r(b['alice'], P.notYet, BAD_HASH, e.bareMetal),
    r(b['alice'], P.notYet, GOOD_HASH, e.bareMetal),
    r(b['bob'], P.notYet, GOOD_HASH, e.kvm),
    r(b['alice'], P.split, GOOD_HASH, e.bareMetal),
    r(b['bob'], P.split, GOOD_HASH, e.kvm),
    r(b['carol'], P.split, GOOD_HASH, e.bareMetal2404),
    ...['olivia', 'peggy', 'trent'].map((l) => r(b[l], P.split, BAD_HASH, e.wsl2)),
    // Last: the test hides it.
    r(b['mallory'], P.grey, GOOD_HASH, e.bareMetal),
  ];
  return { builders: b, reproductions };
}
