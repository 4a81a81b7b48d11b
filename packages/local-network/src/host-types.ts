/**
 * The part of `@repro-registry/ic-host`'s `IcHost` the network's HTTP layer and gateway use, so
 * they state exactly what they depend on (and tests may hand in something smaller).
 */
import type { IcHost } from '@repro-registry/ic-host';

export type { CallResult, InspectResult } from '@repro-registry/ic-host';

export type ExecutionHost = Pick<
  IcHost,
  'query' | 'inspectMessage' | 'update' | 'canister' | 'canisterIds' | 'now' | 'tick' | 'idle'
>;
