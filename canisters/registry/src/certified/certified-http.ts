/**
 * Certified HTTP (HTTP certification v2) for the registry's JSON API and badges, in the same
 * labelled tree as the log and the certified records (one `certified_data`).
 *
 * A query cannot certify anything, so every certified answer is rendered in advance: in the
 * certification message, each registered route renderer names the paths whose answers changed
 * (`changed`), and only those are rendered again, hashed, and their `http_expr` entries swapped.
 * A query then serves the stored answer with the IC certificate and a witness of its entry.
 * After install and upgrade (new code may render differently) every path a renderer serves is
 * rendered again, queued and worked off within the certification messages' budget.
 *
 * Certified routes are exact paths with a full certification of a GET without body: method,
 * the renderer's answer-selecting query parameters (certified as absent, so a node cannot answer
 * `?list=3` with the everyone answer) and every response header.
 *
 * Route families (`kind: 'family'`, a wildcard entry `<*>` per scope such as `/badge/`) certify
 * ONE fixed answer ("not known") for every path below the scope that has no entry of its own:
 * a node cannot answer a proposal the registry does not know with a forged green summary. Paths
 * below a family that must stay query-dependent (`/api/v1/proposals/<id>/attestations?cursor=`)
 * get an exact entry saying `no_certification` (`kind: 'live'`), which, being more specific than
 * the family's wildcard, lets the gateways accept their live answers.
 *
 * A path below a family that names something the registry knows but has not certified yet (a
 * proposal in the one message between becoming known and its certification) is the exception:
 * the family's wildcard is then its most specific expression, and the gateways refuse anything
 * but the family's "not known", which would be false. Its query answers `upgrade = opt true`,
 * and `http_request_update` answers it live; its answer went through consensus, so the gateways
 * serve it unchecked, as the IC interface specification's HTTP gateway protocol says.
 *
 * Every other request — pages outside the families, other methods, a certified path asked with
 * an answer-selecting parameter — is answered live under one wildcard route at `/` whose
 * expression is `no_certification`: the standard's way to say "this answer is not certified".
 * Its witness proves that no exact route and no more specific wildcard exists for the path, so a
 * node cannot use it in place of a certified answer (the gateways refuse such a reply).
 *
 * To certify another route (a feed, an event list): add a `RouteRenderer` to the list the
 * canister builds (`certified/http-routes.ts`); its `changed` decides when it is rendered again.
 *
 * Log store layout (beside `certified-state.ts`'s records):
 *   'H'            state: queue head/tail of pending renders
 *   'W' seq(u64)   a pending render: `{ r: renderer index, p: path }`
 *   'R' path       the answer of an exact path (`http-answers.ts`)
 *   'F' scope      the answer of a route family (`http-answers.ts`)
 */
import { sha256, utf8Decode, utf8Encode } from '@repro-registry/attestation';
import {
  CERTIFICATE_EXPRESSION_HEADER,
  requestSegmentsOf,
  treePathOf,
  wildcardCovers,
  type CertifiedPath,
  type Label,
  celExpressionText,
  certifyResponse,
  requestHash,
  responseHash,
  encodedExprPath,
  encodeHashTree,
  encodeHttpResponse,
  httpEntryPath,
  httpWitnessPaths,
  pathRequestOf,
  PreparedReply,
  requestPathOf,
  type CertificationExpression,
  type HeaderField,
  type HttpResponseParts,
  type NodeStore,
  type StoredLabeledTree,
} from '@repro-registry/certification';
import { u64Label } from '@repro-registry/transparency-log';

import {
  answerKey,
  decodeAnswer,
  encodeAnswer,
  servedAnswer,
  type ServedAnswer,
  type StoredAnswer,
} from './http-answers';

/** What a certification message changed: renderers decide from it what to render again. */
export interface CertifiedChanges {
  /** Proposals whose summary was certified again. */
  proposals: ReadonlySet<bigint>;
  /** Attestations whose record was certified again. */
  attestations: ReadonlySet<bigint>;
}

export interface RouteRenderer {
  /**
   * Query parameters that select another answer on these paths. They are certified (as absent):
   * a request carrying one is answered live, uncertified, and the gateways refuse it.
   */
  readonly queryParameters: readonly string[];
  /** Paths whose answers may have changed with `changes` (cheap: nothing is rendered here). */
  changed(changes: CertifiedChanges): Iterable<string>;
  /** Every path these routes answer now: rendered again after install and upgrade. */
  all(): Iterable<string>;
  /**
   * The answer for `path` (a GET without query), or null when it has none (any more). For a
   * family, `path` is the scope; for `live` paths only null or not matters (answered live).
   */
  render(path: string): HttpResponseParts | null;
  /**
   * `exact` (default): each path's answer is certified. `family`: `all()` names wildcard scopes
   * (`/badge/`), each with one certified answer for every path below it without an entry of its
   * own. `live`: exact paths whose entry says `no_certification` (query-dependent pages below a
   * family), answered live with any method.
   */
  readonly kind?: 'exact' | 'family' | 'live';
  /**
   * Families only: what the registry knows of what `path` names now. `false`: nothing, so the
   * family's certified "not known" answers it. `'answer'`: it is one of a known thing's own
   * answers (a known proposal's summary, badge, attestations, feed or events); until that
   * answer's entry is rendered (certification lags an update by one message, feeds by two) the
   * family's wildcard is the most specific certified expression for it, so a query asks the
   * gateway to upgrade to `http_request_update`, which answers live through consensus.
   * `'known'`: it names a known thing but no answer of it (a mistyped sub-path): answered live
   * under the root's expression. Neither of the last two ever gets "not known".
   */
  knows?(path: string): false | 'answer' | 'known';
  /**
   * Render changed paths in the next certification message, not in the one that saw the change:
   * for answers too costly to add to it (the event feeds: ~10 k instructions per byte to render
   * and hash). They lag the rest of the certified state by one message.
   */
  readonly deferred?: boolean;
}

/** Parameters every route of the API reads (a malformed one is an error): never certified. */
const VALIDATED_PARAMETERS = ['cursor', 'limit', 'list'];

const fullExpression = (queryParameters: readonly string[]): CertificationExpression => ({
  kind: 'full',
  request: { headers: [], queryParameters },
  response: { responseHeaderExclusions: [] },
});

const FALLBACK = certifyResponse({
  path: { wildcard: '/' },
  expression: { kind: 'skip' },
  response: { statusCode: 200, headers: [], body: new Uint8Array() },
}).entry;
const FALLBACK_EXPR_PATH = encodedExprPath(FALLBACK.path);
const [, FALLBACK_EXPRESSION_HEADER] = certifyResponse({
  path: FALLBACK.path,
  expression: { kind: 'skip' },
  response: { statusCode: 200, headers: [], body: new Uint8Array() },
}).response.headers[0];
const EMPTY = new Uint8Array(0);
/** A query's answer asking the gateway to call `http_request_update` instead. */
const UPGRADE_REPLY = encodeHttpResponse({
  statusCode: 200,
  headers: [],
  body: EMPTY,
  upgrade: true,
});

const STATE_KEY = Uint8Array.of(0x48);
const queueKey = (seq: number) => {
  const key = new Uint8Array(9);
  key[0] = 0x57;
  key.set(u64Label(seq), 1);
  return key;
};

/** The entry of an exact path answered live: `no_certification`, as the root's. */
const LIVE_EXPR_HASH = FALLBACK.exprHash;
const LIVE_PLACEHOLDER: HttpResponseParts = { statusCode: 200, headers: [], body: EMPTY };

/** Names of the query's parameters (undecoded: the API's names are plain ASCII). */
function parameterNames(url: string): string[] {
  const at = url.indexOf('?');
  if (at < 0) return [];
  return url
    .slice(at + 1)
    .split('#')[0]
    .split('&')
    .filter((p) => p !== '')
    .map((p) => p.split('=')[0]);
}

export class CertifiedHttp {
  constructor(
    private readonly store: NodeStore,
    private readonly tree: StoredLabeledTree,
    private readonly renderers: readonly RouteRenderer[],
  ) {}

  private queue(): { head: number; tail: number } {
    const bytes = this.store.get(STATE_KEY);
    return bytes === undefined
      ? { head: 0, tail: 0 }
      : (JSON.parse(utf8Decode(bytes)) as { head: number; tail: number });
  }

  private saveQueue(q: { head: number; tail: number }): void {
    this.store.insert(STATE_KEY, utf8Encode(JSON.stringify(q)));
  }

  /** Whether renders are pending. */
  hasWork(): boolean {
    const q = this.queue();
    return q.head < q.tail;
  }

  /** Install and upgrade: every path is rendered again (in the following certifications). */
  renderAllLater(): void {
    const q = this.queue();
    this.renderers.forEach((renderer, r) => {
      for (const p of renderer.all()) {
        this.store.insert(queueKey(q.tail++), utf8Encode(JSON.stringify({ r, p })));
      }
    });
    this.saveQueue(q);
  }

  /**
   * In the certification message, before the tree is committed: renders what `changes` touched
   * (a `deferred` renderer's paths are queued for the next certification message instead), then
   * renders queued before this message while `more()` allows.
   */
  update(changes: CertifiedChanges, more: () => boolean): void {
    this.tree.set(httpEntryPath(FALLBACK), EMPTY);
    const done = new Set<string>();
    const q = this.queue();
    const due = q.tail;
    const queued = new Set<string>();
    this.renderers.forEach((renderer, r) => {
      for (const path of renderer.changed(changes)) {
        if (renderer.deferred === true) {
          if (queued.has(path)) continue;
          queued.add(path);
          this.store.insert(queueKey(q.tail++), utf8Encode(JSON.stringify({ r, p: path })));
        } else if (!done.has(path)) {
          done.add(path);
          this.render(r, path);
        }
      }
    });
    if (q.head === q.tail) return;
    while (q.head < due && more()) {
      const key = queueKey(q.head++);
      const { r, p } = JSON.parse(utf8Decode(this.store.get(key)!)) as { r: number; p: string };
      this.store.remove(key);
      if (!done.has(p) && this.renderers[r] !== undefined) {
        done.add(p);
        this.render(r, p);
      }
    }
    this.saveQueue(q);
  }

  /** Per renderer: its expression's header and hash, and the request hash of a plain GET. */
  private readonly certifications: {
    expression: CertificationExpression;
    header: string;
    exprHash: Uint8Array;
    requestHash: Uint8Array;
  }[] = [];

  private certification(r: number) {
    let c = this.certifications[r];
    if (c === undefined) {
      const expression = fullExpression(this.renderers[r].queryParameters);
      const header = celExpressionText(expression);
      c = {
        expression,
        header,
        exprHash: sha256(utf8Encode(header)),
        requestHash: requestHash(
          { method: 'GET', url: '/', headers: [], body: EMPTY },
          (expression as CertificationExpression & { kind: 'full' }).request,
        ),
      };
      this.certifications[r] = c;
    }
    return c;
  }

  private render(r: number, path: string): void {
    const renderer = this.renderers[r];
    const kind = renderer.kind ?? 'exact';
    const where: CertifiedPath = kind === 'family' ? { wildcard: path } : { exact: path };
    const key = answerKey(where);
    const old = this.store.get(key);
    const oldEntry = old === undefined ? undefined : decodeAnswer(where, old).entry;
    const response = renderer.render(path);
    if (response === null) {
      if (oldEntry !== undefined) this.tree.delete(httpEntryPath(oldEntry));
      this.store.remove(key);
      return;
    }
    const answer = kind === 'live' ? liveAnswer(path) : this.certifiedAnswer(r, where, response);
    const entryPath = httpEntryPath(answer.entry);
    if (oldEntry !== undefined) {
      const oldPath = httpEntryPath(oldEntry);
      if (sameLabels(oldPath, entryPath)) return;
      this.tree.delete(oldPath);
    }
    this.tree.set(entryPath, EMPTY);
    this.store.insert(key, encodeAnswer(answer));
  }

  /** As `certifyResponse`, with what is the same for every path of the renderer computed once. */
  private certifiedAnswer(
    r: number,
    where: CertifiedPath,
    response: HttpResponseParts,
  ): StoredAnswer {
    const c = this.certification(r);
    const headers: HeaderField[] = [...response.headers, [CERTIFICATE_EXPRESSION_HEADER, c.header]];
    const exprPath = encodedExprPath(where);
    return {
      response: { ...response, headers },
      // Kept with the answer: queries then encode only the certificate and the witness.
      ...layoutOf(new PreparedReply({ ...response, headers }, { exprPath })),
      entry: {
        path: where,
        exprHash: c.exprHash,
        requestHash: c.requestHash,
        responseHash: responseHash(
          { ...response, headers },
          (c.expression as CertificationExpression & { kind: 'full' }).response,
        ),
      },
      queryParameters: this.renderers[r].queryParameters,
      exprPath,
      uncertified: false,
    };
  }

  /** The certified answer of an exact path (from the last certification), or undefined. */
  answer(path: string): HttpResponseParts | undefined {
    const bytes = this.store.get(answerKey({ exact: path }));
    if (bytes === undefined) return undefined;
    const answer = decodeAnswer({ exact: path }, bytes);
    return answer.uncertified ? undefined : answer.response;
  }

  /** Family scopes (segments), most specific first: fixed by the code, read once. */
  private familyScopes:
    { scope: string; renderer: RouteRenderer; segments: string[] }[] | undefined;

  /** The most specific route family covering `path`, if any. */
  private familyOf(path: string): { scope: string; renderer: RouteRenderer } | undefined {
    this.familyScopes ??= this.renderers
      .filter((r) => r.kind === 'family')
      .flatMap((renderer) =>
        [...renderer.all()].map((scope) => ({
          scope,
          renderer,
          segments: treePathOf({ wildcard: scope }).slice(0, -1),
        })),
      )
      .sort((a, b) => b.segments.length - a.segments.length);
    const request = requestSegmentsOf(path);
    return this.familyScopes.find((f) => wildcardCovers(f.segments, request));
  }

  /**
   * Whether `http_request_update` answers this request: a GET of a path that names something
   * the registry knows, below a route family. Its query asks for the upgrade only until the
   * path's own entry is certified; accepting the update for every such path, certified or not,
   * keeps a gateway's upgrade that crosses a certification from being refused.
   */
  answersUpdate(request: { method: string; url: string }): boolean {
    const path = requestPathOf(request.url);
    if (path === null || request.method !== 'GET') return false;
    return this.familyOf(path)?.renderer.knows?.(path) === 'answer';
  }

  /**
   * The Candid reply of `http_request`. A GET of a certified path without answer-selecting
   * parameters: its certified answer. A path whose entry says `no_certification` (paging below
   * a family): `live()` under that entry, any method. A GET of a path in a route family without
   * an entry of its own: the family's certified answer, unless the path names something known
   * (`knows`): for one of its answers, a query asks for the upgrade and an update answers
   * `live()`. Anything else: `live()` under the root's `no_certification` wildcard.
   * `certificate` is `data_certificate()` (absent in updates).
   */
  serve(args: {
    request: { method: string; url: string };
    certificate: Uint8Array | undefined;
    live: () => HttpResponseParts;
  }): Uint8Array {
    const { request, certificate } = args;
    const path = requestPathOf(request.url);
    const get = request.method === 'GET';
    const stored = path === null ? undefined : this.store.get(answerKey({ exact: path }));
    if (path !== null && stored !== undefined) {
      const answer = servedAnswer({ exact: path }, stored);
      if (answer.uncertified) {
        return this.serveLive(args, {
          exprPath: answer.exprPath,
          paths: () => [httpEntryPath(answer.entry)],
        });
      }
      const names = parameterNames(request.url);
      const selecting = [...VALIDATED_PARAMETERS, ...answer.queryParameters];
      if (get && !names.some((n) => selecting.includes(n))) {
        return this.serveCertified({ answer, stored }, certificate, () => [
          httpEntryPath(answer.entry),
        ]);
      }
    } else if (path !== null && get) {
      const family = this.familyOf(path);
      const known = family?.renderer.knows?.(path) ?? false;
      if (known === 'answer') {
        // Known, not certified yet: a query asks for the update (see the file's comment); the
        // update itself (no certificate) answers live below.
        if (certificate !== undefined) return UPGRADE_REPLY;
      } else if (family !== undefined && known === false) {
        const where = { wildcard: family.scope };
        const bytes = this.store.get(answerKey(where));
        if (bytes !== undefined) {
          const answer = servedAnswer(where, bytes);
          return this.serveCertified({ answer, stored: bytes }, certificate, () =>
            httpWitnessPaths(answer.entry, request.url),
          );
        }
      }
    }
    return this.serveLive(args, {
      exprPath: FALLBACK_EXPR_PATH,
      // A path that is not UTF-8 has no route: the answer goes out without a witness.
      paths: () => (path === null ? null : httpWitnessPaths(FALLBACK, request.url)),
    });
  }

  private serveCertified(
    served: { answer: ServedAnswer; stored: Uint8Array },
    certificate: Uint8Array | undefined,
    paths: () => Label[][],
  ): Uint8Array {
    const { answer, stored } = served;
    if (certificate === undefined || answer.layout === undefined) {
      // An update call (no certificate), or a record rendered before the layout was kept.
      const { response } = decodeAnswer(answer.entry.path, stored);
      const reply = new PreparedReply(response, { exprPath: answer.exprPath });
      if (certificate === undefined) return reply.encode(undefined);
      return reply.encode(certificate, encodeHashTree(this.tree.witness(pathRequestOf(paths()))));
    }
    const reply = new PreparedReply({ layout: answer.layout }, { exprPath: answer.exprPath });
    return reply.encode(certificate, encodeHashTree(this.tree.witness(pathRequestOf(paths()))));
  }

  private serveLive(
    args: { certificate: Uint8Array | undefined; live: () => HttpResponseParts },
    under: { exprPath: string; paths: () => Label[][] | null },
  ): Uint8Array {
    const response = args.live();
    const reply = new PreparedReply(
      {
        ...response,
        headers: [...response.headers, [CERTIFICATE_EXPRESSION_HEADER, FALLBACK_EXPRESSION_HEADER]],
      },
      { exprPath: under.exprPath },
    );
    if (args.certificate === undefined) return reply.encode(undefined);
    const paths = under.paths();
    if (paths === null) return reply.encode(undefined);
    return reply.encode(args.certificate, encodeHashTree(this.tree.witness(pathRequestOf(paths))));
  }
}

const layoutOf = (reply: PreparedReply) => ({
  layout: reply.layoutBytes(),
  layoutBodyAt: reply.layoutBodyAt(),
});

/** The record of an exact path answered live under its own `no_certification` entry. */
function liveAnswer(path: string): StoredAnswer {
  const where = { exact: path };
  return {
    response: LIVE_PLACEHOLDER,
    entry: { path: where, exprHash: LIVE_EXPR_HASH },
    queryParameters: [],
    exprPath: encodedExprPath(where),
    uncertified: true,
  };
}

function sameLabels(a: readonly (string | Uint8Array)[], b: readonly (string | Uint8Array)[]) {
  if (a.length !== b.length) return false;
  return a.every((label, i) => {
    const other = b[i];
    if (typeof label === 'string' || typeof other === 'string') return label === other;
    return label.length === other.length && label.every((byte, j) => byte === other[j]);
  });
}
