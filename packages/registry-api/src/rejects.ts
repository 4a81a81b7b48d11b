/**
 * The registry's code in a reject. Methods whose reply has no `Err` (`list_proposals`, ...)
 * reject with "CODE: message", and `canister_inspect_message` refuses an update before it runs
 * by trapping with the same text, which the IC hands on inside its own trap message. This is the
 * one place that reads that convention back into a structured `{ code, message }`.
 */
import { isErrorCode, type ErrorCode } from './codes';

/** IC reject codes: the canister's own `msg_reject`, and a canister that trapped. */
const CANISTER_REJECT = 4;
const CANISTER_ERROR = 5;

const CODED = /\b([A-Z][A-Z0-9_]{2,}): /g;

export interface CodedRejection {
  code: ErrorCode;
  /** The registry's own words after its code. */
  message: string;
}

/** The registry's `{ code, message }` in a reject, or null when it named none. */
export function registryErrorOfReject(reject: {
  rejectCode: number;
  rejectMessage: string;
}): CodedRejection | null {
  const text = reject.rejectMessage;
  if (reject.rejectCode === CANISTER_REJECT) {
    const own = /^([A-Z][A-Z0-9_]{2,}): ([\s\S]*)$/.exec(text);
    return own !== null && isErrorCode(own[1]) ? { code: own[1], message: own[2] ?? '' } : null;
  }
  // Any other reject is the system's word, not the registry's.
  if (reject.rejectCode !== CANISTER_ERROR) return null;
  // A trap's text is quoted on the line that says the canister trapped: "...: 'CODE: text'".
  for (const match of text.matchAll(CODED)) {
    const code = match[1];
    if (!isErrorCode(code)) continue;
    const rest = text.slice((match.index ?? 0) + match[0].length).split('\n')[0] ?? '';
    return { code, message: rest.replace(/'\.?\s*$/, '').trim() };
  }
  return null;
}
