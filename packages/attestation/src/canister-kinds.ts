/**
 * Canister reproductions (predicate `canister-reproduction/v1`): the same statement as an IC-OS
 * reproduction (version 2's fields), for a proposal that installs or publishes canister modules.
 * Its artifacts are named by what the vote is about (README "Canister reproductions"):
 *
 *   canister:<target>      the module an InstallCode (or older upgrade) proposal installs (.wasm.gz)
 *   canister-arg:<target>  the install argument's Candid bytes (hashed as `didc encode` writes them)
 *   sns-wasm:<type>        the module an AddSnsWasm proposal publishes to SNS-W
 *
 * <target> is the NNS canister's well-known name (`governance`, `cycles-minting`, …) or the
 * canister id in text form; <type> is SNS-W's canister type. `@repro-registry/proposals` derives
 * the kinds a proposal expects with the same rule.
 */

/** `canister:<target>` / `canister-arg:<target>`. */
export const CANISTER_ARTIFACT_KIND = /^(canister|canister-arg):[a-z0-9][a-z0-9-]{0,62}$/;
/** `sns-wasm:<type>` for SNS-W's canister types. */
export const SNS_WASM_ARTIFACT_KIND = /^sns-wasm:(root|governance|ledger|swap|archive|index)$/;

export type CanisterArtifactKind =
  `canister:${string}` | `canister-arg:${string}` | `sns-wasm:${string}`;

/** Which artifact kinds a predicate type allows: the IC-OS ones or the canister ones. */
export type ArtifactKindFamily = 'icos' | 'canister';

export function isCanisterArtifactKind(kind: string): kind is CanisterArtifactKind {
  return CANISTER_ARTIFACT_KIND.test(kind) || SNS_WASM_ARTIFACT_KIND.test(kind);
}
