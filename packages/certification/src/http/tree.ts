/**
 * The `http_expr` tree of HTTP certification v2: one leaf per certified (path, expression,
 * request, response) at `http_expr/<path segments>/<$ or *>/<expr hash>/<request hash or "">/
 * <response hash>` (a skipped certification ends at the expression hash), and the witness a
 * response carries: its own entry and, for a wildcard route, proof that the request has no exact
 * route and no more specific wildcard.
 *
 * The tree lives under the label `http_expr` of a root map the caller may share with other
 * certified data; the root's digest is what the canister passes to `certified_data_set`.
 */
import type { HashTree, Label } from '../hash-tree';
import { LabeledMap, Leaf, pathRequestOf } from '../labeled-tree';
import {
  EXACT,
  HTTP_EXPR,
  moreSpecificWildcards,
  requestPathOf,
  requestSegmentsOf,
  treePathOf,
  wildcardCovers,
  type CertifiedPath,
} from './paths';

/**
 * One certified response: `requestHash` for a full certification, null for response-only;
 * `responseHash` absent for a skipped certification.
 */
export interface CertificationEntry {
  path: CertifiedPath;
  exprHash: Uint8Array;
  requestHash?: Uint8Array | null;
  responseHash?: Uint8Array;
}

const EMPTY = new Uint8Array(0);

function entryLabels(entry: CertificationEntry): Label[] {
  const labels: Label[] = [...treePathOf(entry.path), entry.exprHash];
  if (entry.responseHash !== undefined) {
    labels.push(entry.requestHash ?? EMPTY, entry.responseHash);
  }
  return labels;
}

/** Where `entry`'s leaf (an empty value) sits, from the root: `["http_expr", ...]`. */
export function httpEntryPath(entry: CertificationEntry): Label[] {
  return [HTTP_EXPR, ...entryLabels(entry)];
}

export class WildcardMismatchError extends Error {
  override readonly name = 'WildcardMismatchError';
}

/**
 * The paths (from the root) a witness for `entry` answering `requestUrl` must reveal: its own
 * leaf and, for a wildcard, the exact path and every more specific wildcard (proven absent).
 * Throws `WildcardMismatchError` when a wildcard entry does not cover the request's path.
 */
export function httpWitnessPaths(entry: CertificationEntry, requestUrl: string): Label[][] {
  const own = httpEntryPath(entry);
  if ('exact' in entry.path) return [own];
  const requestPath = requestPathOf(requestUrl);
  const scope = treePathOf(entry.path).slice(0, -1);
  const request = requestSegmentsOf(requestPath ?? '');
  if (requestPath === null || !wildcardCovers(scope, request)) {
    throw new WildcardMismatchError(
      `the wildcard ${JSON.stringify(entry.path.wildcard)} does not cover ${requestUrl}`,
    );
  }
  return [
    own,
    [HTTP_EXPR, ...request, EXACT],
    ...moreSpecificWildcards(request, scope).map((p) => [HTTP_EXPR, ...p]),
  ];
}

export class HttpCertificationTree {
  private readonly expr = new LabeledMap();

  /** `root` may hold other certified data beside `http_expr`. */
  constructor(readonly root: LabeledMap = new LabeledMap()) {
    root.set(HTTP_EXPR, this.expr);
  }

  /** The digest to certify (`certified_data_set`): that of the whole root map. */
  rootHash(): Uint8Array {
    return this.root.digest();
  }

  insert(entry: CertificationEntry): void {
    const labels = entryLabels(entry);
    const maps: [LabeledMap, Label][] = [[this.root, HTTP_EXPR]];
    let map = this.expr;
    for (const label of labels.slice(0, -1)) {
      let next = map.get(label);
      if (!(next instanceof LabeledMap)) {
        next = new LabeledMap();
        map.set(label, next);
      }
      maps.push([map, label]);
      map = next as LabeledMap;
    }
    map.set(labels.at(-1)!, new Leaf(EMPTY));
    for (const [parent, label] of maps) parent.invalidate(label);
  }

  delete(entry: CertificationEntry): void {
    const labels = entryLabels(entry);
    const maps: [LabeledMap, Label][] = [];
    let map = this.expr;
    for (const label of labels.slice(0, -1)) {
      const next = map.get(label);
      if (!(next instanceof LabeledMap)) return;
      maps.push([map, label]);
      map = next;
    }
    map.delete(labels.at(-1)!);
    // Empty maps would change the digest (an empty fork is not no node): remove them.
    for (let i = maps.length - 1; i >= 0; i--) {
      const [parent, label] = maps[i];
      if ((parent.get(label) as LabeledMap).size === 0) parent.delete(label);
      else parent.invalidate(label);
    }
    this.root.invalidate(HTTP_EXPR);
  }

  /** See `httpWitnessPaths`. */
  witnessPaths(entry: CertificationEntry, requestUrl: string): Label[][] {
    return httpWitnessPaths(entry, requestUrl);
  }

  /** The pruned root revealing what `witnessPaths` lists: its digest is the root hash. */
  witness(entry: CertificationEntry, requestUrl: string): HashTree {
    return this.root.witness(pathRequestOf(this.witnessPaths(entry, requestUrl)));
  }
}
