import { dependencyPatch } from './dependency-patch';

/**
 * `idlLabelToId` of @dfinity/candid 3.4.3 (utils/hash.js) turns a record field's name into its
 * Candid id with two regular expressions, a TextEncoder and a hash loop, and the record decoder
 * calls it twice per field of every record it decodes, for the same few dozen names. For a page
 * of 500 attestations that was ~240 ms of the proposal page's main thread in Chromium, two thirds
 * of the decoding. The id is a pure function of the name, so each is computed once and kept
 * (up to `LABEL_IDS_KEPT` names: a reply cannot make the page hold more).
 *
 * Applied to the app's build only; the build fails if the installed version no longer has the
 * function (then remove this plugin, or write it again for the new code).
 */
export const LABEL_TO_ID = 'export function idlLabelToId(label) {';
export const LABEL_TO_ID_UNCACHED = 'function idlLabelToIdUncached(label) {';
export const LABEL_IDS_KEPT = 4096;

const CACHED = `
// frontend/vite/candid-label-ids.ts: each label's id computed once.
const labelIds = new Map();
export function idlLabelToId(label) {
    let id = labelIds.get(label);
    if (id === undefined) {
        id = idlLabelToIdUncached(label);
        if (labelIds.size < ${LABEL_IDS_KEPT}) labelIds.set(label, id);
    }
    return id;
}
`;

const HASH_MODULE = /[\\/]@dfinity[\\/]candid[\\/]lib[\\/]esm[\\/]utils[\\/]hash\.js$/;

/** The module's source with `idlLabelToId` remembered, or null when `id` is another module. */
export function withCachedLabelIds(code: string, id: string): string | null {
  if (!HASH_MODULE.test(id.split('?')[0] ?? id)) return null;
  const at = code.indexOf(LABEL_TO_ID);
  if (at < 0 || code.indexOf(LABEL_TO_ID, at + 1) >= 0) {
    throw new Error(
      `${id}: expected exactly one "${LABEL_TO_ID}" — @dfinity/candid changed; ` +
        'see frontend/vite/candid-label-ids.ts',
    );
  }
  return code.replace(LABEL_TO_ID, LABEL_TO_ID_UNCACHED) + CACHED;
}

export const candidLabelIdsCached = () =>
  dependencyPatch({
    name: 'repro-candid-label-ids',
    module: '@dfinity/candid utils/hash.js',
    explainedIn: 'frontend/vite/candid-label-ids.ts',
    rewrite: withCachedLabelIds,
  });
