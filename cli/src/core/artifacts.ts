import type { ArtifactKind } from '@repro-registry/attestation';

/** What repro-check builds, in the order it reports them. */
export const BUILDABLE_KINDS = [
  'guestos',
  'hostos',
  'setupos',
  'guestos-recovery',
] as const satisfies readonly ArtifactKind[];
export type BuildableKind = (typeof BUILDABLE_KINDS)[number];

/** How repro-check names each OS in its messages ("Verification successful for GuestOS!"). */
export const OS_LABELS: Record<BuildableKind, string> = {
  guestos: 'GuestOS',
  hostos: 'HostOS',
  setupos: 'SetupOS',
  'guestos-recovery': 'Recovery-GuestOS',
};

/** repro-check's flag selecting one OS. */
export const REPRO_CHECK_FLAGS: Record<BuildableKind, string> = {
  guestos: '--guestos',
  hostos: '--hostos',
  setupos: '--setupos',
  'guestos-recovery': '--recovery',
};

/** The release package file name of each OS (`.tar.zst` since 2023, `.tar.gz` before). */
export function defaultArtifactName(kind: ArtifactKind, compression: 'zst' | 'gz' = 'zst'): string {
  return kind === 'setupos'
    ? `disk-img.tar.${compression}`
    : kind === 'launch-measurements'
      ? 'launch-measurements.json'
      : `update-img.tar.${compression}`;
}

/** Maps an OS label from a log ("GuestOS", "guestOS", "Recovery-GuestOS") to an artifact kind. */
export function kindFromOsLabel(label: string): BuildableKind | null {
  const normalized = label
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');
  switch (normalized) {
    case 'guestos':
    case 'guest-os':
      return 'guestos';
    case 'hostos':
    case 'host-os':
      return 'hostos';
    case 'setupos':
    case 'setup-os':
      return 'setupos';
    case 'recovery-guestos':
    case 'guestos-recovery':
    case 'recovery':
      return 'guestos-recovery';
    default:
      return null;
  }
}

export function isBuildableKind(value: string): value is BuildableKind {
  return (BUILDABLE_KINDS as readonly string[]).includes(value);
}
