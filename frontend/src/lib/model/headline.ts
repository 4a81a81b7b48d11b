/**
 * The answer a voter reads first: one rule turns who got which hash into a verdict on the
 * proposal, a sentence, a colour and an icon. The proposal page applies it to the attestations it
 * verified, the list's badges to the registry's summary — the same function, so a badge and the
 * page it links to never disagree about what the numbers mean.
 *
 * The rule, for the artifact the proposal asks the network to run and the reader's threshold T:
 * 1. `no_hash`: the proposal states no hash for it (or it has not been read from governance
 *    yet) — nothing can be reproduced against it.
 * 2. `none`: no builder reported a hash.
 * 3. `against`: some other hash has at least 2 builders and more than the proposal's hash.
 * 4. `reproduced`: at least T builders got the proposal's hash, more than got other hashes, and
 *    every builder who differs ran on a kind of machine (OS, virtualization, container runtime —
 *    `environmentClass`) that none of the reproducing builders used: their machine explains the
 *    difference, as in every mismatch the forum thread traced (WSL2, VirtualBox, …).
 * 5. `not_yet`: fewer than T got the proposal's hash and nobody differs.
 * 6. `split`: everything else — builders differ and their machines do not explain it.
 */
import { plural } from './format';
import type { ExpectedSource } from './types';
import { artifactKindLabel } from './verdicts';

export type HeadlineState = 'reproduced' | 'not_yet' | 'split' | 'against' | 'no_hash' | 'none';
export type HeadlineTone = 'good' | 'pending' | 'warn' | 'bad' | 'none';

/** The builders who reported one hash. */
export interface TallyGroup {
  sha256: string;
  builders: number;
  /** Distinct environment classes among them. */
  classCount: number;
  /** The classes themselves; null when only their number is known (the registry's summary). */
  classes: ReadonlySet<string> | null;
  /** Their virtualization, for "on VirtualBox"; null when unknown. */
  machines: readonly string[] | null;
}

/** Who got which hash for the artifact the proposal is about. */
export interface Tally {
  kind: string;
  expectedSha256: string | null;
  expectedSource: ExpectedSource;
  /** Whether the registry has read the proposal from governance. */
  onChainRead: boolean;
  groups: TallyGroup[];
  /** Builders whose standing attempt produced no hash (build failed, not built). */
  failed: number;
  /** The trust list whose builders are counted (null: everyone), and matches over everyone. */
  scope: { listName: string | null; matchingInAll: number };
}

export interface Headline {
  state: HeadlineState;
  tone: HeadlineTone;
  icon: string;
  /** The sentence under the title; also the badge's description. */
  sentence: string;
  /** The badge's short text. */
  badge: string;
  /** Builders with the proposal's hash, with other hashes, and without a hash. */
  reproducing: number;
  differing: number;
  failed: number;
}

export interface HeadlineStateInfo {
  state: HeadlineState;
  tone: HeadlineTone;
  icon: string;
  title: string;
  /** What the state means, for the legend (the threshold filled in). */
  meaning: (threshold: number) => string;
}

/** Every state the rule can give, in the legend's order. */
export const HEADLINE_STATES: readonly HeadlineStateInfo[] = [
  {
    state: 'reproduced',
    tone: 'good',
    icon: '✓',
    title: 'Reproduced',
    meaning: (t) =>
      `At least ${t} builders got the proposal's hash, more than got any other hash, and every builder who differs ran on a kind of machine (OS, virtualization, container runtime) that none of the reproducing builders used.`,
  },
  {
    state: 'not_yet',
    tone: 'pending',
    icon: '…',
    title: 'Not reproduced yet',
    meaning: (t) =>
      `Every builder who reported got the proposal's hash, but fewer than ${t} have so far.`,
  },
  {
    state: 'split',
    tone: 'warn',
    icon: '!',
    title: 'Builders differ',
    meaning: () =>
      "Some builders got another hash than the proposal's, and their machines do not explain it (or too few got the proposal's hash). Open the proposal to see where the images differ.",
  },
  {
    state: 'against',
    tone: 'bad',
    icon: '⚠',
    title: 'Agree on another hash',
    meaning: () =>
      "At least 2 builders agree on a hash that is not the proposal's, and more of them than got the proposal's hash.",
  },
  {
    state: 'no_hash',
    tone: 'none',
    icon: '?',
    title: 'No hash on chain',
    meaning: () =>
      'The proposal states no hash for its image (or the registry has not read it from governance yet): there is nothing to reproduce against.',
  },
  {
    state: 'none',
    tone: 'none',
    icon: '○',
    title: 'No reproduction yet',
    meaning: () => 'No builder has reported a built image for this proposal yet.',
  },
];

function info(state: HeadlineState): HeadlineStateInfo {
  return HEADLINE_STATES.find((s) => s.state === state) as HeadlineStateInfo;
}

/** Whether the rule's answer depends on which machines the differing builders used. */
export function needsEnvironments(tally: Tally, threshold: number): boolean {
  const c = counts(tally);
  return (
    c.hashed > 0 &&
    tally.expectedSource === 'proposal' &&
    !isAgainst(c) &&
    c.reproducing >= threshold &&
    c.differing > 0 &&
    c.reproducing > c.differing
  );
}

interface Counts {
  expected: TallyGroup | null;
  others: TallyGroup[];
  reproducing: number;
  differing: number;
  largestOther: number;
  hashed: number;
}

function counts(tally: Tally): Counts {
  const expected =
    tally.expectedSha256 === null
      ? null
      : (tally.groups.find((g) => g.sha256 === tally.expectedSha256) ?? null);
  const others = tally.groups.filter((g) => g !== expected);
  const reproducing = expected?.builders ?? 0;
  const differing = others.reduce((n, g) => n + g.builders, 0);
  const largestOther = Math.max(0, ...others.map((g) => g.builders));
  return {
    expected,
    others,
    reproducing,
    differing,
    largestOther,
    hashed: reproducing + differing,
  };
}

const isAgainst = (c: Counts) => c.largestOther >= 2 && c.largestOther > c.reproducing;

/** Every differing builder ran on a kind of machine no reproducing builder used; null: unknown. */
function explainedByMachines(c: Counts): boolean | null {
  const reproducers = c.expected?.classes ?? null;
  if (reproducers === null) return null;
  for (const g of c.others) {
    if (g.classes === null) return null;
    for (const cls of g.classes) if (reproducers.has(cls)) return false;
  }
  return true;
}

/** "VirtualBox", "WSL2 and VirtualBox": the machines of the differing builders. */
function machinesOf(groups: TallyGroup[]): string | null {
  const all = groups.flatMap((g) => g.machines ?? []);
  if (all.length === 0 || groups.some((g) => g.machines === null)) return null;
  const distinct = [...new Set(all)];
  if (distinct.length === 1) return distinct[0];
  return `${distinct.slice(0, -1).join(', ')} and ${distinct.at(-1) as string}`;
}

export function decideHeadline(tally: Tally, threshold: number): Headline {
  const c = counts(tally);
  const { listName, matchingInAll } = tally.scope;
  const onList = listName === null ? '' : ` on list ${listName}`;
  const inAll = listName === null ? '' : `; ${matchingInAll} in all`;
  const label = artifactKindLabel(tally.kind);
  const failedClause = tally.failed > 0 ? `; ${plural(tally.failed, 'build')} failed` : '';
  const failedBadge = tally.failed > 0 ? ` · ${tally.failed} failed` : '';
  const result = (state: HeadlineState, sentence: string, badge: string): Headline => {
    const s = info(state);
    return {
      state,
      tone: s.tone,
      icon: s.icon,
      sentence,
      badge: `${badge}${listName === null ? '' : ` on list ${listName}; ${matchingInAll} in all`}`,
      reproducing: c.reproducing,
      differing: c.differing,
      failed: tally.failed,
    };
  };

  if (tally.expectedSource !== 'proposal') {
    const agree = Math.max(0, ...tally.groups.map((g) => g.builders));
    const agreeing =
      c.hashed === 0
        ? 'no builder has reported a built image yet'
        : agree === 1
          ? `${plural(c.hashed, 'builder')} reported ${c.hashed === 1 ? 'a hash' : 'hashes'}, no two the same`
          : `${agree} of ${plural(c.hashed, 'builder')}${onList} agree with each other`;
    return result(
      'no_hash',
      tally.onChainRead
        ? `No hash on chain: the proposal states no ${label} hash to reproduce; ${agreeing}.`
        : `Not compared yet: the registry has not read the proposal's ${label} hash from governance; ${agreeing}.`,
      `${tally.onChainRead ? 'no hash on chain' : 'hash not read yet'}${agree > 1 ? ` · ${agree} agree` : ''}`,
    );
  }
  if (c.hashed === 0) {
    return result(
      'none',
      `No reproduction yet: no builder${onList} has reported a built ${label} image${failedClause}.`,
      `no reproduction yet${failedBadge}`,
    );
  }
  if (isAgainst(c)) {
    const also = c.reproducing > 0 ? `; ${c.reproducing} got the proposal's` : '';
    return result(
      'against',
      `Warning: ${c.largestOther} builders${onList} agree on a ${label} hash that is not the proposal's${also}${failedClause}${inAll}.`,
      `${c.largestOther} agree on another hash${c.reproducing > 0 ? ` · ${c.reproducing} match` : ''}`,
    );
  }
  const kinds = c.expected?.classCount ?? 0;
  const machines = c.reproducing > 1 && kinds > 0 ? ` on ${plural(kinds, 'kind')} of machine` : '';
  if (c.reproducing >= threshold && c.differing === 0) {
    return result(
      'reproduced',
      `Reproduced: ${plural(c.reproducing, 'builder')}${onList} got the proposal's ${label} hash${machines}${failedClause}${inAll}.`,
      `reproduced · ${plural(c.reproducing, 'builder')}${failedBadge}`,
    );
  }
  const explained =
    c.reproducing >= threshold && c.reproducing > c.differing ? explainedByMachines(c) : false;
  if (explained === true) {
    const where = machinesOf(c.others);
    const differ = `${plural(c.differing, 'builder')}${where === null ? '' : ` on ${where}`} ${c.differing === 1 ? 'differs' : 'differ'} (see below)`;
    return result(
      'reproduced',
      `Reproduced: ${plural(c.reproducing, 'builder')}${onList} got the proposal's ${label} hash${machines}; ${differ}${failedClause}${inAll}.`,
      `reproduced · ${plural(c.reproducing, 'builder')} · ${c.differing} ${c.differing === 1 ? 'outlier' : 'outliers'}${failedBadge}`,
    );
  }
  if (c.differing === 0) {
    return result(
      'not_yet',
      `Not reproduced yet: ${c.reproducing} of ${threshold} builders needed${onList} got the proposal's ${label} hash${failedClause}${inAll}.`,
      `${c.reproducing} of ${threshold} needed${failedBadge}`,
    );
  }
  const other = c.others.length === 1 ? 'another hash' : 'other hashes';
  const why =
    c.reproducing < threshold
      ? `; ${threshold} needed`
      : c.reproducing <= c.differing
        ? '; no more builders got it than differ'
        : explained === null
          ? '; which machines they used is not known yet'
          : '; their machines do not explain the difference';
  return result(
    'split',
    c.reproducing === 0
      ? `Not reproduced: ${plural(c.differing, 'builder')}${onList} got ${other} and none the proposal's ${label} hash (see below)${failedClause}${inAll}.`
      : `Builders differ: ${c.reproducing}${onList} got the proposal's ${label} hash and ${c.differing} got ${other} (see below)${why}${failedClause}${inAll}.`,
    `${c.reproducing} match · ${c.differing} differ${failedBadge}`,
  );
}
