import type { ArtifactMember } from '@repro-registry/attestation';

/** One side of a comparison: an image archive (from a file or from an attestation). */
export interface DiffSide {
  label: string;
  sha256: string | null;
  members: ArtifactMember[] | null;
}

export interface MemberDifference {
  path: string;
  /** `differs`: both have it with different content; `only_left` / `only_right`: one side lacks it. */
  change: 'differs' | 'only_left' | 'only_right';
  left: ArtifactMember | null;
  right: ArtifactMember | null;
}

export interface DiffResult {
  identical: boolean;
  /** Null when a side has no member list (e.g. an attestation made without one). */
  differences: MemberDifference[] | null;
  sameMembers: string[];
}

/** Names the files inside two image archives that differ ("root.img"), the forum thread's question. */
export function diffMembers(left: DiffSide, right: DiffSide): DiffResult {
  const identical = left.sha256 !== null && left.sha256 === right.sha256;
  if (left.members === null || right.members === null)
    return { identical, differences: null, sameMembers: [] };
  const l = new Map(left.members.map((m) => [m.path, m]));
  const r = new Map(right.members.map((m) => [m.path, m]));
  const paths = [...new Set([...l.keys(), ...r.keys()])].sort();
  const differences: MemberDifference[] = [];
  const sameMembers: string[] = [];
  for (const path of paths) {
    const a = l.get(path) ?? null;
    const b = r.get(path) ?? null;
    if (a && b) {
      if (a.sha256 === b.sha256) sameMembers.push(path);
      else differences.push({ path, change: 'differs', left: a, right: b });
    } else {
      differences.push({ path, change: a ? 'only_left' : 'only_right', left: a, right: b });
    }
  }
  return { identical, differences, sameMembers };
}
