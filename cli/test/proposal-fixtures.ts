/** Governance replies recorded in `packages/proposals/fixtures`, summarized as `repro` reads them. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  decodeGetProposalInfoReply,
  hexToBytes,
  summarizeProposalInfo,
  type ProposalSummary,
} from '@repro-registry/proposals';

type FixtureFile = 'proposal-info.json' | 'canister-proposals.json';

export function fixtureSummary(file: FixtureFile, name: string): ProposalSummary {
  const { replies } = JSON.parse(
    readFileSync(
      fileURLToPath(new URL(`../../packages/proposals/fixtures/${file}`, import.meta.url)),
      'utf8',
    ),
  ) as { replies: Array<{ name: string; replyHex: string }> };
  const reply = replies.find((r) => r.name === name);
  if (reply === undefined) throw new Error(`no reply ${name} in ${file}`);
  const info = decodeGetProposalInfoReply(hexToBytes(reply.replyHex));
  if (info === null) throw new Error(`reply ${name} holds no proposal`);
  return summarizeProposalInfo(info);
}
