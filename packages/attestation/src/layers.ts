// Where two builds of one image archive part: the compressed file, the tar stream inside it, or
// the files inside that. Pure; the CLI's `repro diff` and the frontend's proposal page say the
// same thing from the same rules.
import type { ArtifactMember } from './types';

/** One image archive as an attestation (or a local digest) describes it. */
export interface ArchiveLayers {
  sha256: string | null;
  tarSha256?: string | null;
  members?: readonly ArtifactMember[] | null;
}

export type LayerDifference =
  /** The same file. */
  | { layer: 'none' }
  /** Different files, same tar stream: only the compression differs (e.g. another zstd). */
  | { layer: 'compression' }
  /** Same files inside, different tar stream: sparse map, member order or metadata. */
  | { layer: 'tar'; sameFiles: true }
  /** Same files inside; no tar hashes to say whether the tar or only the compression differs. */
  | { layer: 'archive'; sameFiles: true }
  /** The files differ; `paths` names them (only on one side counts as differing). */
  | { layer: 'files'; paths: string[] }
  /** The files differ, but a side has no tar hash or member list to say where. */
  | { layer: 'unknown' };

/** Compares two archives layer by layer, from the outside in. */
export function archiveLayerDifference(a: ArchiveLayers, b: ArchiveLayers): LayerDifference {
  if (a.sha256 !== null && a.sha256 === b.sha256) return { layer: 'none' };
  if (a.tarSha256 != null && a.tarSha256 === b.tarSha256) return { layer: 'compression' };
  if (a.members == null || b.members == null || a.members.length === 0 || b.members.length === 0)
    return { layer: 'unknown' };
  const left = new Map(a.members.map((m) => [m.path, m.sha256]));
  const right = new Map(b.members.map((m) => [m.path, m.sha256]));
  const paths = [...new Set([...left.keys(), ...right.keys()])]
    .filter((p) => left.get(p) !== right.get(p))
    .sort();
  if (paths.length === 0)
    return a.tarSha256 != null && b.tarSha256 != null
      ? { layer: 'tar', sameFiles: true }
      : { layer: 'archive', sameFiles: true };
  return { layer: 'files', paths };
}

/** One line for people: "only the compression differs (same tar)", "root.img differs"… */
export function describeLayerDifference(d: LayerDifference): string {
  switch (d.layer) {
    case 'none':
      return 'identical';
    case 'compression':
      return 'only the compression differs (same tar)';
    case 'tar':
      return 'same files, different tar layout (sparse map, ordering, metadata)';
    case 'archive':
      return 'same files; the archive around them differs (tar layout or compression)';
    case 'files':
      return `${d.paths.join(', ')} ${d.paths.length === 1 ? 'differs' : 'differ'}`;
    case 'unknown':
      return 'the archives differ (no member hashes to say where)';
    default:
      return d satisfies never;
  }
}
