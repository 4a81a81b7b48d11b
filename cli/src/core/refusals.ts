import {
  isErrorCode,
  isRegistryErrorCode,
  type ErrorCode,
  type RegistryErrorCode,
} from '@repro-registry/registry-api';

/*
 * What a registry refusal means and what the builder can do about it, per stable code: the
 * human output says all three ("RATE_LIMITED: retry after 21:14 UTC"), scripts switch on the
 * code in `--json`. Every registry code has its own entry (the table's type requires it); the
 * format's codes all mean the envelope broke a rule of the format.
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
    meaning:
      'the proposal neither elects an IC-OS version nor installs or publishes a canister module: there is nothing to reproduce',
    todo: 'attest a GuestOS or HostOS election, or a proposal that installs a canister module',
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
  PROPOSAL_NOT_ON_CHAIN: {
    meaning: 'NNS governance has no proposal with that id: there is nothing to reproduce',
    todo: 'check the proposal id (repro proposal <id>)',
  },
  PROPOSAL_PENDING: {
    meaning: 'the registry has not confirmed the proposal on chain yet; attestations are held',
    todo: 'wait until the registry has read the proposal from governance, then ask again',
  },
  BUILDER_PENDING_LIMIT: {
    meaning: 'you already wait on the most unconfirmed proposals a builder may',
    todo: 'wait until the registry has confirmed your earlier proposals, then submit again',
  },
  PENDING_LIMIT: {
    meaning: 'the registry holds the most unconfirmed proposals (or held attestations) it may',
    todo: 'wait until governance has confirmed the proposal, then submit again',
  },
  ARTIFACT_NOT_FOR_PROPOSAL: {
    meaning: 'an artifact is not built for the OS this proposal elects',
    todo: "attest only the proposal's OS (GuestOS: guestos, guestos-recovery, launch-measurements; HostOS: hostos, setupos)",
  },
  BUILD_TIME_IMPLAUSIBLE: {
    meaning: "the build's start or end time is before the IC's genesis, in the future or too long",
    todo: "check this machine's clock and the --started/--finished times, then attest again",
  },
  BUILDER_STORAGE_LIMIT: {
    meaning: 'you have stored the most attestations a builder may',
    todo: "ask the registry's controllers",
  },
  STORAGE_FULL: {
    meaning: 'the registry has stored the most attestations it may',
    todo: "ask the registry's controllers",
  },
  LOW_CYCLES: {
    meaning: "the registry's cycles run low: it answers reads but refuses updates",
    todo: 'try again once its controllers have topped it up; the envelope is kept for `repro submit <file>`',
  },
  NAME_TAKEN: {
    meaning: 'another builder or trust list already has that name (ignoring case)',
    todo: 'choose another name',
  },
  NAME_CONFUSABLE: {
    meaning: 'the name mixes scripts in a way that can imitate another name',
    todo: 'write the name in one script',
  },
  TRUST_LIST_NOT_FOUND: {
    meaning: 'no trust list with that id (or version)',
    todo: 'check the list id',
  },
  TRUST_LIST_INVALID: {
    meaning: "a trust list's name, description or members are invalid",
    todo: 'fix the field the message names',
  },
  NOT_LIST_OWNER: {
    meaning: 'only the principal who published a trust list may publish new versions of it',
    todo: 'publish it with the key that owns it, or publish a list of your own',
  },
  TRUST_LIST_LIMIT: {
    meaning: 'the most trust lists allowed are published already',
    todo: "ask the registry's controllers",
  },
  TRUST_LIST_BUSY: {
    meaning: "the trust list's previous version is still being counted",
    todo: 'publish again in a minute',
  },
};

const INVALID_ARGUMENT: Explanation = {
  meaning: 'an argument is malformed',
  todo: 'check the arguments',
};

const FORMAT: Explanation = {
  meaning: 'the attestation breaks a rule of the format',
  todo: 'this is a bug in repro if repro signed it: run again with --debug and report it',
};

const UNKNOWN: Explanation = {
  meaning: 'the registry refused the request',
  todo: 'read its message',
};

/** What to say about a code: its own entry, the format's, or (a newer registry's code) neither. */
function explanationOf(code: ErrorCode): Explanation {
  if (isRegistryErrorCode(code)) return REGISTRY[code];
  return code === 'INVALID_ARGUMENT' ? INVALID_ARGUMENT : FORMAT;
}

/**
 * The meaning and remedy of a refusal. For RATE_LIMITED, `retryAfterSeconds` (the registry's
 * refill interval, from `get_registry_info`) says when the next request is welcome at the latest.
 */
export function explainRefusal(
  code: string,
  options: { retryAfterSeconds?: number | null; now?: Date } = {},
): Explanation {
  if (!isErrorCode(code)) return UNKNOWN;
  const seconds = options.retryAfterSeconds;
  if (code === 'RATE_LIMITED' && seconds !== undefined && seconds !== null) {
    const at = new Date((options.now ?? new Date()).getTime() + seconds * 1000);
    return {
      meaning: REGISTRY.RATE_LIMITED.meaning,
      todo: `retry after ${at.toISOString().slice(11, 16)} UTC with \`repro submit <file>\` (the envelope is kept)`,
    };
  }
  return explanationOf(code);
}
