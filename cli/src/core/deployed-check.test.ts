import pc from 'picocolors';
import { describe, expect, it } from 'vitest';

import { fixtureSummary } from '../../test/proposal-fixtures';
import { formatProposal } from '../commands/proposal';
import { deployedCheck } from './deployed-check';

const cmc = fixtureSummary('canister-proposals.json', 'install-code-133311-cycles-minting');
const PROPOSED = '57f2cbbdbc2d8943173acc6ebd55aca9b9c12e2140b38ff5f20aea7b101ea570';
const LATER = 'ab'.repeat(32);

describe('proposed = deployed', () => {
  it('tells the proposed module running from a later one, an open proposal and no module', () => {
    const executed = { ...cmc, status: 'executed' as const };
    expect(deployedCheck(executed, PROPOSED)).toEqual({
      canisterId: 'rkp4c-7iaaa-aaaaa-aaaca-cai',
      proposedSha256: PROPOSED,
      deployedSha256: PROPOSED,
      state: 'deployed',
    });
    expect(deployedCheck(executed, LATER)?.state).toBe('differs');
    expect(deployedCheck(executed, null)?.state).toBe('no-module');
    expect(deployedCheck({ ...cmc, status: 'open' }, LATER)?.state).toBe('not-yet');
  });

  it('shows it under the install in `repro proposal`', () => {
    const executed = { ...cmc, status: 'executed' as const };
    const text = formatProposal(pc.createColors(false), executed, deployedCheck(executed, LATER));
    expect(text).toMatch(
      /installs\s+upgrade of cycles-minting \(rkp4c-7iaaa-aaaaa-aaaca-cai\), InstallCode/,
    );
    expect(text).toMatch(new RegExp(`module sha256\\s+${PROPOSED}`));
    expect(text).toMatch(new RegExp(`deployed\\s+${LATER} \\(NOT the proposed module`));
  });
});
