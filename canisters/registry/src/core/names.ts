/**
 * Names people choose (builder display names, trust-list names) and the links they give. A name
 * is shown next to counts that voters trust, so one must not pass for another: names are
 * NFKC-normalised, unique ignoring case, and may not mix scripts the way look-alike spoofs do
 * ("Аlice" with a Cyrillic А).
 */
import { utf8ByteLength, utf8Encode } from '@repro-registry/attestation';

import { checkPlainText } from './text';

export type NameProblem = { kind: 'invalid' | 'confusable'; message: string };

/**
 * Scripts a name's letters are told apart by (Unicode `Script` property). Letters of a script
 * not listed count as one more script, so they cannot be mixed with Latin either.
 */
const SCRIPTS = [
  'Latin',
  'Greek',
  'Cyrillic',
  'Armenian',
  'Hebrew',
  'Arabic',
  'Syriac',
  'Thaana',
  'Devanagari',
  'Bengali',
  'Gurmukhi',
  'Gujarati',
  'Tamil',
  'Telugu',
  'Kannada',
  'Malayalam',
  'Sinhala',
  'Thai',
  'Lao',
  'Tibetan',
  'Myanmar',
  'Georgian',
  'Hangul',
  'Ethiopic',
  'Cherokee',
  'Khmer',
  'Mongolian',
  'Hiragana',
  'Katakana',
  'Bopomofo',
  'Han',
] as const;
const SCRIPT_PATTERNS = SCRIPTS.map((s) => [s, new RegExp(`^\\p{Script=${s}}$`, 'u')] as const);
const LETTER = /^[\p{L}\p{N}]$/u;
const DIGIT_OR_COMMON = /^[\p{Script=Common}\p{Script=Inherited}]$/u;

/**
 * Script combinations that are one writing system (UTS #39's "highly restrictive" level):
 * Japanese, Chinese with Bopomofo and Korean may mix with Han and Latin.
 */
const ALLOWED_MIXES: readonly (readonly string[])[] = [
  ['Latin', 'Han', 'Hiragana', 'Katakana'],
  ['Latin', 'Han', 'Bopomofo'],
  ['Latin', 'Han', 'Hangul'],
];

/** The scripts of a text's letters, ignoring digits, punctuation, spaces and marks. */
export function scriptsOf(text: string): Set<string> {
  const scripts = new Set<string>();
  for (const ch of text) {
    if (!LETTER.test(ch) || DIGIT_OR_COMMON.test(ch)) continue;
    scripts.add(SCRIPT_PATTERNS.find(([, p]) => p.test(ch))?.[0] ?? 'Other');
  }
  return scripts;
}

export function mixesScriptsConfusably(text: string): boolean {
  const scripts = [...scriptsOf(text)];
  if (scripts.length <= 1) return false;
  return !ALLOWED_MIXES.some((allowed) => scripts.every((s) => allowed.includes(s)));
}

/** A name as stored and shown: NFKC, surrounding space trimmed, runs of space collapsed. */
export function normalizeName(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/g, ' ');
}

/** The key two names collide on: NFKC, then case ignored. */
export function nameKey(normalized: string): Uint8Array {
  return utf8Encode(normalized.toLowerCase().normalize('NFKC'));
}

/** Why `normalized` cannot be a name, or null. */
export function nameProblem(normalized: string, maxBytes: number): NameProblem | null {
  if (normalized === '') return { kind: 'invalid', message: 'must not be empty' };
  const text = checkPlainText(normalized, { maxBytes, allowNewlines: false });
  if (text !== null) return { kind: 'invalid', message: text };
  if (mixesScriptsConfusably(normalized)) {
    return {
      kind: 'confusable',
      message: `mixes ${[...scriptsOf(normalized)].join(' and ')} letters, as look-alike names do: write it in one script`,
    };
  }
  return null;
}

/**
 * Why `url` is not an acceptable profile link, or null: https only (a link shown beside a
 * builder's counts must not downgrade or run script), no user-info (`https://good.org@evil.org`
 * reads as good.org), a plain host name or address, no spaces.
 */
export function urlProblem(url: string, maxBytes: number): string | null {
  if (utf8ByteLength(url) > maxBytes) return `at most ${maxBytes} bytes`;
  const m = /^https:\/\/([^/?#]*)([/?#][^\s]*)?$/.exec(url);
  if (m === null) return 'must be an https:// address without spaces';
  const authority = m[1] ?? '';
  if (authority.includes('@')) return 'must not carry a user name or password (user@host)';
  if (
    !/^([a-z0-9]([a-z0-9-]*[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[0-9]{1,5})?$/i.test(
      authority,
    )
  ) {
    return 'must name a host (letters, digits, dots and hyphens; international names in punycode)';
  }
  return checkPlainText(url, { maxBytes, allowNewlines: false });
}
