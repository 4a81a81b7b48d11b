/**
 * Localising a mismatch: when builders signed the hashes of the files inside the image, the
 * files whose hashes differ between two hash groups say where the builds diverge ("differs in
 * root.img") — the first thing a release engineer asks.
 */
import {
  archiveLayerDifference,
  describeLayerDifference,
  type LayerDifference,
} from '@repro-registry/attestation';
import type { MemberHash } from '../verification/verify';
import type { HashGroup } from './types';

export interface MemberDifference {
  path: string;
  /** Hash in the reference group; null when the file is missing there. */
  reference: string | null;
  /** Hash in the other group; null when the file is missing there. */
  other: string | null;
}

export type GroupComparison =
  | {
      status: 'compared';
      sha256: string;
      referenceSha256: string;
      /** Where the archives part: only the compression, the tar layout, or the files. */
      layer: 'compression' | 'tar' | 'archive' | 'files';
      /** "only the compression differs (same tar)", "root.img differs"… */
      summary: string;
      differences: MemberDifference[];
    }
  /** One of the two groups has no verified attestation listing its files or its tar layer. */
  | { status: 'no_members'; sha256: string; referenceSha256: string };

/** A verified attestation's artifact: the hash it built, the files it listed, its tar layer. */
export interface SignedArtifact {
  sha256: string | null;
  members: MemberHash[] | undefined;
  tarSha256?: string | undefined;
}

/**
 * Compares every hash group with the reference group (the expected one, else the largest),
 * using the files listed by verified attestations in each group.
 */
export function compareHashGroups(args: {
  groups: HashGroup[];
  signed: SignedArtifact[];
}): GroupComparison[] {
  const { groups, signed } = args;
  if (groups.length < 2) return [];
  const reference = groups.find((g) => g.matchesExpected === true) ?? groups[0];
  if (reference === undefined) return [];
  const membersOf = (sha256: string): MemberHash[] | null =>
    signed.find((s) => s.sha256 === sha256 && s.members !== undefined && s.members.length > 0)
      ?.members ?? null;
  const tarOf = (sha256: string): string | null =>
    signed.find((s) => s.sha256 === sha256 && s.tarSha256 !== undefined)?.tarSha256 ?? null;
  const layersOf = (sha256: string) => ({
    sha256,
    tarSha256: tarOf(sha256),
    members: membersOf(sha256)?.map((m) => ({ ...m, size: '0' })) ?? null,
  });
  const referenceLayers = layersOf(reference.sha256);
  return groups
    .filter((g) => g !== reference)
    .map((g): GroupComparison => {
      const layers = layersOf(g.sha256);
      const difference: LayerDifference = archiveLayerDifference(referenceLayers, layers);
      if (difference.layer === 'unknown' || difference.layer === 'none')
        return { status: 'no_members', sha256: g.sha256, referenceSha256: reference.sha256 };
      return {
        status: 'compared',
        sha256: g.sha256,
        referenceSha256: reference.sha256,
        layer: difference.layer,
        summary: describeLayerDifference(difference),
        differences:
          referenceLayers.members !== null && layers.members !== null
            ? diffMembers(referenceLayers.members, layers.members)
            : [],
      };
    });
}

export function diffMembers(reference: MemberHash[], other: MemberHash[]): MemberDifference[] {
  const a = new Map(reference.map((m) => [m.path, m.sha256]));
  const b = new Map(other.map((m) => [m.path, m.sha256]));
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  return paths
    .map((path) => ({ path, reference: a.get(path) ?? null, other: b.get(path) ?? null }))
    .filter((d) => d.reference !== d.other);
}

/** "differs in root.img", "differs in root.img and boot.img", "differs in 5 files". */
export function differenceSummary(differences: MemberDifference[]): string {
  if (differences.length === 0) return 'the listed files are identical';
  const names = differences.map((d) => d.path);
  if (names.length === 1) return `differs in ${names[0]}`;
  if (names.length <= 3)
    return `differs in ${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return `differs in ${names.length} files`;
}
