/**
 * The proposals `npm start` records in the local governance stand-in, built from real IC-OS
 * release data (`packages/proposals/fixtures/real-proposals.json`, where each value names its
 * source). Nothing here is invented:
 *
 * - Proposal 130083 is real (id, commit, title pattern, adopted and executed); its release
 *   package hash was not found in the sources available here, so its payload carries none,
 *   as an election payload may (`release_package_sha256_hex` is optional).
 * - The releases with real commits and real package hashes whose proposal ids were not found
 *   are recorded under local ids from 900001 on, open for voting, with titles that say so.
 *   They give a local registry something real to reproduce against.
 * - Proposals 54964 and 56257 (from the forum thread) used `BlessReplicaVersion`, whose payload
 *   requires the package hash; it is unknown, so they are not recorded rather than faked.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { RecordedProposal } from './src/recorded';
import {
  NnsFunction,
  encodeGuestosElectionPayload,
  encodeHostosElectionPayload,
} from '@repro-registry/proposals';

export { RecordedProposal } from './src/recorded';
/** A proposal as `put_proposal` takes it. */
export type RecordedProposalValue = RecordedProposal;

const TOPIC_IC_OS_VERSION_ELECTION = 13;
const STATUS_OPEN = 1;
const STATUS_EXECUTED = 4;
export const FIRST_LOCAL_PROPOSAL_ID = 900001n;

interface RealData {
  proposals: {
    id: string;
    os: 'guestos' | 'hostos';
    payloadType: string;
    electedCommit: string;
    releaseName?: string;
    releasePackageSha256Hex: string | null;
    releasePackageUrls: string[] | null;
  }[];
  releases: {
    os: 'guestos' | 'hostos';
    electedCommit: string;
    releasePackageSha256Hex: string;
    releasePackageUrls: string[];
  }[];
}

function realData(): RealData {
  const here = dirname(fileURLToPath(import.meta.url));
  return JSON.parse(
    readFileSync(join(here, '../../packages/proposals/fixtures/real-proposals.json'), 'utf8'),
  ) as RealData;
}

function election(
  os: 'guestos' | 'hostos',
  args: { commit: string; sha256: string | null; urls: string[] },
) {
  const payload =
    os === 'guestos'
      ? encodeGuestosElectionPayload({
          electedCommit: args.commit,
          releasePackageSha256Hex: args.sha256,
          releasePackageUrls: args.urls,
        })
      : encodeHostosElectionPayload({
          electedCommit: args.commit,
          releasePackageSha256Hex: args.sha256,
          releasePackageUrls: args.urls,
        });
  return {
    nns_function:
      os === 'guestos'
        ? NnsFunction.ReviseElectedGuestosVersions
        : NnsFunction.ReviseElectedHostosVersions,
    payload: new Uint8Array(payload),
  };
}

/** The seed proposals; open ones get a voting deadline four days after `nowSeconds`. */
export function seedProposals(nowSeconds: bigint): RecordedProposalValue[] {
  const data = realData();
  const seeds: RecordedProposalValue[] = [];
  for (const p of data.proposals) {
    if (
      p.payloadType !== 'ReviseElectedGuestosVersions' &&
      p.payloadType !== 'ReviseElectedHostosVersions'
    )
      continue;
    seeds.push({
      id: BigInt(p.id),
      title: `Elect new IC/Replica revision (commit ${p.electedCommit.slice(0, 7)})`,
      summary: `Elect ${p.releaseName ?? p.electedCommit} (recorded from the public announcement; timestamps unknown here are 0).`,
      url: 'https://forum.dfinity.org',
      topic: TOPIC_IC_OS_VERSION_ELECTION,
      status: STATUS_EXECUTED,
      execute_nns_function: [
        election(p.os, {
          commit: p.electedCommit,
          sha256: p.releasePackageSha256Hex,
          urls: p.releasePackageUrls ?? [],
        }),
      ],
      proposal_timestamp_seconds: 0n,
      deadline_timestamp_seconds: [],
      decided_timestamp_seconds: 0n,
      executed_timestamp_seconds: 0n,
      failed_timestamp_seconds: 0n,
    });
  }
  data.releases.forEach((r, i) => {
    const osName = r.os === 'guestos' ? 'GuestOS' : 'HostOS';
    seeds.push({
      id: FIRST_LOCAL_PROPOSAL_ID + BigInt(i),
      title: `Elect ${osName} ${r.electedCommit.slice(0, 7)} (local stand-in: real release, local proposal id)`,
      summary: `A real ${osName} release (commit ${r.electedCommit}, package sha256 ${r.releasePackageSha256Hex}) recorded under a local proposal id for trying the registry.`,
      url: `https://github.com/dfinity/ic/commit/${r.electedCommit}`,
      topic: TOPIC_IC_OS_VERSION_ELECTION,
      status: STATUS_OPEN,
      execute_nns_function: [
        election(r.os, {
          commit: r.electedCommit,
          sha256: r.releasePackageSha256Hex,
          urls: r.releasePackageUrls,
        }),
      ],
      proposal_timestamp_seconds: nowSeconds,
      deadline_timestamp_seconds: [nowSeconds + 4n * 86_400n],
      decided_timestamp_seconds: 0n,
      executed_timestamp_seconds: 0n,
      failed_timestamp_seconds: 0n,
    });
  });
  return seeds;
}
