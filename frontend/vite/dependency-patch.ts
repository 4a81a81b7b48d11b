import type { Plugin, ResolvedConfig } from 'vite';

/**
 * A build-only plugin that rewrites one module of a dependency (`rewrite` returns null for every
 * other module) and fails the build when that module was not in it: a patch that silently stops
 * applying after an upgrade would leave a slow or wrong path in place unnoticed.
 */
export function dependencyPatch(args: {
  name: string;
  /** What the module is, for the build's error (e.g. "@dfinity/agent utils/bls.js"). */
  module: string;
  /** The file that explains the patch. */
  explainedIn: string;
  rewrite: (code: string, id: string, config: ResolvedConfig) => string | null;
  /**
   * Fail the build when the module was not in it (default). False for a worker's build, which
   * may not use the module: the app's build, which does, still fails.
   */
  required?: boolean;
}): Plugin {
  let applied = false;
  let config: ResolvedConfig;
  return {
    name: args.name,
    apply: 'build',
    configResolved(resolved) {
      config = resolved;
    },
    transform(code, id) {
      const rewritten = args.rewrite(code, id, config);
      if (rewritten === null) return null;
      applied = true;
      return { code: rewritten, map: null };
    },
    buildEnd(error) {
      if (!error && !applied && args.required !== false) {
        this.error(`${args.module} was not in the build: see ${args.explainedIn}`);
      }
    },
  };
}
