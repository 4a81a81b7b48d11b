import { utf8Decode } from '@repro-registry/attestation';
import { describe, expect, it } from 'vitest';

import { mixesScriptsConfusably, nameKey, nameProblem, normalizeName, urlProblem } from './names';

describe('names', () => {
  it('normalises with NFKC and compares ignoring case', () => {
    expect(normalizeName('  Ｅｒｉｎ   (CodeGov) ')).toBe('Erin (CodeGov)');
    expect(utf8Decode(nameKey(normalizeName('ERIN (codegov)')))).toBe(
      utf8Decode(nameKey(normalizeName('Erin (CodeGov)'))),
    );
    // The ligature ﬁ is "fi" after NFKC.
    expect(utf8Decode(nameKey(normalizeName('ﬁnn')))).toBe('finn');
  });

  it('refuses Latin mixed with look-alike scripts', () => {
    expect(mixesScriptsConfusably('Аlice')).toBe(true); // Cyrillic А
    expect(mixesScriptsConfusably('pаypal')).toBe(true); // Cyrillic а
    expect(mixesScriptsConfusably('Ꭺlice')).toBe(true); // Cherokee Ꭺ
    expect(mixesScriptsConfusably('Ωmega builder')).toBe(true); // Greek Ω
    expect(nameProblem('Аlice', 64)?.kind).toBe('confusable');
  });

  it('accepts one script, and the mixes writing systems use', () => {
    for (const name of [
      'Alice',
      'Алиса',
      'Αλίκη',
      '山田 太郎',
      'やまだ Taro 山田',
      '김민준 Kim',
      'Zoë-42 (KVM)',
    ]) {
      expect(nameProblem(name, 64)).toBe(null);
    }
  });

  it('refuses empty, control characters and long names', () => {
    expect(nameProblem('', 64)?.kind).toBe('invalid');
    expect(nameProblem('a\u202eb', 64)?.kind).toBe('invalid');
    expect(nameProblem('x'.repeat(65), 64)?.kind).toBe('invalid');
  });
});

describe('profile links', () => {
  it('accepts https links to a host', () => {
    expect(urlProblem('https://codegov.org', 256)).toBe(null);
    expect(urlProblem('https://forum.dfinity.org/t/123?x=1#y', 256)).toBe(null);
    expect(urlProblem('https://xn--bcher-kva.example:8443/', 256)).toBe(null);
  });

  it('refuses other schemes, user-info and junk', () => {
    for (const url of [
      'http://codegov.org',
      'javascript:alert(1)',
      'data:text/html,hi',
      'https://codegov.org@evil.example/',
      'https://user:pw@evil.example',
      'https://',
      'https://exa mple.org',
      'https://bücher.example',
      'HTTPS://codegov.org',
    ]) {
      expect(urlProblem(url, 256), url).not.toBe(null);
    }
    expect(urlProblem(`https://a.org/${'x'.repeat(300)}`, 256)).toMatch(/256 bytes/);
  });
});
