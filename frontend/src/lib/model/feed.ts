/**
 * The registry's event feeds as the page links them, and the red alert as the page shows it:
 * the registry's own rule (`independentDisagreements`, shared with its event stream) over the
 * summary, with the time left to vote.
 */
import {
  independentDisagreements,
  type IndependentDisagreement,
} from '@repro-registry/registry-api/consensus';

import type { RegistryConnection } from '../api/registry.api';
import type { ProposalSummary } from './types';

const MAINNET_HOSTS = ['icp-api.io', 'icp0.io', 'ic0.app', 'icp.io'];

/**
 * Where the registry's HTTP API serves a path, through the IC's HTTP gateway: on mainnet
 * `https://<id>.icp0.io`, on a local network `http://<id>.localhost:<port>` (the local gateway),
 * elsewhere the gateway's `?canisterId=` form on the configured host.
 */
export function registryHttpUrl(connection: RegistryConnection, path: string): string {
  const host = new URL(connection.host);
  const id = connection.canisterId;
  if (MAINNET_HOSTS.some((d) => host.hostname === d || host.hostname.endsWith(`.${d}`)))
    return `https://${id}.icp0.io${path}`;
  if (host.hostname === '127.0.0.1' || host.hostname === 'localhost')
    return `${host.protocol}//${id}.localhost${host.port === '' ? '' : `:${host.port}`}${path}`;
  return `${host.origin}${path}?canisterId=${id}`;
}

export function feedUrl(connection: RegistryConnection, proposalId: bigint | null): string {
  return registryHttpUrl(
    connection,
    proposalId === null ? '/feed.atom' : `/proposals/${proposalId}/feed.atom`,
  );
}

export interface RedAlertView {
  /** The largest disagreement (others follow in `all`). */
  top: IndependentDisagreement;
  all: IndependentDisagreement[];
  /** Ms left to vote; null without a deadline. */
  msLeft: number | null;
  votingOpen: boolean;
}

/** The red alert on a proposal now, or null. */
export function redAlertOf(summary: ProposalSummary, now: number): RedAlertView | null {
  const all = independentDisagreements(summary.artifacts);
  const top = all[0];
  if (top === undefined) return null;
  const onChain = summary.onChain;
  const deadline = onChain?.deadlineAt ?? null;
  const open = onChain?.status === 'open' || onChain?.status === 'unknown';
  return {
    top,
    all,
    msLeft: deadline === null ? null : Math.max(0, deadline - now),
    votingOpen: open && (deadline === null || deadline > now),
  };
}
