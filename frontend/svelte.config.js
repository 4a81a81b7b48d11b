// Svelte 5 compiles TypeScript in components natively: no preprocessors needed.
export default {};
