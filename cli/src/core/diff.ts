import {
  archiveLayerDifference,
  describeLayerDifference,
  type ArtifactMember,
  type LayerDifference,
} from '@repro-registry/attestation';

/** One side of a comparison: an image archive (from a file or from an attestation). */
export interface DiffSide {
  label: string;
  sha256: string | null;
  /** SHA-256 of the uncompressed tar stream, when known. */
  tarSha256: string | null;
  members: ArtifactMember[] | null;
}

export interface MemberDifference {
  path: string;
  /** `differs`: both have it with different content; `onlyLeft` / `onlyRight`: one side lacks it. */
  change: 'differs' | 'onlyLeft' | 'onlyRight';
  left: ArtifactMember | null;
  right: ArtifactMember | null;
}

export interface DiffResult {
  identical: boolean;
  /** The outermost layer that explains the difference: compression, tar layout or files. */
  layer: LayerDifference['layer'];
  /** One line: "only the compression differs (same tar)", "root.img differs"… */
  summary: string;
  /** Null when a side has no member list (e.g. an attestation made without one). */
  differences: MemberDifference[] | null;
  sameMembers: string[];
}

/**
 * Says where two image archives part — the forum thread's question: only the compression (a
 * zstd upgrade), the tar layout around identical files (sparse map, order, metadata), or the
 * files themselves ("root.img").
 */
export function diffMembers(left: DiffSide, right: DiffSide): DiffResult {
  const difference = archiveLayerDifference(left, right);
  const identical = difference.layer === 'none';
  const base = { identical, layer: difference.layer, summary: describeLayerDifference(difference) };
  if (left.members === null || right.members === null)
    return { ...base, differences: null, sameMembers: [] };
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
      differences.push({ path, change: a ? 'onlyLeft' : 'onlyRight', left: a, right: b });
    }
  }
  return { ...base, differences, sameMembers };
}
