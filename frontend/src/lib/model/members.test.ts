import { describe, expect, it } from 'vitest';

import {
  BAD_HASH,
  GOOD_HASH,
  ROOT_MEMBERS,
  ROOT_MEMBERS_DIFFERENT,
} from '../test-support/fixtures';
import { compareHashGroups, differenceSummary, diffMembers } from './members';

const groups = [
  { sha256: GOOD_HASH, builderCount: 3, matchesExpected: true, environmentClasses: 2 },
  { sha256: BAD_HASH, builderCount: 2, matchesExpected: false, environmentClasses: 1 },
];

describe('compareHashGroups', () => {
  it('names the files that differ from the expected group', () => {
    const [comparison] = compareHashGroups({
      groups,
      signed: [
        { sha256: BAD_HASH, members: ROOT_MEMBERS_DIFFERENT },
        { sha256: GOOD_HASH, members: ROOT_MEMBERS },
      ],
    });
    expect(comparison?.status).toBe('compared');
    if (comparison?.status !== 'compared') return;
    expect(comparison.sha256).toBe(BAD_HASH);
    expect(comparison.referenceSha256).toBe(GOOD_HASH);
    expect(comparison.differences.map((d) => d.path)).toEqual(['root.img']);
    expect(differenceSummary(comparison.differences)).toBe('differs in root.img');
  });

  it('says when a group has no listed files', () => {
    const comparisons = compareHashGroups({
      groups,
      signed: [{ sha256: GOOD_HASH, members: ROOT_MEMBERS }],
    });
    expect(comparisons).toEqual([
      { status: 'no_members', sha256: BAD_HASH, referenceSha256: GOOD_HASH },
    ]);
  });

  it('compares with the largest group when no group is expected', () => {
    const unknown = groups.map((g) => ({ ...g, matchesExpected: null }));
    const comparisons = compareHashGroups({
      groups: unknown,
      signed: [
        { sha256: GOOD_HASH, members: ROOT_MEMBERS },
        { sha256: BAD_HASH, members: ROOT_MEMBERS_DIFFERENT },
      ],
    });
    expect(comparisons[0]?.referenceSha256).toBe(GOOD_HASH);
  });

  it('has nothing to compare with a single group', () => {
    expect(compareHashGroups({ groups: groups.slice(0, 1), signed: [] })).toEqual([]);
  });
});

describe('diffMembers', () => {
  it('reports files missing on either side', () => {
    const extra = { path: 'extra.bin', sha256: GOOD_HASH, size: '1' };
    const diff = diffMembers([...ROOT_MEMBERS, extra], [ROOT_MEMBERS[1]]);
    expect(diff).toEqual([
      { path: 'boot.img', reference: ROOT_MEMBERS[0].sha256, other: null },
      { path: 'extra.bin', reference: GOOD_HASH, other: null },
    ]);
    expect(differenceSummary(diff)).toBe('differs in boot.img and extra.bin');
  });

  it('summarises many files by count', () => {
    const many = Array.from({ length: 5 }, (_, i) => ({
      path: `f${i}`,
      reference: 'a',
      other: 'b',
    }));
    expect(differenceSummary(many)).toBe('differs in 5 files');
    expect(differenceSummary([])).toBe('the listed files are identical');
  });
});

describe('compareHashGroups places the difference in a layer', () => {
  const tar = (label: string) => label.repeat(64).slice(0, 64);
  it('same tar stream: only the compression differs, even without member lists', () => {
    const [comparison] = compareHashGroups({
      groups,
      signed: [
        { sha256: GOOD_HASH, members: undefined, tarSha256: tar('a') },
        { sha256: BAD_HASH, members: undefined, tarSha256: tar('a') },
      ],
    });
    expect(comparison).toMatchObject({
      status: 'compared',
      layer: 'compression',
      summary: 'only the compression differs (same tar)',
      differences: [],
    });
  });

  it('same files in another tar layout, and files that differ', () => {
    const [layout] = compareHashGroups({
      groups,
      signed: [
        { sha256: GOOD_HASH, members: ROOT_MEMBERS, tarSha256: tar('a') },
        { sha256: BAD_HASH, members: ROOT_MEMBERS, tarSha256: tar('b') },
      ],
    });
    expect(layout).toMatchObject({ layer: 'tar', differences: [] });
    const [files] = compareHashGroups({
      groups,
      signed: [
        { sha256: GOOD_HASH, members: ROOT_MEMBERS, tarSha256: tar('a') },
        { sha256: BAD_HASH, members: ROOT_MEMBERS_DIFFERENT, tarSha256: tar('b') },
      ],
    });
    expect(files).toMatchObject({ layer: 'files', summary: 'root.img differs' });
  });
});
