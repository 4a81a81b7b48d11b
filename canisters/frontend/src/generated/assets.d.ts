// The shape of assets.js, which canisters/frontend/scripts/assets.ts generates from
// frontend/dist at build time (it is not committed). Bodies are base64.
export declare const ASSETS: readonly {
  path: string;
  contentType: string;
  immutable: boolean;
  identity: string;
  gzip: string | null;
  br: string | null;
  /** Hex SHA-256 of each body. */
  sha256: { identity: string; gzip: string | null; br: string | null };
}[];
