/**
 * Where a certification sits in the `http_expr` tree: `["http_expr", ...segments, "<$>"]` for an
 * exact path, `<*>` for a wildcard (a route for every path below it that has nothing more
 * specific), a trailing `/` as an empty last segment. Request paths are matched percent-decoded,
 * as DFINITY's verifier does.
 */
import { utf8Decode, utf8Encode } from '@repro-registry/attestation';

export const HTTP_EXPR = 'http_expr';
export const EXACT = '<$>';
export const WILDCARD = '<*>';

/** An exact path (`/index.html`) or a wildcard scope (`/` for every path of the canister). */
export type CertifiedPath = { exact: string } | { wildcard: string };

function segmentsOf(path: string): string[] {
  const segments = path.split('/').filter((s) => s !== '');
  if (path.endsWith('/')) segments.push('');
  return segments;
}

/** The tree path below `http_expr`, terminator included. */
export function treePathOf(path: CertifiedPath): string[] {
  return 'exact' in path
    ? [...segmentsOf(path.exact), EXACT]
    : [...segmentsOf(path.wildcard), WILDCARD];
}

/** The `expr_path` of the `IC-Certificate` header. */
export function exprPathOf(path: CertifiedPath): string[] {
  return [HTTP_EXPR, ...treePathOf(path)];
}

const hexValue = (c: number): number =>
  c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;

/**
 * The path of a request URL (query and fragment dropped), percent-decoded like the `urlencoding`
 * crate: `%` with two hex digits is a byte, anything else stays as it is; null when the bytes
 * are not UTF-8 (no certified response can match such a path).
 */
export function requestPathOf(url: string): string | null {
  const end = url.search(/[?#]/);
  const path = end < 0 ? url : url.slice(0, end);
  // Most paths have no escapes: no per-character work (costly in a canister's interpreter).
  if (!path.includes('%')) return path;
  const raw = utf8Encode(path);
  const out: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const hi = raw[i] === 37 ? hexValue(raw[i + 1] ?? -1) : -1;
    const lo = hi >= 0 ? hexValue(raw[i + 2] ?? -1) : -1;
    if (hi >= 0 && lo >= 0) {
      out.push((hi << 4) | lo);
      i += 2;
    } else {
      out.push(raw[i]);
    }
  }
  try {
    return utf8Decode(Uint8Array.from(out));
  } catch {
    return null;
  }
}

/** Segments of a request path as the verifier splits it (no terminator). */
export function requestSegmentsOf(requestPath: string): string[] {
  return segmentsOf(requestPath);
}

/** Whether the wildcard scope `wildcard` (segments, no terminator) covers `request`. */
export function wildcardCovers(wildcard: readonly string[], request: readonly string[]): boolean {
  const startsWith = (prefix: readonly string[]): boolean =>
    prefix.length <= request.length && prefix.every((s, i) => s === request[i]);
  if (startsWith(wildcard)) return true;
  // A scope ending in `/` also covers the directory itself.
  return wildcard.at(-1) === '' && startsWith(wildcard.slice(0, -1));
}

/**
 * The wildcard paths (terminator included) more specific than `responding` that would also
 * cover `request`: a witness must prove each absent, or a node could answer with a broader route
 * than the canister meant. Mirrors `more_specific_wildcards_for` of ic-http-certification.
 */
export function moreSpecificWildcards(
  request: readonly string[],
  responding: readonly string[],
): string[][] {
  const strip = (path: readonly string[]): string[] => {
    const p = [...path];
    if (p.length > 1 && p[0] === '') p.shift();
    return p;
  };
  const potential = strip(request);
  let scope = strip(responding);
  if (!wildcardCovers(scope, potential)) scope = [];
  const out: string[][] = [];
  while (potential.length > scope.length || potential.at(-1) !== scope.at(-1)) {
    out.push([...potential, WILDCARD]);
    if (potential.at(-1) === '') potential.pop();
    else {
      potential.pop();
      potential.push('');
    }
  }
  return out;
}
