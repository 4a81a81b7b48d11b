/** Candid types of the certified reads (the transparency log, certified summaries). */
import { IDL } from '@dfinity/candid';

import { RegistryError } from '../candid_types';

const Blob = IDL.Vec(IDL.Nat8);

export const Checkpoint = IDL.Record({
  origin: IDL.Text,
  size: IDL.Nat64,
  root: Blob,
  certificate: IDL.Opt(Blob),
  witness: Blob,
  note: IDL.Opt(Blob),
});
export type Checkpoint = {
  origin: string;
  size: bigint;
  root: Uint8Array;
  certificate: [] | [Uint8Array];
  witness: Uint8Array;
  note: [] | [Uint8Array];
};

export const InclusionProofRequest = IDL.Record({
  attestation_id: IDL.Nat64,
  tree_size: IDL.Opt(IDL.Nat64),
});
export type InclusionProofRequest = { attestation_id: bigint; tree_size: [] | [bigint] };

export const InclusionProof = IDL.Record({
  attestation_id: IDL.Nat64,
  leaf_index: IDL.Nat64,
  tree_size: IDL.Nat64,
  leaf: Blob,
  proof: IDL.Vec(Blob),
  checkpoint: Checkpoint,
});
export type InclusionProof = {
  attestation_id: bigint;
  leaf_index: bigint;
  tree_size: bigint;
  leaf: Uint8Array;
  proof: Uint8Array[];
  checkpoint: Checkpoint;
};

export const ConsistencyProofRequest = IDL.Record({
  old_size: IDL.Nat64,
  new_size: IDL.Opt(IDL.Nat64),
});
export type ConsistencyProofRequest = { old_size: bigint; new_size: [] | [bigint] };

export const ConsistencyProof = IDL.Record({
  old_size: IDL.Nat64,
  new_size: IDL.Nat64,
  proof: IDL.Vec(Blob),
  checkpoint: Checkpoint,
});
export type ConsistencyProof = {
  old_size: bigint;
  new_size: bigint;
  proof: Uint8Array[];
  checkpoint: Checkpoint;
};

export const CertifiedSummary = IDL.Record({
  proposal_id: IDL.Nat64,
  summary: Blob,
  certificate: IDL.Opt(Blob),
  witness: Blob,
});
export type CertifiedSummary = {
  proposal_id: bigint;
  summary: Uint8Array;
  certificate: [] | [Uint8Array];
  witness: Uint8Array;
};

export const CertifiedAttestation = IDL.Record({
  attestation_id: IDL.Nat64,
  certified_record: Blob,
  envelope: Blob,
  certificate: IDL.Opt(Blob),
  witness: Blob,
});
export type CertifiedAttestation = {
  attestation_id: bigint;
  certified_record: Uint8Array;
  envelope: Uint8Array;
  certificate: [] | [Uint8Array];
  witness: Uint8Array;
};

const result = (ok: IDL.Type) => IDL.Variant({ Ok: ok, Err: RegistryError });
export const InclusionProofResult = result(InclusionProof);
export const ConsistencyProofResult = result(ConsistencyProof);
export const CertifiedSummaryResult = result(CertifiedSummary);
export const CertifiedAttestationResult = result(CertifiedAttestation);
