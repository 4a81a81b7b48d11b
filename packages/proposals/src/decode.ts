import { IDL } from '@dfinity/candid';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { NnsFunction } from './nns-functions';
import {
  BlessReplicaVersionPayloadIdl,
  GuestosElectionPayloadIdl,
  HostosElectionPayloadIdl,
  ReviseElectedGuestosVersionsPayloadIdl,
  ReviseElectedHostosVersionsPayloadIdl,
  type BlessReplicaVersionPayloadValue,
  type GuestosElectionPayloadValue,
  type HostosElectionPayloadValue,
} from './registry-payloads';
import {
  ProposalsErrorCode,
  decodeOne,
  decodePayload,
  failure,
  optional,
  type DecodeResult,
} from './result';

export type IcOsElectionPayloadType =
  | 'ReviseElectedGuestosVersions'
  | 'BlessReplicaVersion'
  | 'ReviseElectedHostosVersions'
  | 'UpdateElectedHostosVersions';

export interface LaunchMeasurement {
  /** SEV-SNP launch measurement, lowercase hex (48 bytes today). */
  measurementHex: string;
  kernelCmdline: string | null;
}

export interface IcOsElection {
  os: 'guestos' | 'hostos';
  payloadType: IcOsElectionPayloadType;
  nnsFunction: number;
  /** The git commit of dfinity/ic being elected; null when the proposal only unelects. */
  electedCommit: string | null;
  /** SHA-256 of the release package (`update-img.tar.zst` / `.tar.gz`) as written in the payload. */
  releasePackageSha256Hex: string | null;
  releasePackageUrls: string[];
  /** GuestOS only, from 2025: the SEV-SNP launch measurements of the elected version. */
  launchMeasurements?: LaunchMeasurement[];
  /** 2023–2025 GuestOS payloads: SHA-256 of the SEV guest launch context. */
  guestLaunchMeasurementSha256Hex?: string;
  unelectedVersions: string[];
}

function fromGuestos(nnsFunction: number, value: GuestosElectionPayloadValue): IcOsElection {
  const election: IcOsElection = {
    os: 'guestos',
    payloadType: 'ReviseElectedGuestosVersions',
    nnsFunction,
    electedCommit: optional(value.replica_version_to_elect),
    releasePackageSha256Hex: optional(value.release_package_sha256_hex),
    releasePackageUrls: value.release_package_urls,
    unelectedVersions: value.replica_versions_to_unelect,
  };
  const measurements = optional(value.guest_launch_measurements);
  if (measurements !== null) {
    election.launchMeasurements = measurements.guest_launch_measurements.map((m) => ({
      measurementHex: bytesToHex(Uint8Array.from(m.measurement)),
      kernelCmdline: optional(m.metadata)?.kernel_cmdline ?? null,
    }));
  }
  const contextHash = optional(value.guest_launch_measurement_sha256_hex);
  if (contextHash !== null) election.guestLaunchMeasurementSha256Hex = contextHash;
  return election;
}

function fromHostos(nnsFunction: number, value: HostosElectionPayloadValue): IcOsElection {
  return {
    os: 'hostos',
    payloadType:
      nnsFunction === NnsFunction.ReviseElectedHostosVersions
        ? 'ReviseElectedHostosVersions'
        : 'UpdateElectedHostosVersions',
    nnsFunction,
    electedCommit: optional(value.hostos_version_to_elect),
    releasePackageSha256Hex: optional(value.release_package_sha256_hex),
    releasePackageUrls: value.release_package_urls,
    unelectedVersions: value.hostos_versions_to_unelect,
  };
}

function fromBless(nnsFunction: number, value: BlessReplicaVersionPayloadValue): IcOsElection {
  const urls = optional(value.release_package_urls);
  const url = optional(value.release_package_url);
  const election: IcOsElection = {
    os: 'guestos',
    payloadType: 'BlessReplicaVersion',
    nnsFunction,
    electedCommit: value.replica_version_id,
    releasePackageSha256Hex: value.release_package_sha256_hex,
    // Later payloads carry both, the plural one being authoritative; an empty legacy field is no URL.
    releasePackageUrls:
      urls !== null && urls.length > 0 ? urls : url !== null && url !== '' ? [url] : [],
    unelectedVersions: [],
  };
  const contextHash = optional(value.guest_launch_measurement_sha256_hex);
  if (contextHash !== null) election.guestLaunchMeasurementSha256Hex = contextHash;
  return election;
}

/**
 * Decodes the Candid payload of an `ExecuteNnsFunction` proposal that elects a GuestOS or
 * HostOS version. Never throws: anything else is `NOT_ICOS_ELECTION`, an empty payload (left out
 * by `list_proposals`) is `PAYLOAD_OMITTED`, one that does not decode `PAYLOAD_UNDECODABLE`.
 */
export function decodeIcOsElection(args: {
  nnsFunction: number;
  payload: Uint8Array;
}): DecodeResult<IcOsElection> {
  const { nnsFunction, payload } = args;
  const decoders: Record<number, () => IcOsElection> = {
    [NnsFunction.ReviseElectedGuestosVersions]: () =>
      fromGuestos(
        nnsFunction,
        decodeOne<GuestosElectionPayloadValue>(GuestosElectionPayloadIdl, payload),
      ),
    [NnsFunction.ReviseElectedHostosVersions]: () =>
      fromHostos(
        nnsFunction,
        decodeOne<HostosElectionPayloadValue>(HostosElectionPayloadIdl, payload),
      ),
    [NnsFunction.UpdateElectedHostosVersions]: () =>
      fromHostos(
        nnsFunction,
        decodeOne<HostosElectionPayloadValue>(HostosElectionPayloadIdl, payload),
      ),
    [NnsFunction.BlessReplicaVersion]: () =>
      fromBless(
        nnsFunction,
        decodeOne<BlessReplicaVersionPayloadValue>(BlessReplicaVersionPayloadIdl, payload),
      ),
  };
  const decode = Number.isInteger(nnsFunction) ? decoders[nnsFunction] : undefined;
  if (decode === undefined)
    return failure(
      ProposalsErrorCode.NOT_ICOS_ELECTION,
      `NNS function ${nnsFunction} does not elect an IC-OS version`,
    );
  return decodePayload({
    payload,
    what: `NNS function ${nnsFunction}`,
    decode: () => ({ ok: true, value: decode() }),
  });
}

/** Encodes a GuestOS election the way the NNS does today (for local networks and fixtures). */
export function encodeGuestosElectionPayload(args: {
  electedCommit: string | null;
  releasePackageSha256Hex: string | null;
  releasePackageUrls: string[];
  launchMeasurements?: LaunchMeasurement[];
  unelectedVersions?: string[];
}): Uint8Array {
  return IDL.encode(
    [ReviseElectedGuestosVersionsPayloadIdl],
    [
      {
        release_package_urls: args.releasePackageUrls,
        replica_versions_to_unelect: args.unelectedVersions ?? [],
        replica_version_to_elect: args.electedCommit === null ? [] : [args.electedCommit],
        guest_launch_measurements:
          args.launchMeasurements === undefined
            ? []
            : [
                {
                  guest_launch_measurements: args.launchMeasurements.map((m) => ({
                    measurement: hexToBytes(m.measurementHex),
                    metadata: m.kernelCmdline === null ? [] : [{ kernel_cmdline: m.kernelCmdline }],
                  })),
                },
              ],
        release_package_sha256_hex:
          args.releasePackageSha256Hex === null ? [] : [args.releasePackageSha256Hex],
      },
    ],
  );
}

/** Encodes a HostOS election (`ReviseElectedHostosVersionsPayload`). */
export function encodeHostosElectionPayload(args: {
  electedCommit: string | null;
  releasePackageSha256Hex: string | null;
  releasePackageUrls: string[];
  unelectedVersions?: string[];
}): Uint8Array {
  return IDL.encode(
    [ReviseElectedHostosVersionsPayloadIdl],
    [
      {
        release_package_urls: args.releasePackageUrls,
        hostos_version_to_elect: args.electedCommit === null ? [] : [args.electedCommit],
        hostos_versions_to_unelect: args.unelectedVersions ?? [],
        release_package_sha256_hex:
          args.releasePackageSha256Hex === null ? [] : [args.releasePackageSha256Hex],
      },
    ],
  );
}
