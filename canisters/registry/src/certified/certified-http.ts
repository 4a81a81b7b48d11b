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
 * `?list=3` with the everyone answer) and every response header. Every other request — query-
 * dependent pages, unknown ids, other methods — is answered live under one wildcard route at `/`
 * whose expression is `no_certification`: the standard's way to say "this answer is not
 * certified". Its witness proves that no exact route exists for the path, so a node cannot use
 * it in place of a certified answer.
 *
 * To certify another route (a feed, an event list): add a `RouteRenderer` to the list the
 * canister builds (`certified/http-routes.ts`); its `changed` decides when it is rendered again.
 *
 * Log store layout (beside `certified-state.ts`'s records):
 *   'H'            state: queue head/tail of pending renders
 *   'W' seq(u64)   a pending render: `{ r: renderer index, p: path }`
 *   'R' path       the certified answer of an exact path (see `encodeAnswer`)
 */
import { sha256, utf8Decode, utf8Encode } from '@repro-registry/attestation';
import {
  CERTIFICATE_EXPRESSION_HEADER,
  celExpressionText,
  certifyResponse,
  requestHash,
  responseHash,
  encodedExprPath,
  encodeHashTree,
  httpEntryPath,
  httpWitnessPaths,
  pathRequestOf,
  PreparedReply,
  requestPathOf,
  type CertificationEntry,
  type CertificationExpression,
  type HeaderField,
  type HttpResponseParts,
  type NodeStore,
  type StoredLabeledTree,
} from '@repro-registry/certification';
import { u64Label } from '@repro-registry/transparency-log';

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
  /** The answer for `path` (a GET without query), or null when it has none (any more). */
  render(path: string): HttpResponseParts | null;
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

const STATE_KEY = Uint8Array.of(0x48);
const queueKey = (seq: number) => {
  const key = new Uint8Array(9);
  key[0] = 0x57;
  key.set(u64Label(seq), 1);
  return key;
};
const answerKey = (path: string) => {
  const bytes = utf8Encode(path);
  const key = new Uint8Array(bytes.length + 1);
  key[0] = 0x52;
  key.set(bytes, 1);
  return key;
};

interface StoredAnswer {
  response: HttpResponseParts;
  entry: CertificationEntry;
  queryParameters: readonly string[];
  exprPath: string;
}

/**
 * `u32 meta length || meta JSON || expression, request and response hashes (3 × 32) || body`;
 * meta: status, headers, parameters, the header's `expr_path` (what a query would otherwise
 * compute per request).
 */
function encodeAnswer(answer: StoredAnswer): Uint8Array {
  const { entry, response } = answer;
  const meta = utf8Encode(
    JSON.stringify({
      s: response.statusCode,
      h: response.headers,
      q: answer.queryParameters,
      x: answer.exprPath,
    }),
  );
  const out = new Uint8Array(4 + meta.length + 96 + response.body.length);
  new DataView(out.buffer).setUint32(0, meta.length);
  let at = 4;
  for (const part of [
    meta,
    entry.exprHash,
    entry.requestHash!,
    entry.responseHash!,
    response.body,
  ]) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function decodeAnswer(path: string, bytes: Uint8Array): StoredAnswer {
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0);
  const meta = JSON.parse(utf8Decode(bytes.subarray(4, 4 + length))) as {
    s: number;
    h: HeaderField[];
    q: string[];
    x: string;
  };
  const hash = (i: number) => bytes.subarray(4 + length + 32 * i, 4 + length + 32 * (i + 1));
  return {
    response: { statusCode: meta.s, headers: meta.h, body: bytes.subarray(4 + length + 96) },
    queryParameters: meta.q,
    exprPath: meta.x,
    entry: {
      path: { exact: path },
      exprHash: hash(0),
      requestHash: hash(1),
      responseHash: hash(2),
    },
  };
}

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
    const key = answerKey(path);
    const old = this.store.get(key);
    const oldEntry = old === undefined ? undefined : decodeAnswer(path, old).entry;
    const response = renderer.render(path);
    if (response === null) {
      if (oldEntry !== undefined) this.tree.delete(httpEntryPath(oldEntry));
      this.store.remove(key);
      return;
    }
    // As `certifyResponse`, with what is the same for every path of the renderer computed once.
    const c = this.certification(r);
    const headers: HeaderField[] = [...response.headers, [CERTIFICATE_EXPRESSION_HEADER, c.header]];
    const certified = {
      response: { ...response, headers },
      entry: {
        path: { exact: path },
        exprHash: c.exprHash,
        requestHash: c.requestHash,
        responseHash: responseHash(
          { ...response, headers },
          (c.expression as CertificationExpression & { kind: 'full' }).response,
        ),
      },
    };
    const entryPath = httpEntryPath(certified.entry);
    if (oldEntry !== undefined) {
      const oldPath = httpEntryPath(oldEntry);
      if (sameLabels(oldPath, entryPath)) return;
      this.tree.delete(oldPath);
    }
    this.tree.set(entryPath, EMPTY);
    this.store.insert(
      key,
      encodeAnswer({
        response: certified.response,
        entry: certified.entry,
        queryParameters: renderer.queryParameters,
        exprPath: encodedExprPath(certified.entry.path),
      }),
    );
  }

  /** The certified answer of an exact path (from the last certification), or undefined. */
  answer(path: string): HttpResponseParts | undefined {
    const bytes = this.store.get(answerKey(path));
    return bytes === undefined ? undefined : decodeAnswer(path, bytes).response;
  }

  /**
   * The Candid reply of `http_request`: the certified answer when the request is a GET of a
   * certified path without answer-selecting parameters, otherwise `live()` under the
   * `no_certification` fallback. `certificate` is `data_certificate()` (absent in updates).
   */
  serve(args: {
    request: { method: string; url: string };
    certificate: Uint8Array | undefined;
    live: () => HttpResponseParts;
  }): Uint8Array {
    const { request, certificate } = args;
    const path = request.method === 'GET' ? requestPathOf(request.url) : null;
    const stored = path === null ? undefined : this.store.get(answerKey(path));
    if (path !== null && stored !== undefined) {
      const answer = decodeAnswer(path, stored);
      const names = parameterNames(request.url);
      const selecting = [...VALIDATED_PARAMETERS, ...answer.queryParameters];
      if (!names.some((n) => selecting.includes(n))) {
        const reply = new PreparedReply(answer.response, { exprPath: answer.exprPath });
        const witness =
          certificate === undefined
            ? undefined
            : encodeHashTree(this.tree.witness(pathRequestOf([httpEntryPath(answer.entry)])));
        return reply.encode(certificate, witness);
      }
    }
    const response = args.live();
    const reply = new PreparedReply(
      {
        ...response,
        headers: [...response.headers, ['IC-CertificateExpression', FALLBACK_EXPRESSION_HEADER]],
      },
      { exprPath: FALLBACK_EXPR_PATH },
    );
    let witness: Uint8Array | undefined;
    if (certificate !== undefined) {
      let paths;
      try {
        paths = httpWitnessPaths(FALLBACK, request.url);
      } catch {
        // A path that is not UTF-8: no route covers it; the answer goes out without a witness.
        return reply.encode(undefined);
      }
      witness = encodeHashTree(this.tree.witness(pathRequestOf(paths)));
    }
    return reply.encode(certificate, witness);
  }
}

function sameLabels(a: readonly (string | Uint8Array)[], b: readonly (string | Uint8Array)[]) {
  if (a.length !== b.length) return false;
  return a.every((label, i) => {
    const other = b[i];
    if (typeof label === 'string' || typeof other === 'string') return label === other;
    return label.length === other.length && label.every((byte, j) => byte === other[j]);
  });
}
