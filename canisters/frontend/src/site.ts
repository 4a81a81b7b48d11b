/**
 * The certified site: every file of the app (each stored encoding a response of its own), `/`
 * and a fallback to index.html for every other path (a wildcard route, so deep links load the
 * app), and `/config.json`. Each response is certified with HTTP certification v2 as a full
 * certification of a GET without body, with all response headers certified — as DFINITY's
 * asset certification does — so a node can change neither a byte nor a header unnoticed.
 *
 * Pure: the canister hands in the files, the configuration and the IC certificate.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8Encode } from '@repro-registry/attestation';
import {
  certifyResponse,
  encodedExprPath,
  encodeHashTree,
  encodeHttpResponse,
  HttpCertificationTree,
  PreparedReply,
  requestPathOf,
  type CertificationEntry,
  type CertificationExpression,
  type CertifiedPath,
  type HeaderField,
} from '@repro-registry/certification';

import { configJson, type PageConfig } from './config';
import { chooseEncoding, type ContentEncoding } from './encoding';

export interface SiteFile {
  /** URL path, e.g. `/assets/index-BuudPdtj.js`. */
  path: string;
  contentType: string;
  immutable: boolean;
  bodies: Partial<Record<ContentEncoding, Uint8Array>>;
  /** SHA-256 of the bodies when known (computed otherwise). */
  bodyHashes?: Partial<Record<ContentEncoding, Uint8Array>>;
}

/** Method, body and response headers certified; no request header or query parameter. */
const EXPRESSION: CertificationExpression = {
  kind: 'full',
  request: { headers: [], queryParameters: [] },
  response: { responseHeaderExclusions: [] },
};
const NO_BODY = new Uint8Array(0);
export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';

interface Variant {
  encoding: ContentEncoding;
  headers: HeaderField[];
  body: Uint8Array;
  entry: CertificationEntry;
  exprPath: string;
  /** The Candid reply laid out once the tree is complete (the witness is then final). */
  reply?: PreparedReply;
}

interface Route {
  path: CertifiedPath;
  variants: Variant[];
}

export class CertifiedSite {
  private readonly tree = new HttpCertificationTree();
  private readonly exact = new Map<string, Route>();
  private readonly fallback: Route;

  constructor(files: readonly SiteFile[], config: PageConfig) {
    const index = files.find((f) => f.path === '/index.html');
    if (index === undefined) throw new Error('the site has no /index.html');
    const bodyHashes = new Map<Uint8Array, Uint8Array>();
    const route = (path: CertifiedPath, file: SiteFile): Route => ({
      path,
      variants: this.variants(path, file, bodyHashes),
    });
    for (const file of files) this.exact.set(file.path, route({ exact: file.path }, file));
    this.exact.set('/', route({ exact: '/' }, index));
    const config_: SiteFile = {
      path: '/config.json',
      contentType: 'application/json',
      immutable: false,
      bodies: { identity: utf8Encode(configJson(config)) },
    };
    this.exact.set(config_.path, route({ exact: config_.path }, config_));
    this.fallback = route({ wildcard: '/' }, index);
    for (const r of [...this.exact.values(), this.fallback]) {
      for (const v of r.variants) this.tree.insert(v.entry);
    }
    // Witnesses hold the digests of the final tree: computed once everything is in it. An
    // exact route's witness does not depend on the request; the fallback's does.
    const prepare = (v: Variant, witness?: Uint8Array): PreparedReply =>
      new PreparedReply(
        { statusCode: 200, headers: v.headers, body: v.body },
        { exprPath: v.exprPath, ...(witness === undefined ? {} : { witness }) },
      );
    for (const [path, r] of this.exact) {
      for (const v of r.variants) {
        v.reply = prepare(v, encodeHashTree(this.tree.witness(v.entry, path)));
      }
    }
    for (const v of this.fallback.variants) v.reply = prepare(v);
  }

  private variants(
    path: CertifiedPath,
    file: SiteFile,
    bodyHashes: Map<Uint8Array, Uint8Array>,
  ): Variant[] {
    const encodings = (['br', 'gzip', 'identity'] as const).filter((e) => file.bodies[e]);
    const url = 'exact' in path ? path.exact : path.wildcard;
    return encodings.map((encoding) => {
      const body = file.bodies[encoding]!;
      const headers: HeaderField[] = [
        ['content-type', file.contentType],
        ['cache-control', file.immutable ? IMMUTABLE : REVALIDATE],
        ['x-content-type-options', 'nosniff'],
      ];
      if (encoding !== 'identity') headers.push(['content-encoding', encoding]);
      if (encodings.length > 1) headers.push(['vary', 'accept-encoding']);
      let bodyHash = file.bodyHashes?.[encoding] ?? bodyHashes.get(body);
      if (bodyHash === undefined) bodyHashes.set(body, (bodyHash = sha256(body)));
      const certified = certifyResponse({
        path,
        expression: EXPRESSION,
        request: { method: 'GET', url, headers: [], body: NO_BODY },
        response: { statusCode: 200, headers, body },
        bodyHash,
      });
      return {
        encoding,
        headers: [...certified.response.headers],
        body,
        entry: certified.entry,
        exprPath: encodedExprPath(path),
      };
    });
  }

  /** The digest to pass to `certified_data_set`. */
  rootHash(): Uint8Array {
    return this.tree.rootHash();
  }

  /**
   * Answers a gateway's request with the Candid reply of `http_request`; `certificate` is
   * `data_certificate()` (absent in updates).
   */
  serve(
    request: { method: string; url: string; headers: readonly HeaderField[] },
    certificate: Uint8Array | undefined,
  ): Uint8Array {
    if (request.method !== 'GET') {
      // Not certified, on purpose: a `no_certification` route would also let a node answer
      // GETs of the same paths with anything it likes. A gateway refuses this answer; only
      // GET is served anyway.
      return plainText(405, 'only GET is served here\n', [['allow', 'GET']]);
    }
    const path = requestPathOf(request.url);
    if (path === null) {
      // Percent-escapes that are not UTF-8: no certified route can match such a path.
      return plainText(400, 'the path is not UTF-8\n');
    }
    const exact = this.exact.get(path);
    const route = exact ?? this.fallback;
    const encoding = chooseEncoding(
      request.headers,
      route.variants.map((v) => v.encoding),
    );
    const variant = route.variants.find((v) => v.encoding === encoding) ?? route.variants.at(-1)!;
    const witness =
      exact === undefined && certificate !== undefined
        ? encodeHashTree(this.tree.witness(variant.entry, request.url))
        : undefined;
    return variant.reply!.encode(certificate, witness);
  }
}

function plainText(statusCode: number, text: string, extra: HeaderField[] = []): Uint8Array {
  return encodeHttpResponse({
    statusCode,
    headers: [['content-type', 'text/plain; charset=utf-8'], ...extra],
    body: utf8Encode(text),
  });
}
