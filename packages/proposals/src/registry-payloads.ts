import { IDL } from '@dfinity/candid';

/*
 * Candid types of the IC-OS election payloads, as the NNS registry canister declares them
 * (dfinity/ic rs/registry/canister/canister/registry.did and the payload structs in
 * rs/registry/canister/src/mutations/). A payload is decoded with the type below, which is a
 * Candid supertype of every historic version of that payload: fields that were added or removed
 * over time are `opt`, so a missing field decodes to null and an extra wire field is skipped.
 */

/** `GuestLaunchMeasurements` (SEV-SNP launch measurements, added in 2025). */
export const GuestLaunchMeasurementsIdl = IDL.Record({
  guest_launch_measurements: IDL.Vec(
    IDL.Record({
      measurement: IDL.Vec(IDL.Nat8),
      metadata: IDL.Opt(IDL.Record({ kernel_cmdline: IDL.Text })),
    }),
  ),
});

export interface GuestLaunchMeasurementsValue {
  guest_launch_measurements: Array<{
    measurement: Uint8Array | number[];
    metadata: [] | [{ kernel_cmdline: string }];
  }>;
}

/**
 * NnsFunction 38: `ReviseElectedGuestosVersionsPayload`, which is the renamed
 * `UpdateElectedReplicaVersionsPayload` (2023–2025 it carried
 * `guest_launch_measurement_sha256_hex`; now `guest_launch_measurements`).
 */
export const GuestosElectionPayloadIdl = IDL.Record({
  replica_version_to_elect: IDL.Opt(IDL.Text),
  release_package_sha256_hex: IDL.Opt(IDL.Text),
  release_package_urls: IDL.Vec(IDL.Text),
  guest_launch_measurement_sha256_hex: IDL.Opt(IDL.Text),
  guest_launch_measurements: IDL.Opt(GuestLaunchMeasurementsIdl),
  replica_versions_to_unelect: IDL.Vec(IDL.Text),
});

export interface GuestosElectionPayloadValue {
  replica_version_to_elect: [] | [string];
  release_package_sha256_hex: [] | [string];
  release_package_urls: string[];
  guest_launch_measurement_sha256_hex: [] | [string];
  guest_launch_measurements: [] | [GuestLaunchMeasurementsValue];
  replica_versions_to_unelect: string[];
}

/** NnsFunction 40 (`UpdateElectedHostosVersionsPayload`) and 50 (`ReviseElectedHostosVersionsPayload`). */
export const HostosElectionPayloadIdl = IDL.Record({
  hostos_version_to_elect: IDL.Opt(IDL.Text),
  release_package_sha256_hex: IDL.Opt(IDL.Text),
  release_package_urls: IDL.Vec(IDL.Text),
  hostos_versions_to_unelect: IDL.Vec(IDL.Text),
});

export interface HostosElectionPayloadValue {
  hostos_version_to_elect: [] | [string];
  release_package_sha256_hex: [] | [string];
  release_package_urls: string[];
  hostos_versions_to_unelect: string[];
}

/**
 * NnsFunction 5: `BlessReplicaVersionPayload`. The 2021 version had seven `text` fields
 * (replica and node-manager binaries too); later ones kept only the version id and the release
 * package. `text` on the wire decodes at `opt text`, so one type reads all of them.
 */
export const BlessReplicaVersionPayloadIdl = IDL.Record({
  replica_version_id: IDL.Text,
  release_package_sha256_hex: IDL.Text,
  release_package_url: IDL.Opt(IDL.Text),
  release_package_urls: IDL.Opt(IDL.Vec(IDL.Text)),
  guest_launch_measurement_sha256_hex: IDL.Opt(IDL.Text),
});

export interface BlessReplicaVersionPayloadValue {
  replica_version_id: string;
  release_package_sha256_hex: string;
  release_package_url: [] | [string];
  release_package_urls: [] | [string[]];
  guest_launch_measurement_sha256_hex: [] | [string];
}

/**
 * The exact current types, for encoding a payload the way the NNS does today (the lead's local
 * governance stand-in, fixtures). Decoding never uses these: it uses the supertypes above.
 */
export const ReviseElectedGuestosVersionsPayloadIdl = IDL.Record({
  release_package_urls: IDL.Vec(IDL.Text),
  replica_versions_to_unelect: IDL.Vec(IDL.Text),
  replica_version_to_elect: IDL.Opt(IDL.Text),
  guest_launch_measurements: IDL.Opt(GuestLaunchMeasurementsIdl),
  release_package_sha256_hex: IDL.Opt(IDL.Text),
});

export const ReviseElectedHostosVersionsPayloadIdl = IDL.Record({
  release_package_urls: IDL.Vec(IDL.Text),
  hostos_version_to_elect: IDL.Opt(IDL.Text),
  hostos_versions_to_unelect: IDL.Vec(IDL.Text),
  release_package_sha256_hex: IDL.Opt(IDL.Text),
});
