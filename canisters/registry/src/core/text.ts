import { utf8ByteLength } from '@repro-registry/attestation';

// C0/C1 controls, and the invisible or direction-changing characters that let text look like
// something it is not (bidi overrides and isolates, zero-width joiners, BOM).
const FORBIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/u;
const NEWLINE = /[\n\t]/;

/** Why `text` is not acceptable plain text, or null when it is. */
export function checkPlainText(text: string, rules: { maxBytes: number; allowNewlines: boolean }): string | null {
  if (utf8ByteLength(text) > rules.maxBytes) return `at most ${rules.maxBytes} bytes of UTF-8`;
  if (FORBIDDEN.test(text)) return 'control and invisible formatting characters are not allowed';
  if (!rules.allowNewlines && NEWLINE.test(text)) return 'must be a single line';
  // With the `u` flag a surrogate range matches only unpaired surrogates.
  if (/[\ud800-\udfff]/u.test(text)) return 'not valid Unicode';
  return null;
}
