/**
 * Reading the registry's code back out of a reject, with the IC's own wording of a trap (the
 * ic-host writes it as the replica does) and of a canister's `msg_reject`.
 */
import { RejectCode, rejects } from '@repro-registry/ic-host';
import { describe, expect, it } from 'vitest';

import { registryErrorOfReject } from '../src/rejects';

const CANISTER = 'uxrrr-q7777-77774-qaaaq-cai';

describe('registryErrorOfReject', () => {
  it('reads the code of a canister\'s own reject ("CODE: message")', () => {
    expect(
      registryErrorOfReject({
        rejectCode: RejectCode.CanisterReject,
        rejectMessage: 'TRUST_LIST_NOT_FOUND: no trust list 7',
      }),
    ).toEqual({ code: 'TRUST_LIST_NOT_FOUND', message: 'no trust list 7' });
  });

  it('reads the code inside the trap message of a refusing inspect_message', () => {
    const trap = rejects.calledTrap(
      CANISTER,
      'Uncaught Error: RATE_LIMITED: this builder sent more attestations than it may',
    );
    expect(trap.rejectMessage).toContain('\n'); // the IC adds its advice on a second line
    expect(registryErrorOfReject(trap)).toEqual({
      code: 'RATE_LIMITED',
      message: 'this builder sent more attestations than it may',
    });
  });

  it('names no code where the registry named none, or named one it does not have', () => {
    expect(registryErrorOfReject(rejects.trapped(CANISTER, 'heap out of bounds'))).toBeNull();
    expect(
      registryErrorOfReject({
        rejectCode: RejectCode.CanisterReject,
        rejectMessage: 'SOMETHING_NEW: a code of a newer registry',
      }),
    ).toBeNull();
    // A system reject is not the canister's word, even when its text looks like a code.
    expect(
      registryErrorOfReject({
        rejectCode: RejectCode.DestinationInvalid,
        rejectMessage: 'PROPOSAL_NOT_FOUND: said by a boundary node, not by the registry',
      }),
    ).toBeNull();
  });
});
