/**
 * The proposals `npm start` records in the local governance stand-in, built from real release
 * data (`packages/proposals/fixtures/real-proposals.json`, where each value names its source).
 * Nothing here is invented:
 *
 * - Proposal 130083 is real (id, commit, adopted and executed); its release package hash was not
 *   found in the sources available here, so its payload carries none, as an election may.
 * - Proposals 133311 (cycles minting) and 133385 (governance) are real canister upgrades: id,
 *   target, module hash and commit from dfinity/ic PR #2053 and mainnet-canisters.json. Their
 *   argument hashes were not found, so they are absent.
 * - Real releases whose proposal ids were not found are recorded under local ids from 900001 on,
 *   open for voting, with titles that say so: the IC-OS releases, and (900005) a governance
 *   release from mainnet-canister-revisions.json.
 * - 900004 is local through and through: the upgrade that installed the governance stand-in
 *   itself, with the module hash the network reports for it (`deployedModuleProposal`, recorded
 *   by deploy.config.ts after each deploy). It is the one proposal whose target runs here, so
 *   "proposed = deployed" can be checked with `canister_info`. No real NNS module can be
 *   installed here: they cannot be downloaded, and none is published on npm.
 * - Proposals 54964 and 56257 (from the forum thread) used `BlessReplicaVersion`, whose payload
 *   requires the package hash; it is unknown, so they are not recorded rather than faked. The
 *   AddSnsWasm proposal 133384 and the NnsCanisterUpgrade 122287 carry their modules in the
 *   payload, which are not reachable here: they are fixtures (with stand-in modules), not seeds.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { Principal } from '@dfinity/principal';
import {
  NnsFunction,
  encodeGuestosElectionPayload,
  encodeHostosElectionPayload,
  hexToBytes,
} from '@repro-registry/proposals';

import type { RecordedAction, RecordedProposalWithAction } from './src/recorded';

export { RecordedProposal, RecordedProposalWithAction } from './src/recorded';
/** A proposal as `put_proposal` takes it. */
export type RecordedProposalValue = RecordedProposalWithAction;

const TOPIC_IC_OS_VERSION_ELECTION = 13;
const TOPIC_PROTOCOL_CANISTER_MANAGEMENT = 17;
const STATUS_OPEN = 1;
const STATUS_EXECUTED = 4;
const INSTALL_MODE_UPGRADE = 3;
const VOTING_PERIOD_SECONDS = 4n * 86_400n;
export const FIRST_LOCAL_PROPOSAL_ID = 900001n;
/** The local proposal whose module is the governance stand-in npm start installed. */
export const DEPLOYED_MODULE_PROPOSAL_ID = 900004n;
/** Local ids of real canister releases whose proposal ids were not found. */
export const FIRST_LOCAL_CANISTER_RELEASE_ID = 900005n;

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
  canisterProposals: {
    id: string;
    action: string;
    topic: number;
    canisterId?: string;
    canisterName: string;
    installMode?: number;
    commit: string;
    wasmModuleHashHex?: string;
    argHashHex?: string | null;
  }[];
  canisterReleases: {
    canisterId: string;
    canisterName: string;
    commit: string;
    wasmModuleHashHex: string;
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

/** An InstallCode action as governance shows it: hashes only (argument hash empty = none). */
export function installCodeAction(args: {
  canisterId: string;
  wasmModuleHashHex: string;
  argHashHex: string | null;
}): RecordedAction {
  return {
    InstallCode: {
      skip_stopping_before_installing: [],
      wasm_module_hash: [hexToBytes(args.wasmModuleHashHex)],
      canister_id: [Principal.fromText(args.canisterId)],
      arg_hash: args.argHashHex === null ? [] : [hexToBytes(args.argHashHex)],
      install_mode: [INSTALL_MODE_UPGRADE],
    },
  };
}

const executed = {
  status: STATUS_EXECUTED,
  proposal_timestamp_seconds: 0n,
  deadline_timestamp_seconds: [] as [] | [bigint],
  decided_timestamp_seconds: 0n,
  executed_timestamp_seconds: 0n,
  failed_timestamp_seconds: 0n,
};

function openAt(nowSeconds: bigint) {
  return {
    status: STATUS_OPEN,
    proposal_timestamp_seconds: nowSeconds,
    deadline_timestamp_seconds: [nowSeconds + VOTING_PERIOD_SECONDS] as [] | [bigint],
    decided_timestamp_seconds: 0n,
    executed_timestamp_seconds: 0n,
    failed_timestamp_seconds: 0n,
  };
}

/** "Upgrade the Governance Canister …": DFINITY's title, with the canister's name. */
function canisterTitle(name: string): string {
  const words = name.split('-').map((w) => w[0].toUpperCase() + w.slice(1));
  return `Upgrade the ${words.join(' ')} Canister`;
}

function icOsSeeds(data: RealData, nowSeconds: bigint): RecordedProposalValue[] {
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
      execute_nns_function: [
        election(p.os, {
          commit: p.electedCommit,
          sha256: p.releasePackageSha256Hex,
          urls: p.releasePackageUrls ?? [],
        }),
      ],
      action: [],
      ...executed,
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
      execute_nns_function: [
        election(r.os, {
          commit: r.electedCommit,
          sha256: r.releasePackageSha256Hex,
          urls: r.releasePackageUrls,
        }),
      ],
      action: [],
      ...openAt(nowSeconds),
    });
  });
  return seeds;
}

function canisterSeeds(data: RealData, nowSeconds: bigint): RecordedProposalValue[] {
  const seeds: RecordedProposalValue[] = [];
  for (const p of data.canisterProposals) {
    // Proposals whose payload carries the module cannot be recorded: the module is not here.
    if (p.action !== 'InstallCode' || p.canisterId === undefined || !p.wasmModuleHashHex) continue;
    seeds.push({
      id: BigInt(p.id),
      title: `${canisterTitle(p.canisterName)} to Commit ${p.commit.slice(0, 7)} (recorded from dfinity/ic PR #2053 and mainnet-canisters.json)`,
      summary: `__Source code__: [${p.commit}][new-commit]\n\nRecorded from public sources (packages/proposals/fixtures/real-proposals.json): target, module hash and commit are real; the argument hash, summary and times were not found and are left out.`,
      url: `https://dashboard.internetcomputer.org/proposal/${p.id}`,
      topic: p.topic,
      execute_nns_function: [],
      action: [
        installCodeAction({
          canisterId: p.canisterId,
          wasmModuleHashHex: p.wasmModuleHashHex,
          argHashHex: p.argHashHex ?? null,
        }),
      ],
      ...executed,
    });
  }
  data.canisterReleases.forEach((r, i) => {
    seeds.push({
      id: FIRST_LOCAL_CANISTER_RELEASE_ID + BigInt(i),
      title: `${canisterTitle(r.canisterName)} to Commit ${r.commit.slice(0, 7)} (local stand-in: real release from mainnet-canister-revisions.json, local proposal id)`,
      summary: `__Source code__: [${r.commit}][new-commit]\n\nA real ${r.canisterName} module (sha256 ${r.wasmModuleHashHex}) recorded under a local proposal id for trying the registry with canister upgrades.`,
      url: `https://github.com/dfinity/ic/tree/${r.commit}`,
      topic: TOPIC_PROTOCOL_CANISTER_MANAGEMENT,
      execute_nns_function: [],
      action: [
        installCodeAction({
          canisterId: r.canisterId,
          wasmModuleHashHex: r.wasmModuleHashHex,
          argHashHex: null,
        }),
      ],
      ...openAt(nowSeconds),
    });
  });
  return seeds;
}

/** The seed proposals; open ones get a voting deadline four days after `nowSeconds`. */
export function seedProposals(nowSeconds: bigint): RecordedProposalValue[] {
  const data = realData();
  const seeds = [...icOsSeeds(data, nowSeconds), ...canisterSeeds(data, nowSeconds)];
  const ids = new Set([...seeds.map((s) => s.id), DEPLOYED_MODULE_PROPOSAL_ID]);
  if (ids.size !== seeds.length + 1) throw new Error('seed proposals: two seeds share an id');
  return seeds;
}

/**
 * The local proposal (900004) that installed the governance stand-in: its module hash and
 * argument hash are the deployed ones, so the registry can find "proposed = deployed" here.
 */
export function deployedModuleProposal(args: {
  canisterId: string;
  moduleHashHex: string;
  argHashHex: string | null;
  nowSeconds: bigint;
}): RecordedProposalValue {
  return {
    id: DEPLOYED_MODULE_PROPOSAL_ID,
    title:
      'Upgrade the governance stand-in (local: the module npm start installed, so the deployed hash matches)',
    summary: `A local proposal, not an NNS one: the governance stand-in (${args.canisterId}) as this network runs it, module sha256 ${args.moduleHashHex}. Real NNS modules cannot be installed here.`,
    url: 'https://github.com/dfinity/ic/blob/master/rs/nervous_system/docs/proposal_verification.md',
    topic: TOPIC_PROTOCOL_CANISTER_MANAGEMENT,
    status: STATUS_EXECUTED,
    execute_nns_function: [],
    action: [
      installCodeAction({
        canisterId: args.canisterId,
        wasmModuleHashHex: args.moduleHashHex,
        argHashHex: args.argHashHex,
      }),
    ],
    proposal_timestamp_seconds: args.nowSeconds,
    deadline_timestamp_seconds: [args.nowSeconds],
    decided_timestamp_seconds: args.nowSeconds,
    executed_timestamp_seconds: args.nowSeconds,
    failed_timestamp_seconds: 0n,
  };
}
