import { describe, expect, it } from 'vitest';
import {
  claimedCommit,
  decodeCanisterInstall,
  decodeIcOsElection,
  decodeSnsWasmPublication,
  encodeGuestosElectionPayload,
  expectedArtifacts,
  isCanisterArtifactKind,
  type ProposalAction,
} from './index';

const notThis = { ok: false as const, code: 'NOT_ICOS_ELECTION' as const, message: 'n/a' };

describe('artifact kinds of canister modules', () => {
  it('names an install by its target and adds the argument when it has a hash', () => {
    const action: ProposalAction = {
      type: 'InstallCode',
      canisterId: 'rrkah-fqaaa-aaaaa-aaaaq-cai',
      installMode: 3,
      wasmModuleHashHex: 'ab'.repeat(32),
      argHashHex: 'cd'.repeat(32),
      skipStoppingBeforeInstalling: null,
    };
    const artifacts = expectedArtifacts({
      icOsElection: notThis,
      canisterInstall: decodeCanisterInstall(action),
      snsWasm: decodeSnsWasmPublication(action),
    });
    expect(artifacts).toEqual([
      { kind: 'canister:governance', expectedSha256: 'ab'.repeat(32) },
      { kind: 'canister-arg:governance', expectedSha256: 'cd'.repeat(32) },
    ]);
    for (const a of artifacts) expect(isCanisterArtifactKind(a.kind)).toBe(true);
  });

  it('names a canister outside the NNS table by its id, and leaves out an empty argument', () => {
    const action: ProposalAction = {
      type: 'InstallCode',
      canisterId: 'mxzaz-hqaaa-aaaar-qaada-cai',
      installMode: 3,
      wasmModuleHashHex: 'ab'.repeat(32),
      argHashHex: '',
      skipStoppingBeforeInstalling: null,
    };
    const artifacts = expectedArtifacts({
      icOsElection: notThis,
      canisterInstall: decodeCanisterInstall(action),
      snsWasm: decodeSnsWasmPublication(action),
    });
    expect(artifacts).toEqual([
      { kind: 'canister:mxzaz-hqaaa-aaaar-qaada-cai', expectedSha256: 'ab'.repeat(32) },
    ]);
    expect(artifacts.every((a) => isCanisterArtifactKind(a.kind))).toBe(true);
  });

  it('gives an IC-OS election its release package, and a proposal that only unelects nothing', () => {
    const election = (commit: string | null) =>
      decodeIcOsElection({
        nnsFunction: 38,
        payload: encodeGuestosElectionPayload({
          electedCommit: commit,
          releasePackageSha256Hex: commit === null ? null : 'ef'.repeat(32),
          releasePackageUrls: [],
        }),
      });
    const other = { ok: false as const, code: 'NOT_CANISTER_INSTALL' as const, message: 'n/a' };
    const sns = { ok: false as const, code: 'NOT_SNS_WASM' as const, message: 'n/a' };
    expect(
      expectedArtifacts({
        icOsElection: election('a'.repeat(40)),
        canisterInstall: other,
        snsWasm: sns,
      }),
    ).toEqual([{ kind: 'guestos', expectedSha256: 'ef'.repeat(32) }]);
    expect(
      expectedArtifacts({ icOsElection: election(null), canisterInstall: other, snsWasm: sns }),
    ).toEqual([]);
  });

  it('refuses kinds outside the naming', () => {
    for (const kind of [
      'canister:',
      'canister:Governance',
      'sns-wasm:unknown',
      'canister:a b',
      'guestos',
    ])
      expect(isCanisterArtifactKind(kind)).toBe(false);
  });
});

describe('the commit a canister proposal claims in its summary', () => {
  it("reads DFINITY's 2024+ template and never the current version's hash", () => {
    // Lines of the proposal summary quoted in the forum post "NNS Updates 2025-04-11".
    const summary = [
      '# Upgrade the Governance Canister to Commit 7575e49',
      '__Source code__: [7575e49a4afa83524c06ad72ce40f588eca93ae2][new-commit]',
      '## Current Version',
      '__Current git hash__: 910ed6f13390e590b6b9f45ab21ea25182b76553',
    ].join('\n\n');
    expect(claimedCommit(summary)).toBe('7575e49a4afa83524c06ad72ce40f588eca93ae2');
    expect(claimedCommit(summary.split('\n\n').slice(2).join('\n\n'))).toBeNull();
  });

  it("reads the 2023 template's Git Hash line, not Current Git Hash", () => {
    // From proposal 122287's summary (forum "NNS Updates: May 12 - CMC Hotfix").
    const summary = [
      '## Proposal to Upgrade the Cycles-minting Canister',
      '### Proposer: DFINITY Foundation',
      '### Git Hash: e813c43a337a26c026c2f2ec19099bd2036e7280',
      '## Current Version',
      '- Current Git Hash: 2ef275ecee0b8e2e6eba06d13ff4585ba8957f2e',
    ].join('\n');
    expect(claimedCommit(summary)).toBe('e813c43a337a26c026c2f2ec19099bd2036e7280');
  });
});
