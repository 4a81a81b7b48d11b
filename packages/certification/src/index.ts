// @repro-registry/certification: IC certification without I/O or Node APIs — the labelled hash
// tree (build, root hash, witnesses, CBOR) and HTTP certification v2 (the `http_expr` tree,
// request and response hashes, certification expressions, the IC-Certificate headers). Runs
// inside azle canisters as well as in Node and browsers.
export {
  compareBytes,
  decodeHashTree,
  emptyDigest,
  encodeHashTree,
  forkDigest,
  hashTreeFromCbor,
  labelBytes,
  labeledDigest,
  leafDigest,
  lookupPath,
  lookupSubtree,
  MalformedHashTreeError,
  reconstruct,
} from './hash-tree';
export type { HashTree, Label, LookupResult, SubtreeResult } from './hash-tree';
export { LabeledMap, Leaf, PrunedNode, pathRequestOf } from './labeled-tree';
export type { PathRequest, TreeNode } from './labeled-tree';
export { representationIndependentHash } from './representation-independent-hash';
export type { HashableValue } from './representation-independent-hash';
export { celExpressionText } from './http/cel';
export type { CertificationExpression, ResponseCertification } from './http/cel';
export {
  CERTIFICATE_EXPRESSION_HEADER,
  CERTIFICATE_HEADER,
  certifiedResponseHeaders,
  requestHash,
  responseHash,
} from './http/hashes';
export type { HeaderField, HttpRequestParts, HttpResponseParts } from './http/hashes';
export {
  EXACT,
  HTTP_EXPR,
  WILDCARD,
  exprPathOf,
  moreSpecificWildcards,
  requestPathOf,
  requestSegmentsOf,
  treePathOf,
  wildcardCovers,
} from './http/paths';
export type { CertifiedPath } from './http/paths';
export {
  HttpCertificationTree,
  WildcardMismatchError,
  httpEntryPath,
  httpWitnessPaths,
} from './http/tree';
export type { CertificationEntry } from './http/tree';
export { certificateHeader, certifyResponse, encodedExprPath } from './http/response';
export {
  decodeHttpRequest,
  encodeHttpResponse,
  GatewayCandidError,
  readHttpRequest,
} from './http/gateway-candid';
export type { GatewayReply, GatewayRequest } from './http/gateway-candid';
export { base64AsciiBytes, PreparedReply } from './http/prepared-reply';
export { MemoryNodeStore, type NodeStore } from './stored/store';
export { StoredLabeledTree, TreeShapeError } from './stored/tree';
