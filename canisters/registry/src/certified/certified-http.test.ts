/**
 * The registry's certified HTTP routes on the real core registry (rendered by `handleHttp`),
 * checked with DFINITY's response verification (the gateways' check) under a test root key:
 * route families certify one "not known" answer for ids the registry does not know, live pages
 * below a family still pass, and a node's forged answer for an unknown id is refused.
 */
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import {
  MemoryNodeStore,
  StoredLabeledTree,
  certificateHeader,
  encodeHashTree,
  encodedExprPath,
  httpWitnessPaths,
  pathRequestOf,
  type HeaderField,
} from '@repro-registry/certification';
import { sha256, utf8Encode } from '@repro-registry/attestation';
import { beforeAll, describe, expect, it } from 'vitest';

import {
  RootKey,
  certificateFor,
  verifyResponse,
} from '../../../../packages/certification/test/certificate';
import { predicate, testBuilder } from '../../test/builders';
import { accepted, confirm, newRegistry, submit } from '../../test/core-support';
import type { Registry } from '../core/registry';
import { u64FromKey } from '../core/tables';
import { handleHttp } from '../http';
import { CertifiedHttp } from './certified-http';
import { registryRoutes } from './http-routes';

const CANISTER = Principal.fromText('rrkah-fqaaa-aaaaa-aaaaq-cai');
const KNOWN = 130000n;
const NO_CERTIFICATION = 'default_certification(ValidationArgs{no_certification:Empty{}})';

const HttpResponse = IDL.Record({
  status_code: IDL.Nat16,
  headers: IDL.Vec(IDL.Tuple(IDL.Text, IDL.Text)),
  body: IDL.Vec(IDL.Nat8),
  upgrade: IDL.Opt(IDL.Bool),
});
interface Reply {
  statusCode: number;
  headers: HeaderField[];
  body: Uint8Array;
  /** `upgrade = opt true`: the gateway is to call `http_request_update` instead. */
  upgrade?: true;
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);

interface Setup {
  registry: Registry;
  http: CertifiedHttp;
  tree: StoredLabeledTree;
  rootKey: RootKey;
  certificate: Uint8Array;
}

function live(registry: Registry, method: string, url: string) {
  const r = handleHttp(
    registry,
    { method, url, headers: [], body: new Uint8Array(), certificate_version: [] },
    0n,
    CANISTER.toText(),
  );
  return { statusCode: r.status_code, headers: r.headers, body: r.body };
}

function setup(): Setup {
  const registry = newRegistry();
  confirm(registry, KNOWN);
  accepted(submit(registry, testBuilder('a'), predicate({ proposalId: KNOWN.toString() })));
  const store = new MemoryNodeStore();
  const tree = new StoredLabeledTree(new MemoryNodeStore());
  const proposalIds = () =>
    registry.tables.proposals.keys(0, registry.tables.proposals.len()).map((k) => u64FromKey(k));
  const http = new CertifiedHttp(
    store,
    tree,
    registryRoutes({
      registry,
      proposalIds,
      cycles: () => 0n,
      registryId: () => CANISTER.toText(),
    }),
  );
  http.renderAllLater();
  http.update({ proposals: new Set(), attestations: new Set() }, () => true);
  const rootKey = RootKey.generate();
  const certificate = certificateFor({
    rootKey,
    canisterId: CANISTER,
    certifiedData: tree.commit(),
    timeNs: BigInt(Date.now()) * 1_000_000n,
  });
  return { registry, http, tree, rootKey, certificate };
}

/** `http_request` (a query, with the certificate), or `http_request_update` (`update`). */
function serve(s: Setup, url: string, method = 'GET', as: 'query' | 'update' = 'query'): Reply {
  const bytes = s.http.serve({
    request: { method, url },
    certificate: as === 'query' ? s.certificate : undefined,
    live: () => live(s.registry, method, url),
  });
  const [r] = IDL.decode([HttpResponse], bytes) as unknown as [
    {
      status_code: number;
      headers: [string, string][];
      body: Uint8Array;
      upgrade: [] | [boolean];
    },
  ];
  const reply = { statusCode: r.status_code, headers: r.headers, body: Uint8Array.from(r.body) };
  return r.upgrade[0] === true ? { ...reply, upgrade: true } : reply;
}

function verify(s: Setup, url: string, reply: Reply, method = 'GET') {
  return verifyResponse({
    request: { method, url, headers: [] },
    response: reply,
    canisterId: CANISTER,
    rootKey: s.rootKey,
    nowNs: BigInt(Date.now()) * 1_000_000n,
  });
}

const expression = (r: Reply) => r.headers.find(([k]) => k === 'IC-CertificateExpression')?.[1];

describe('certified HTTP route families', () => {
  let s: Setup;
  beforeAll(() => {
    s = setup();
  });

  it('certifies one "not known" answer per family for every unknown id', () => {
    const unknownSummary = serve(s, '/api/v1/proposals/999999');
    expect(unknownSummary.statusCode).toBe(404);
    expect(JSON.parse(text(unknownSummary.body))).toEqual({
      error: {
        code: 'PROPOSAL_NOT_FOUND',
        message: 'the registry knows nothing about this proposal yet',
      },
    });
    for (const [url, status] of [
      ['/api/v1/proposals/999999', 404],
      ['/api/v1/proposals/999999?list=3', 404],
      ['/api/v1/proposals/abc', 404],
      ['/api/v1/proposals/999999/attestations?cursor=2', 404],
      ['/api/v1/proposals/999999/events', 404],
      ['/proposals/999999/feed.atom', 404],
      ['/badge/999999.svg', 200],
      ['/badge/999999.svg?list=1', 200],
    ] as const) {
      const reply = serve(s, url);
      expect(reply.statusCode, url).toBe(status);
      expect(expression(reply), url).toMatch(/certification:Certification/);
      expect(verify(s, url, reply)?.body, url).toEqual(reply.body);
      // The id is not in the answer: one certification covers them all.
      expect(text(reply.body), url).not.toContain('999999');
    }
    expect(text(serve(s, '/badge/999999.svg').body)).toContain('no reproduction yet');
  });

  it('keeps certified answers for known ids, and live pages below a family pass', () => {
    for (const url of [
      `/api/v1/proposals/${KNOWN}`,
      `/badge/${KNOWN}.svg`,
      `/proposals/${KNOWN}/feed.atom`,
      `/api/v1/proposals/${KNOWN}/events`,
    ]) {
      const reply = serve(s, url);
      expect(reply.statusCode, url).toBe(200);
      expect(verify(s, url, reply)?.body, url).toEqual(reply.body);
      expect(text(reply.body), url).toBe(text(live(s.registry, 'GET', url).body));
    }
    for (const [url, method] of [
      ['/api/v1/proposals', 'GET'],
      ['/api/v1/proposals?limit=1&list=1', 'GET'],
      ['/api/v1/proposals', 'OPTIONS'],
      [`/api/v1/proposals/${KNOWN}/attestations`, 'GET'],
      [`/api/v1/proposals/${KNOWN}/attestations?cursor=1&limit=1`, 'GET'],
      ['/api/v1/attestations/1', 'GET'],
      // No attestation family (see NOT_KNOWN_FAMILIES): an unknown one is a live 404.
      ['/api/v1/attestations/99', 'GET'],
      ['/api/v1/trust-lists', 'GET'],
      ['/nowhere', 'GET'],
    ] as const) {
      const reply = serve(s, url, method);
      expect(expression(reply), url).toBe(NO_CERTIFICATION);
      expect(text(reply.body), url).toBe(text(live(s.registry, method, url).body));
      // Accepted as uncertified (null), not refused.
      expect(verify(s, url, reply, method), url).toBeNull();
    }
  });

  it('refuses a forged answer for an unknown id, and another family answer', () => {
    const url = '/badge/999999.svg';
    const green = live(s.registry, 'GET', `/badge/${KNOWN}.svg`);
    // The strongest forgery a node can make: a true witness of the certified tree for the
    // root's no_certification wildcard, with a fabricated answer.
    const root = { path: { wildcard: '/' }, exprHash: sha256(utf8Encode(NO_CERTIFICATION)) };
    const witness = encodeHashTree(s.tree.witness(pathRequestOf(httpWitnessPaths(root, url))));
    const forged: Reply = {
      ...green,
      headers: [
        ...green.headers,
        ['IC-CertificateExpression', NO_CERTIFICATION],
        certificateHeader({
          certificate: s.certificate,
          tree: witness,
          exprPath: encodedExprPath(root.path),
        }),
      ],
    };
    expect(() => verify(s, url, forged)).toThrow(/MoreSpecificWildcard|more specific/i);
    // The family's certified answer with its body altered.
    const honest = serve(s, url);
    const body = utf8Encode(text(honest.body).replace('#6b7280', '#2e7d32'));
    expect(() => verify(s, url, { ...honest, body })).toThrow();
    // One family's answer for another family's path.
    const badge = serve(s, '/badge/999999.svg');
    expect(() => verify(s, '/api/v1/proposals/999999', badge)).toThrow();
    // A known proposal's paths cannot be answered with the "not known" answer.
    const notKnown = serve(s, '/api/v1/proposals/999999');
    expect(() => verify(s, `/api/v1/proposals/${KNOWN}`, notKnown)).toThrow();
  });

  it('asks the gateway to upgrade for a proposal known but not certified yet, never "not known"', () => {
    const t = setup();
    const pending = 987654321n;
    accepted(submit(t.registry, testBuilder('b'), predicate({ proposalId: pending.toString() })));
    const ownAnswers = [
      `/api/v1/proposals/${pending}`,
      `/badge/${pending}.svg`,
      `/api/v1/proposals/${pending}/attestations?limit=1`,
      `/api/v1/proposals/${pending}/events`,
      `/proposals/${pending}/feed.atom`,
    ];
    for (const url of ownAnswers) {
      // The query: no answer at all (the family's wildcard is the most specific expression, so
      // the gateways would refuse anything but its false "not known").
      const query = serve(t, url);
      expect(query.upgrade, url).toBe(true);
      expect(query.body, url).toHaveLength(0);
      expect(t.http.answersUpdate({ method: 'GET', url }), url).toBe(true);
      // The update answers live, as the raw domain would.
      const update = serve(t, url, 'GET', 'update');
      expect(update.upgrade, url).toBeUndefined();
      expect(text(update.body), url).toBe(text(live(t.registry, 'GET', url).body));
    }
    expect(text(serve(t, `/badge/${pending}.svg`, 'GET', 'update').body)).toContain(
      'unconfirmed proposal',
    );
    // Not upgraded: other methods, unknown ids, and a known id's path that is none of its pages
    // (answered live under the root's expression, as before: never "not known").
    for (const [url, method] of [
      [`/api/v1/proposals/${pending}`, 'POST'],
      ['/api/v1/proposals/999999', 'GET'],
      [`/api/v1/proposals/${pending}/nowhere`, 'GET'],
      ['/api/v1/proposals', 'GET'],
    ] as const) {
      expect(serve(t, url, method).upgrade, url).toBeUndefined();
      expect(t.http.answersUpdate({ method, url }), url).toBe(false);
    }
    const sub = serve(t, `/api/v1/proposals/${pending}/nowhere`);
    expect(expression(sub)).toBe(NO_CERTIFICATION);
    expect(text(sub.body)).not.toContain('knows nothing');

    // Certified in the next message: the query answers itself, with what the update answered.
    t.http.update({ proposals: new Set([pending]), attestations: new Set() }, () => true);
    t.certificate = certificateFor({
      rootKey: t.rootKey,
      canisterId: CANISTER,
      certifiedData: t.tree.commit(),
      timeNs: BigInt(Date.now()) * 1_000_000n,
    });
    const url = `/badge/${pending}.svg`;
    const certified = serve(t, url);
    expect(certified.upgrade).toBeUndefined();
    expect(verify(t, url, certified)?.body).toEqual(serve(t, url, 'GET', 'update').body);
    const attestations = `/api/v1/proposals/${pending}/attestations?limit=1`;
    expect(serve(t, attestations).upgrade).toBeUndefined();
    expect(verify(t, attestations, serve(t, attestations))).toBeNull();
    // The feeds are deferred: rendered in the message after, upgraded until then.
    expect(serve(t, `/proposals/${pending}/feed.atom`).upgrade).toBe(true);
    // An upgrade that crosses the certification is still answered.
    expect(t.http.answersUpdate({ method: 'GET', url })).toBe(true);
  });
});
