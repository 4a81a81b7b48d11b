/** What the governance stand-in's wasm is built from: a change in any of these rebuilds it. */
export const GOVERNANCE_SOURCE_DIRS = [
  'canisters/governance/src',
  'packages/proposals/src',
  'packages/attestation/src',
];
