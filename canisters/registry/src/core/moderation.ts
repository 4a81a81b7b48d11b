/** Controllers hide abusive attestations — visibly, reversibly, with a reason — never alter one. */
import { ErrorCode } from '@repro-registry/registry-api';

import { setVisibility } from './counting';
import { dropSources, noteSources } from './release-sources';
import type { Result } from './errors';
import { err, ok } from './errors';
import type { AttestationRecordJson, ProposalRecordJson } from './records';
import type { RegistryStore } from './store';
import { proposalState } from './store';
import { u64Key } from './tables';
import { checkPlainText } from './text';
import type { Principal } from '@dfinity/principal';

export const HIDE_REASON_BYTES = 500;

/** Who is calling, as the canister established it. */
export interface Caller {
  principal: Principal;
  isController: boolean;
}

function visibilityChange(
  store: RegistryStore,
  args: { caller: Caller; attestationId: bigint; verb: 'hide' | 'unhide' },
): Result<{ key: Uint8Array; record: AttestationRecordJson; proposal: ProposalRecordJson }> {
  if (!args.caller.isController)
    return err(
      ErrorCode.NOT_CONTROLLER,
      `only a controller of the registry can ${args.verb} attestations`,
    );
  const key = u64Key(args.attestationId);
  const record = store.tables.attestations.get(key);
  if (record === undefined)
    return err(ErrorCode.ATTESTATION_NOT_FOUND, `there is no attestation ${args.attestationId}`);
  const proposal = store.proposalRecord(BigInt(record.proposalId)) as ProposalRecordJson;
  return ok({ key, record, proposal });
}

/** Applies a visibility change to what counts, unless a walk has yet to reach the record. */
function recount(
  store: RegistryStore,
  proposal: ProposalRecordJson,
  record: AttestationRecordJson,
) {
  const reached =
    !(proposal.recounting === true && proposal.renderCursor !== null) ||
    record.seq < proposal.renderCursor;
  if (proposalState(proposal) === 'confirmed' && reached && !record.rejection)
    setVisibility({ store, proposal }, record, record.hidden === null);
}

export function hide(
  store: RegistryStore,
  args: { caller: Caller; attestationId: bigint; reason: string; now: bigint },
): Result<{ key: Uint8Array; proposal: ProposalRecordJson }> {
  if (!args.caller.isController)
    return err(ErrorCode.NOT_CONTROLLER, 'only a controller of the registry can hide attestations');
  const reason = args.reason.trim();
  const problem = checkPlainText(reason, { maxBytes: HIDE_REASON_BYTES, allowNewlines: true });
  if (problem !== null || reason === '') {
    return err(
      ErrorCode.HIDE_REASON_INVALID,
      `reason: ${problem ?? 'give a reason (it is shown with the hidden attestation)'}`,
    );
  }
  const found = visibilityChange(store, { ...args, verb: 'hide' });
  if (!found.ok) return found;
  const { key, record, proposal } = found.value;
  if (record.hidden !== null)
    return err(ErrorCode.ALREADY_HIDDEN, `attestation ${args.attestationId} is already hidden`);
  record.hidden = { reason, at: args.now.toString(), by: args.caller.principal.toText() };
  proposal.hiddenCount += 1;
  dropSources(proposal, record.id);
  recount(store, proposal, record);
  store.saveAttestation(key, record, proposal);
  store.saveProposal(proposal);
  return ok({ key, proposal });
}

export function unhide(
  store: RegistryStore,
  args: { caller: Caller; attestationId: bigint },
): Result<{ key: Uint8Array; proposal: ProposalRecordJson }> {
  const found = visibilityChange(store, { ...args, verb: 'unhide' });
  if (!found.ok) return found;
  const { key, record, proposal } = found.value;
  if (record.hidden === null)
    return err(ErrorCode.NOT_HIDDEN, `attestation ${args.attestationId} is not hidden`);
  record.hidden = null;
  proposal.hiddenCount -= 1;
  noteSources(proposal, {
    attestationId: record.id,
    builder: record.builder,
    artifacts: record.artifacts,
  });
  recount(store, proposal, record);
  store.saveAttestation(key, record, proposal);
  store.saveProposal(proposal);
  return ok({ key, proposal });
}
