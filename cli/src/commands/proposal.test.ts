import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pc from 'picocolors';
import {
  decodeGetProposalInfoReply,
  hexToBytes,
  summarizeProposalInfo,
} from '@repro-registry/proposals';
import { toJson } from '../io/output';
import { formatProposal, summaryJson } from './proposal';

const { replies } = JSON.parse(
  readFileSync(
    fileURLToPath(
      new URL('../../../packages/proposals/fixtures/proposal-info.json', import.meta.url),
    ),
    'utf8',
  ),
) as { replies: Array<{ name: string; replyHex: string }> };
const summaryOf = (name: string) =>
  summarizeProposalInfo(
    decodeGetProposalInfoReply(hexToBytes(replies.find((r) => r.name === name)!.replyHex))!,
  );
const plain = pc.createColors(false);

describe('repro proposal output on governance reply fixtures', () => {
  it('prints commit, expected hash, URLs, status and deadline of a GuestOS election', () => {
    const text = formatProposal(plain, summaryOf('open-guestos-election'));
    expect(text).toContain(
      'proposal             139768  Elect new IC/GuestOS revision (commit bcac7ca)',
    );
    expect(text).toMatch(/status\s+open/);
    expect(text).toMatch(/deadline\s+2025-11-24T16:00:00Z/);
    expect(text).toMatch(/elects\s+GuestOS \(ReviseElectedGuestosVersions, NNS function 38\)/);
    expect(text).toMatch(/commit\s+bcac7ca3862fd8409d56d9dcda919a5f25acbbd4/);
    expect(text).toMatch(
      /expected sha256\s+2292b72f5e3cad65651fb8a7858cd5efdbb537b20a7388bb8a01e31f8f047bb1/,
    );
    expect(text).toContain(
      'https://download.dfinity.systems/ic/bcac7ca3862fd8409d56d9dcda919a5f25acbbd4/guest-os/update-img/update-img.tar.zst',
    );
    expect(text).toMatch(/launch measurements\s+2/);
  });

  it('says why a proposal is not an election', () => {
    const text = formatProposal(plain, summaryOf('executed-motion'));
    expect(text).toMatch(/action\s+Motion \(NOT_ICOS_ELECTION: /);
    expect(text).toMatch(/executed\s+2022-09-17/);
  });

  it('gives scripts JSON with decimal ids, ns times and the payload size instead of bytes', () => {
    const json = JSON.parse(toJson(summaryJson(summaryOf('open-guestos-election')))) as Record<
      string,
      unknown
    >;
    expect(json).toMatchObject({
      id: '139768',
      status: 'open',
      deadlineTimestampNs: '1764000000000000000',
      action: { type: 'ExecuteNnsFunction', nnsFunction: 38 },
      icOsElection: { electedCommit: 'bcac7ca3862fd8409d56d9dcda919a5f25acbbd4' },
    });
  });
});
