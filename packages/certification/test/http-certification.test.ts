/**
 * HTTP certification v2 checked by DFINITY's own verifier (`@dfinity/response-verification`, the
 * check the IC's HTTP gateways run): every response below is certified by our tree, carried with
 * a certificate signed by a BLS root key, and verified — or refused — by the verifier.
 */
import { Principal } from '@dfinity/principal';
import { utf8Encode } from '@repro-registry/attestation';
import { beforeAll, describe, expect, it } from 'vitest';

import {
  certificateHeader,
  certifyResponse,
  encodedExprPath,
  HttpCertificationTree,
  httpEntryPath,
  httpWitnessPaths,
  LabeledMap,
  Leaf,
  MemoryNodeStore,
  pathRequestOf,
  StoredLabeledTree,
  type CertificationEntry,
  type CertificationExpression,
  type CertifiedPath,
  type HashTree,
  type HeaderField,
  type HttpResponseParts,
} from '../src/index';
import { certificateFor, RootKey, verifyResponse } from './certificate';

const CANISTER = Principal.fromText('bkyz2-fmaaa-aaaaa-qaaaq-cai');
const NOW = BigInt(Date.now()) * 1_000_000n;
const ASSET: CertificationExpression = {
  kind: 'full',
  request: { headers: [], queryParameters: [] },
  response: { responseHeaderExclusions: [] },
};
const GET = { method: 'GET', headers: [] as HeaderField[], body: new Uint8Array(0) };

interface Certified {
  response: HttpResponseParts;
  entry: CertificationEntry;
}

function certified(path: CertifiedPath, body: string, headers: HeaderField[] = []): Certified {
  const url = 'exact' in path ? path.exact : path.wildcard;
  return certifyResponse({
    path,
    expression: ASSET,
    request: { ...GET, url },
    response: {
      statusCode: 200,
      headers: [['content-type', 'text/html'], ['cache-control', 'no-cache'], ...headers],
      body: utf8Encode(body),
    },
  });
}

/** The two trees that hold `http_expr`: in the heap, and in a store (stable memory). */
interface CertifyingTree {
  insert(entry: CertificationEntry): void;
  rootHash(): Uint8Array;
  witness(entry: CertificationEntry, url: string): HashTree;
  delete(entry: CertificationEntry): void;
}

function inMemory(): CertifyingTree {
  // Other certified data beside http_expr, as a canister with its own tree would have.
  return new HttpCertificationTree(new LabeledMap([['zzz_other', new Leaf(Uint8Array.of(7))]]));
}

function stored(): CertifyingTree {
  const tree = new StoredLabeledTree(new MemoryNodeStore());
  tree.set(['zzz_other'], Uint8Array.of(7));
  return {
    insert: (entry) => tree.set(httpEntryPath(entry), new Uint8Array(0)),
    delete: (entry) => void tree.delete(httpEntryPath(entry)),
    rootHash: () => tree.commit(),
    witness: (entry, url) => tree.witness(pathRequestOf(httpWitnessPaths(entry, url))),
  };
}

describe.each([
  ['in memory', inMemory],
  ['stored', stored],
])('HTTP certification v2 (%s tree), verified by @dfinity/response-verification', (_, make) => {
  const rootKey = RootKey.generate();
  const tree = make();
  const index = certified({ exact: '/index.html' }, '<html>index</html>');
  const indexGzip = certified({ exact: '/index.html' }, 'pretend gzip', [
    ['content-encoding', 'gzip'],
  ]);
  const slash = certified({ exact: '/' }, '<html>index</html>');
  const fallback = certified({ wildcard: '/' }, '<html>index</html>');
  const spaced = certified({ exact: '/a b.txt' }, 'spaced');
  const skipped = certifyResponse({
    path: { wildcard: '/api' },
    expression: { kind: 'skip' },
    response: { statusCode: 405, headers: [['allow', 'GET']], body: utf8Encode('no') },
  });
  const search = certifyResponse({
    path: { exact: '/search' },
    expression: {
      kind: 'full',
      request: { headers: ['Accept'], queryParameters: ['q'] },
      response: { certifiedResponseHeaders: ['content-type'] },
    },
    request: { ...GET, url: '/search?q=1&x=2', headers: [['accept', 'text/plain']] },
    response: { statusCode: 200, headers: [['content-type', 'text/plain']], body: utf8Encode('1') },
  });
  const all = [index, indexGzip, slash, fallback, spaced, skipped, search];
  let certificate: Uint8Array;

  beforeAll(() => {
    for (const c of all) tree.insert(c.entry);
    certificate = certificateFor({
      rootKey,
      canisterId: CANISTER,
      certifiedData: tree.rootHash(),
      timeNs: NOW,
    });
  });

  function serve(c: Certified, url: string): HttpResponseParts {
    const header = certificateHeader({
      certificate,
      tree: tree.witness(c.entry, url),
      exprPath: encodedExprPath(c.entry.path),
    });
    return { ...c.response, headers: [...c.response.headers, header] };
  }

  function verify(
    url: string,
    response: HttpResponseParts,
    request: Partial<typeof GET> = {},
  ): ReturnType<typeof verifyResponse> {
    return verifyResponse({
      request: { ...GET, ...request, url },
      response,
      canisterId: CANISTER,
      rootKey,
      nowNs: NOW,
    });
  }

  it('verifies exact routes, each encoding of a path, and returns the certified headers', () => {
    const verified = verify('/index.html', serve(index, '/index.html'));
    expect(new TextDecoder().decode(verified!.body)).toBe('<html>index</html>');
    expect(verified!.headers).toEqual(
      expect.arrayContaining([
        ['content-type', 'text/html'],
        ['cache-control', 'no-cache'],
      ]),
    );
    expect(verify('/index.html', serve(indexGzip, '/index.html'))!.statusCode).toBe(200);
    expect(verify('/', serve(slash, '/'))!.statusCode).toBe(200);
  });

  it('verifies the wildcard fallback for paths without an exact route', () => {
    for (const url of ['/proposal/900001', '/assets/missing.js', '/index.html/x', '/x/', '/a']) {
      expect(verify(url, serve(fallback, url))!.statusCode).toBe(200);
    }
  });

  it('refuses the fallback for a path that has an exact route', () => {
    expect(() => verify('/index.html', serve(fallback, '/index.html'))).toThrow();
  });

  it('matches percent-encoded request paths, query parameters and request headers', () => {
    expect(verify('/a%20b.txt', serve(spaced, '/a%20b.txt'))!.statusCode).toBe(200);
    const url = '/search?q=1&x=2';
    const ok = { headers: [['Accept', 'text/plain']] as HeaderField[] };
    expect(verify(url, serve(search, url), ok)!.statusCode).toBe(200);
    expect(() => verify('/search?q=2', serve(search, '/search?q=2'), ok)).toThrow();
    expect(() => verify(url, serve(search, url), { headers: [['accept', 'text/html']] })).toThrow();
    expect(() => verify(url, serve(search, url), { ...ok, method: 'POST' })).toThrow();
  });

  it('accepts a skipped certification as verified but uncertified', () => {
    expect(verify('/api/submit', serve(skipped, '/api/submit'))).toBeNull();
  });

  it('refuses any change to the body, a certified header or the status', () => {
    const good = serve(index, '/index.html');
    const changes: HttpResponseParts[] = [
      { ...good, body: utf8Encode('<html>evil</html>') },
      { ...good, statusCode: 203 },
      {
        ...good,
        headers: good.headers.map(([k, v]) => [k, k === 'content-type' ? 'text/plain' : v]),
      },
      { ...good, headers: good.headers.filter(([k]) => k !== 'cache-control') },
      { ...good, headers: [...good.headers, ['set-cookie', 'a=b']] },
    ];
    for (const changed of changes) expect(() => verify('/index.html', changed)).toThrow();
  });

  it('refuses a certificate for other certified data', () => {
    const before = certificate;
    try {
      certificate = certificateFor({
        rootKey,
        canisterId: CANISTER,
        certifiedData: new Uint8Array(32),
        timeNs: NOW,
      });
      expect(() => verify('/index.html', serve(index, '/index.html'))).toThrow();
    } finally {
      certificate = before;
    }
  });

  it('forgets deleted entries: the root hash is that of a tree built without them', () => {
    const other = make();
    for (const c of all) if (c !== spaced && c !== skipped) other.insert(c.entry);
    const copy = make();
    for (const c of all) copy.insert(c.entry);
    copy.delete(spaced.entry);
    copy.delete(skipped.entry);
    expect(copy.rootHash()).toEqual(other.rootHash());
    expect(copy.rootHash()).not.toEqual(tree.rootHash());
  });
});
