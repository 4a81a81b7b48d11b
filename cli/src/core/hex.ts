const SHA256_HEX = /^[0-9a-f]{64}$/;
const COMMIT_HEX = /^[0-9a-f]{40}$/;

/** Lowercases and checks a SHA-256 written by a person; null if it is not 64 hex digits. */
export function normalizeSha256(text: string): string | null {
  const lower = text.trim().toLowerCase();
  return SHA256_HEX.test(lower) ? lower : null;
}

export function normalizeCommit(text: string): string | null {
  const lower = text.trim().toLowerCase();
  return COMMIT_HEX.test(lower) ? lower : null;
}

/** A proposal id as the attestation format wants it: decimal u64 without leading zeros, > 0. */
export function normalizeProposalId(text: string): string | null {
  const trimmed = text.trim();
  if (!/^[1-9][0-9]{0,19}$/.test(trimmed)) return null;
  return BigInt(trimmed) <= 0xffff_ffff_ffff_ffffn ? trimmed : null;
}
