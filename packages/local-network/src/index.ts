export { startLocalNetwork, formatLogLine } from './network';
export type { LocalNetwork, LocalNetworkOptions, NetworkStats } from './network';
export { NetworkError, NetworkErrorCode, RejectCode } from './errors';
export { decodeCbor, encodeCbor, CborError } from './cbor';
export type { CborValue, CborMap } from './cbor';
/** The request id (representation-independent hash), as agent-js computes it. */
export { hashOfMap, requestIdOf } from '@dfinity/agent';
// The hash tree is @repro-registry/certification's (one implementation for canisters, the
// network and clients); re-exported for the network's users.
export { reconstruct, lookupPath, LabeledMap, Leaf } from '@repro-registry/certification';
export type { HashTree, LookupResult } from '@repro-registry/certification';
export { verifyCertificate, BLS_DER_PREFIX } from './certification';
export { selfAuthenticatingPrincipal, parsePublicKey } from './keys';
export { DurableStore } from './store';
export { managementCanister } from './management-client';
export { canisterSettings } from './management-client';
export type { ManagementCanister, InstallMode, CanisterSettingsArg } from './management-client';
export { identityFromPem, loadOrCreateIdentity } from './identity';
export { Secp256k1KeyIdentity } from '@dfinity/identity-secp256k1';
// The HTTP gateway's check, for tests that put something between canister and gateway.
export { serveGatewayRequest } from './gateway';
export type { GatewayRequest, GatewayResponse } from './gateway';
