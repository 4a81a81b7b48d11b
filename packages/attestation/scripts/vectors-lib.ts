// Building blocks for the golden vectors: fixed keys, realistic predicates, and a signer that
// signs whatever bytes it is given (the package's own `signAttestation` refuses to sign invalid
// predicates, which is exactly what the invalid vectors need).
import * as ed from '@noble/ed25519';
import {
  PAYLOAD_TYPE,
  PREDICATE_TYPE_V1,
  PREDICATE_TYPE_V2,
  STATEMENT_TYPE,
  UNKNOWN_ENVIRONMENT,
  launchMeasurementsSha256,
  base64Encode,
  ed25519PublicKeyFromSecret,
  pae,
  principalFromEd25519PublicKey,
  sha256Hex,
  utf8Encode,
} from '../src/index';
import { sha256 } from '@noble/hashes/sha2.js';

/** Secret keys derived from fixed labels, so every run produces the same vectors. */
export function seededKey(label: string): Uint8Array {
  return sha256(utf8Encode(`repro-registry test vector key: ${label}`));
}

export const KEY_A = seededKey('builder A');
export const KEY_B = seededKey('builder B');

export function builderOf(secretKey: Uint8Array): { id: string; publicKey: string } {
  const publicKey = ed25519PublicKeyFromSecret(secretKey);
  return { id: principalFromEd25519PublicKey(publicKey), publicKey: base64Encode(publicKey) };
}

/** A stand-in SHA-256 for values the public record does not give; labelled so nobody mistakes it. */
export function illustrativeHash(label: string): string {
  return sha256Hex(utf8Encode(`illustrative: ${label}`));
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type LoosePredicate = { [key: string]: Json };

/**
 * GuestOS and HostOS of commit bcac7ca3 with the release-package hashes recorded for it in
 * dfinity/ic's mainnet-icos-revisions.json; the proposal id is illustrative.
 */
export function realisticMatch(builder = builderOf(KEY_A)): LoosePredicate {
  return {
    proposal: { id: '139768', commit: 'bcac7ca3862fd8409d56d9dcda919a5f25acbbd4' },
    builder,
    artifacts: [
      {
        kind: 'guestos',
        name: 'update-img.tar.zst',
        sha256: '2292b72f5e3cad65651fb8a7858cd5efdbb537b20a7388bb8a01e31f8f047bb1',
        expectedSha256: '2292b72f5e3cad65651fb8a7858cd5efdbb537b20a7388bb8a01e31f8f047bb1',
        verdict: 'match',
      },
      {
        kind: 'hostos',
        name: 'update-img.tar.zst',
        sha256: '230d1e5beccd3f07c1c6e2b00eb4083117dc42fd035ca93887f9ba567e426253',
        expectedSha256: '230d1e5beccd3f07c1c6e2b00eb4083117dc42fd035ca93887f9ba567e426253',
        verdict: 'match',
      },
    ],
    tool: {
      name: 'repro-check',
      version: 'ic@bcac7ca3',
      scriptSha256: illustrativeHash('repro-check.sh at bcac7ca3'),
    },
    environment: {
      osName: 'Ubuntu',
      osVersion: '24.04.1 LTS',
      kernel: '6.8.0-49-generic',
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
      startedOn: '2026-11-20T09:12:00Z',
      finishedOn: '2026-11-20T10:40:31Z',
      cleanCache: true,
    },
    note: "Ran ./ci/tools/repro-check -c bcac7ca3 --guestos --hostos from the proposal's own commit.",
  };
}

/**
 * The forum thread's proposal 54964 (commit 0ef2aebd), built under WSL2: the built hash is the
 * one posted in the thread; the expected hash and the member hashes are illustrative.
 */
export function wsl2Mismatch(builder = builderOf(KEY_B)): LoosePredicate {
  return {
    proposal: { id: '54964', commit: '0ef2aebde4ff735a1a93efa342dcf966b6df5061' },
    builder,
    artifacts: [
      {
        kind: 'guestos',
        name: 'update-img.tar.gz',
        sha256: '05cd757019e276af68a7e2e178dec73ae095131af841d0b44a9c03c947c2d399',
        expectedSha256: illustrativeHash('proposal 54964 release package'),
        verdict: 'mismatch',
        members: [
          { path: 'boot.img', sha256: illustrativeHash('54964 boot.img'), size: '104857600' },
          {
            path: 'root.img',
            sha256: illustrativeHash('54964 root.img built under WSL2'),
            size: '3221225472',
          },
          { path: 'VERSION.TXT', sha256: illustrativeHash('54964 VERSION.TXT'), size: '41' },
        ],
      },
    ],
    tool: { name: 'repro-check', version: 'ic@0ef2aebd', scriptSha256: null },
    environment: {
      osName: 'Ubuntu',
      osVersion: '22.04.2 LTS',
      kernel: '5.15.90.1-microsoft-standard-WSL2',
      arch: 'x86_64',
      virtualization: 'wsl2',
      cpuModel: 'Intel(R) Core(TM) i5-8250U CPU @ 1.60GHz',
      cpuCount: 8,
      memoryBytes: '4108378112',
      swapBytes: '1073741824',
      diskFreeBytes: '251000000000',
      containerRuntimeName: 'podman',
      containerRuntimeVersion: '3.4.4',
      gitVersion: '2.34.1',
    },
    build: {
      startedOn: '2022-04-11T18:02:13Z',
      finishedOn: '2022-04-11T21:47:55Z',
      cleanCache: false,
    },
    note: 'Matched on the same PC on bare metal. Under WSL2 only half the RAM and 1 GiB of swap are available; root.img differs.',
  };
}

/** Proposal 56257 (commit 3ad313dc), a failed build in a VirtualBox VM with the thread's error as note. */
export function virtualboxBuildFailure(builder = builderOf(KEY_A)): LoosePredicate {
  return {
    proposal: { id: '56257', commit: '3ad313dcda03e2db45e81d02c5f931fdf3bf5bc1' },
    builder,
    artifacts: [
      {
        kind: 'guestos',
        name: 'update-img.tar.gz',
        sha256: null,
        expectedSha256: illustrativeHash('proposal 56257 release package'),
        verdict: 'build_failed',
      },
    ],
    tool: { name: 'repro-check', version: 'ic@3ad313dc', scriptSha256: null },
    environment: {
      osName: 'Ubuntu',
      osVersion: '22.04.3 LTS',
      kernel: '6.2.0-39-generic',
      arch: 'x86_64',
      virtualization: 'virtualbox',
      cpuModel: null,
      cpuCount: 1,
      memoryBytes: '17179869184',
      swapBytes: null,
      diskFreeBytes: '120000000000',
      containerRuntimeName: 'podman',
      containerRuntimeVersion: '3.4.4',
      gitVersion: '2.34.1',
    },
    build: {
      startedOn: '2022-05-02T07:00:00Z',
      finishedOn: '2022-05-02T13:21:09.250Z',
      cleanCache: true,
    },
    note: [
      'Writing manifest to image destination',
      'Error in atexit._run_exitfuncs:',
      'Traceback (most recent call last):',
      '\tFile "toolchains/sysimage/", line 260, in <lambda>',
      '\t\tatexit.register(lambda: os.remove(tar_name))',
      "PermissionError: [Errno 1] Operation not permitted: '/tmp/tmp55m02r00.tar'",
    ].join('\n'),
  };
}

/**
 * GuestOS of commit 79faae8b (hash from mainnet-icos-revisions.json) on KVM, with the members
 * of the archive (illustrative hashes) and the other images not built.
 */
export function kvmMatchWithMembers(builder = builderOf(KEY_B)): LoosePredicate {
  return {
    proposal: { id: '139001', commit: '79faae8b354edbf45ae858f1c88bcd1eba4897a5' },
    builder,
    artifacts: [
      {
        kind: 'guestos',
        name: 'update-img.tar.zst',
        sha256: '8819fe2c230cc62300c146b6ee644d934df336cb9d17a146999d3bb2449c53b1',
        expectedSha256: '8819fe2c230cc62300c146b6ee644d934df336cb9d17a146999d3bb2449c53b1',
        verdict: 'match',
        members: [
          { path: 'boot.img', sha256: illustrativeHash('79faae8b boot.img'), size: '104857600' },
          { path: 'root.img', sha256: illustrativeHash('79faae8b root.img'), size: '3221225472' },
          { path: 'version.txt', sha256: illustrativeHash('79faae8b version.txt'), size: '41' },
        ],
      },
      {
        kind: 'setupos',
        name: 'disk-img.tar.zst',
        sha256: null,
        expectedSha256: null,
        verdict: 'not_built',
      },
      {
        kind: 'guestos-recovery',
        name: 'update-img.tar.zst',
        sha256: null,
        expectedSha256: null,
        verdict: 'not_built',
      },
    ],
    tool: { name: 'repro', version: '0.1.0', scriptSha256: null },
    environment: {
      osName: 'Debian GNU/Linux',
      osVersion: '12 (bookworm)',
      kernel: '6.1.0-26-amd64',
      arch: 'x86_64',
      virtualization: 'kvm',
      cpuModel: 'Intel Xeon Processor (Icelake)',
      cpuCount: 16,
      memoryBytes: '34359738368',
      swapBytes: '0',
      diskFreeBytes: '214748364800',
      containerRuntimeName: 'podman',
      containerRuntimeVersion: '4.3.1',
      gitVersion: '2.39.5',
    },
    build: {
      startedOn: '2026-10-02T22:00:05Z',
      finishedOn: '2026-10-03T00:31:47Z',
      cleanCache: null,
    },
  };
}

/** Everything unknown that may be unknown: nulls, `unknown` virtualization, no note. */
export function allUnknown(builder = builderOf(KEY_A)): LoosePredicate {
  return {
    proposal: { id: '1', commit: '0000000000000000000000000000000000000000' },
    builder,
    artifacts: [
      {
        kind: 'hostos',
        name: 'update-img.tar.zst',
        sha256: null,
        expectedSha256: null,
        verdict: 'not_built',
      },
    ],
    tool: { name: 'repro', version: '0.1.0', scriptSha256: null },
    environment: { ...UNKNOWN_ENVIRONMENT },
    build: {
      startedOn: '2026-01-01T00:00:00Z',
      finishedOn: '2026-01-01T00:00:00Z',
      cleanCache: null,
    },
  };
}

export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** in-toto subjects for a loose predicate, the way a correct signer derives them. */
export function looseSubjects(predicate: LoosePredicate): Json[] {
  const artifacts = predicate['artifacts'] as { kind: string; name: string; sha256: Json }[];
  return artifacts
    .filter((a) => typeof a.sha256 === 'string')
    .map((a) => ({ name: `${a.kind}/${a.name}`, digest: { sha256: a.sha256 } }));
}

/** The statement of a loose predicate; version 1 unless told (the older vectors are version 1). */
export function statementOf(
  predicate: LoosePredicate,
  predicateType: string = PREDICATE_TYPE_V1,
): { [key: string]: Json } {
  return {
    _type: STATEMENT_TYPE,
    subject: looseSubjects(predicate),
    predicateType,
    predicate,
  };
}

/** Replaces exactly one occurrence: a vector that silently changed nothing would test nothing. */
export function replaceOnce(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0)
    throw new Error(`expected exactly one ${JSON.stringify(from)}`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

export interface Craft {
  /** The statement as JSON text (default: JSON of `statementOf(predicate)`). */
  statementText?: string;
  /** Or the statement as raw bytes, for byte-level faults. */
  statementBytes?: Uint8Array;
  predicate?: LoosePredicate;
  /** Key that signs (default KEY_A). */
  signingKey?: Uint8Array;
  /** What gets signed (default: PAE of the payload type and the statement bytes). */
  signedMessage?: (statementBytes: Uint8Array) => Uint8Array;
  /** Changes the signature after signing. */
  signature?: (sig: Uint8Array) => Uint8Array;
  keyid?: string;
  /** Changes the envelope object before it is serialised. */
  envelope?: (env: { [key: string]: Json }) => Json;
  /** The statement's predicateType (default version 1). */
  predicateType?: string;
}

/** An envelope as JSON text, signed over whatever it was told to sign. */
export function craftEnvelope(c: Craft): string {
  const predicate = c.predicate ?? realisticMatch();
  const statementBytes =
    c.statementBytes ??
    utf8Encode(c.statementText ?? JSON.stringify(statementOf(predicate, c.predicateType)));
  const signingKey = c.signingKey ?? KEY_A;
  const message = c.signedMessage
    ? c.signedMessage(statementBytes)
    : pae(PAYLOAD_TYPE, statementBytes);
  let sig = ed.sign(message, signingKey);
  if (c.signature) sig = c.signature(sig);
  const env: { [key: string]: Json } = {
    payloadType: PAYLOAD_TYPE,
    payload: base64Encode(statementBytes),
    signatures: [{ keyid: c.keyid ?? builderOf(signingKey).id, sig: base64Encode(sig) }],
  };
  return JSON.stringify(c.envelope ? c.envelope(env) : env);
}

// ------------------------------------------------------------------ version 2

/** Version 2's extra environment fields, all unknown (what a version 1 predicate says of them). */
export function unknownV2Environment(): { [key: string]: Json } {
  return {
    container: 'unknown',
    containerRuntimeRootless: null,
    buildDirFilesystem: null,
    buildDirBlockSize: null,
    tmpFilesystem: null,
    tmpBlockSize: null,
    cgroupMemoryMax: null,
    cgroupCpuMax: null,
    zstdVersion: null,
    tarVersion: null,
  };
}

/**
 * A version 2 reproduction of GuestOS release bcac7ca3 (its release-package hash from
 * dfinity/ic's mainnet-icos-revisions.json) in a rootless podman container inside a KVM VM, on
 * an XFS build directory: the archive differs, the tar layer too, and the members name root.img;
 * the launch measurements match (their values and the member hashes are illustrative).
 */
export function kvmContainerMismatchV2(builder = builderOf(KEY_A)): LoosePredicate {
  const measurements = launchMeasurementsSha256([
    {
      measurementHex: illustrativeHash('measurement bcac7ca3').slice(0, 96).padEnd(96, '0'),
      kernelCmdline: 'root=/dev/vda5 console=ttyS0 dfinity.system=A',
    },
  ]);
  return {
    proposal: { id: '139768', commit: 'bcac7ca3862fd8409d56d9dcda919a5f25acbbd4' },
    builder,
    artifacts: [
      {
        kind: 'guestos',
        name: 'update-img.tar.zst',
        sha256: illustrativeHash('bcac7ca3 GuestOS built on XFS'),
        expectedSha256: '2292b72f5e3cad65651fb8a7858cd5efdbb537b20a7388bb8a01e31f8f047bb1',
        verdict: 'mismatch',
        members: [
          { path: 'VERSION.TXT', sha256: illustrativeHash('bcac7ca3 VERSION.TXT'), size: '41' },
          { path: 'boot.img', sha256: illustrativeHash('bcac7ca3 boot.img'), size: '104857600' },
          {
            path: 'root.img',
            sha256: illustrativeHash('bcac7ca3 root.img built on XFS'),
            size: '3221225472',
          },
        ],
        tarSha256: illustrativeHash('bcac7ca3 GuestOS tar built on XFS'),
      },
      {
        kind: 'launch-measurements',
        name: 'launch-measurements.json',
        sha256: measurements,
        expectedSha256: measurements,
        verdict: 'match',
      },
    ],
    tool: {
      name: 'repro-check',
      version: 'python-logging 2026-09; dfinity/ic@bcac7ca3:ci/scripts/repro-check',
      scriptSha256: illustrativeHash('ci/scripts/repro-check at bcac7ca3'),
      exitCode: 1,
    },
    environment: {
      osName: 'Ubuntu',
      osVersion: '24.04.1 LTS',
      kernel: '6.8.0-49-generic',
      arch: 'x86_64',
      virtualization: 'kvm',
      cpuModel: 'AMD EPYC 7543 32-Core Processor',
      cpuCount: 16,
      memoryBytes: '34359738368',
      swapBytes: '0',
      diskFreeBytes: '214748364800',
      containerRuntimeName: 'podman',
      containerRuntimeVersion: '4.9.3',
      gitVersion: '2.43.0',
      container: 'podman',
      containerRuntimeRootless: true,
      buildDirFilesystem: 'xfs',
      buildDirBlockSize: '4096',
      tmpFilesystem: 'tmpfs',
      tmpBlockSize: '4096',
      cgroupMemoryMax: '34359738368',
      cgroupCpuMax: '1600000 100000',
      zstdVersion: '1.5.5',
      tarVersion: '1.35',
    },
    build: {
      startedOn: '2026-11-20T09:12:00Z',
      finishedOn: '2026-11-20T10:55:02Z',
      cleanCache: true,
      failure: null,
    },
  };
}

/**
 * A version 2 build under WSL2 that ran out of disk: GuestOS build_failed with the build's
 * first real error line as cause, classified `environment`; HostOS not built.
 */
export function wsl2DiskFullV2(builder = builderOf(KEY_B)): LoosePredicate {
  return {
    proposal: { id: '139768', commit: 'bcac7ca3862fd8409d56d9dcda919a5f25acbbd4' },
    builder,
    artifacts: [
      {
        kind: 'guestos',
        name: 'update-img.tar.zst',
        sha256: null,
        expectedSha256: '2292b72f5e3cad65651fb8a7858cd5efdbb537b20a7388bb8a01e31f8f047bb1',
        verdict: 'build_failed',
      },
    ],
    tool: {
      name: 'repro-check',
      version: 'python-logging; dfinity/ic@bcac7ca3:ci/scripts/repro-check',
      scriptSha256: illustrativeHash('ci/scripts/repro-check at bcac7ca3'),
      exitCode: 1,
    },
    environment: {
      osName: 'Ubuntu',
      osVersion: '22.04.3 LTS',
      kernel: '5.15.153.1-microsoft-standard-WSL2',
      arch: 'x86_64',
      virtualization: 'wsl2',
      cpuModel: null,
      cpuCount: 8,
      memoryBytes: '8254390272',
      swapBytes: '2147483648',
      diskFreeBytes: '1048576',
      containerRuntimeName: 'podman',
      containerRuntimeVersion: '3.4.4',
      gitVersion: '2.34.1',
      container: 'none',
      containerRuntimeRootless: true,
      buildDirFilesystem: 'ext4',
      buildDirBlockSize: '4096',
      tmpFilesystem: 'ext4',
      tmpBlockSize: '4096',
      cgroupMemoryMax: 'max',
      cgroupCpuMax: 'max 100000',
      zstdVersion: '1.4.8',
      tarVersion: '1.34',
    },
    build: {
      startedOn: '2026-11-21T18:00:00Z',
      finishedOn: '2026-11-21T18:41:10Z',
      cleanCache: false,
      failure: {
        category: 'environment',
        cause:
          'Error: writing blob: storing blob to file "/var/tmp/storage123/1": write /var/tmp/storage123/1: no space left on device',
      },
    },
  };
}

/** A version 1 predicate as version 2 with every new field unknown. */
export function v2Of(predicate: LoosePredicate): LoosePredicate {
  const p = clone(predicate);
  (p['tool'] as { [key: string]: Json })['exitCode'] = null;
  Object.assign(p['environment'] as { [key: string]: Json }, unknownV2Environment());
  (p['build'] as { [key: string]: Json })['failure'] = null;
  return p;
}

export { PREDICATE_TYPE_V2 };
