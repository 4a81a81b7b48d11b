/**
 * Kept for the registry's tests and bench, which import these from here: they live in
 * `@repro-registry/deploy` (import them from there).
 */
export { ensureCanisterBuilt, newestMtime } from '@repro-registry/deploy';
