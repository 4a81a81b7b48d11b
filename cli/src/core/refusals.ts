import type { RegistryErrorCode } from '@repro-registry/attestation';
import { FormatErrorCode, isErrorCode } from '@repro-registry/attestation';

/*
 * What a registry refusal means and what the builder can do about it, per stable code: the
 * human output says all three ("RATE_LIMITED: retry after 21:14 UTC"), scripts switch on the
 * code in `--json`.
 */

export interface Explanation {
  meaning: string;
  todo: string;
}

const REGISTRY: Record<RegistryErrorCode, Explanation> = {
  ANONYMOUS_CALLER: {
    meaning: 'the request was not signed by a builder key',
    todo: 'create or import a key with `repro key new` / `repro key import`',
  },
  CALLER_NOT_SIGNER: {
    meaning: 'the attestation is signed by another key than the one sending it',
    todo: 'submit it with the key that signed it (repro key show)',
  },
  RATE_LIMITED: {
    meaning: 'this builder sent more attestations than the registry takes at once',
    todo: 'wait, then send the kept envelope with `repro submit <file>`',
  },
  ATTESTATION_NOT_FOUND: {
    meaning: 'no attestation has that id',
    todo: 'check the id (repro status <proposal>)',
  },
  PROPOSAL_NOT_FOUND: {
    meaning: 'the NNS has no proposal with that id',
    todo: 'check the proposal id',
  },
  BUILDER_NOT_FOUND: { meaning: 'no builder with that principal', todo: 'check the principal' },
  NOT_CONTROLLER: {
    meaning: 'only a controller of the registry may do this',
    todo: 'ask its controllers',
  },
  INVALID_ARGUMENT: { meaning: 'an argument is malformed', todo: 'check the arguments' },
  PROFILE_INVALID: {
    meaning: 'a builder profile field is invalid',
    todo: 'fix the field the message names',
  },
  HIDE_REASON_INVALID: {
    meaning: 'the reason for hiding is empty or too long',
    todo: 'give a short reason',
  },
  ALREADY_HIDDEN: { meaning: 'the attestation is already hidden', todo: 'nothing to do' },
  NOT_HIDDEN: { meaning: 'the attestation is not hidden', todo: 'nothing to do' },
  PROPOSAL_NOT_ICOS_ELECTION: {
    meaning: 'the proposal does not elect an IC-OS version: there is nothing to reproduce',
    todo: 'attest a GuestOS or HostOS election proposal',
  },
  COMMIT_MISMATCH: {
    meaning: 'the attestation is for another commit than the one the proposal elects',
    todo: "build the proposal's commit (repro proposal <id> shows it) and attest that",
  },
  GOVERNANCE_UNAVAILABLE: {
    meaning: 'the registry could not read the proposal from NNS governance',
    todo: 'try again later; the envelope is kept for `repro submit <file>`',
  },
  MESSAGE_TOO_LARGE: {
    meaning: 'the request is larger than the registry accepts',
    todo: 'attest fewer member hashes or a shorter note',
  },
};

/** The meaning and remedy of a refusal; format codes all mean the envelope broke a format rule. */
export function explainRefusal(code: string, message: string, now: Date = new Date()): Explanation {
  if (code === 'RATE_LIMITED') {
    // "…then one every 6 minutes": the next one is welcome by then at the latest.
    const minutes = /one every (\d+) minutes?/.exec(message)?.[1];
    if (minutes !== undefined) {
      const at = new Date(now.getTime() + Number(minutes) * 60_000);
      const hhmm = at.toISOString().slice(11, 16);
      return {
        meaning: REGISTRY.RATE_LIMITED.meaning,
        todo: `retry after ${hhmm} UTC with \`repro submit <file>\` (the envelope is kept)`,
      };
    }
  }
  if (isErrorCode(code)) {
    if (code in REGISTRY) return REGISTRY[code as RegistryErrorCode];
    if (Object.values(FormatErrorCode).includes(code as FormatErrorCode))
      return {
        meaning: 'the attestation breaks a rule of the format',
        todo: 'this is a bug in repro if repro signed it: run again with --debug and report it',
      };
  }
  return { meaning: 'the registry refused the request', todo: 'read its message' };
}
