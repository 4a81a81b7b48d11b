/**
 * The Atom feeds are valid Atom 1.0 (RFC 4287): parsed by a real XML parser (namespaces, any
 * warning fails), then the elements the RFC requires are checked on the feed and every entry.
 * The JSON API pages with its `since` cursor.
 */
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';

import { artifact, hashOf, predicate, testBuilder } from '../../test/builders';
import { MINUTE, T0, accepted, confirm, newRegistry, submit } from '../../test/core-support';
import type { Registry } from '../core/registry';
import { handleHttp } from '../http';
import { renderAtomFeed } from './atom';
import { xmlText } from '../xml';

const ATOM = 'http://www.w3.org/2005/Atom';
const REGISTRY_ID = 'uxrrr-q7777-77774-qaaaq-cai';
const P = 134567n;
const Q = 134568n;
const OTHER = hashOf('another image');

/** An element as the parser saw it: namespace-resolved name, attributes, children, text. */
interface Element {
  localName: string;
  namespaceURI: string;
  attributes: Record<string, string>;
  children: Element[];
  textContent: string;
  getAttribute(name: string): string | undefined;
}

/** Parses with saxes, a strict XML 1.0 parser with namespaces: any error fails the test. */
function parse(xml: string): Element {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: Element[] = [];
  let root: Element | undefined;
  parser.on('error', (e) => {
    throw e;
  });
  parser.on('opentag', (tag) => {
    const attributes: Record<string, string> = {};
    for (const [name, attr] of Object.entries(tag.attributes)) attributes[name] = attr.value;
    const element: Element = {
      localName: tag.local,
      namespaceURI: tag.uri,
      attributes,
      children: [],
      textContent: '',
      getAttribute: (name) => attributes[name],
    };
    stack.at(-1)?.children.push(element);
    root ??= element;
    stack.push(element);
  });
  parser.on('text', (t) => {
    for (const open of stack) open.textContent += t;
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.write(xml).close();
  if (root === undefined) throw new Error('no document element');
  return root;
}

const children = (parent: Element, name: string): Element[] =>
  parent.children.filter((n) => n.localName === name);

function text(parent: Element, name: string): string {
  const found = children(parent, name);
  expect(found, `one <${name}>`).toHaveLength(1);
  return found[0]?.textContent ?? '';
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** The checks of RFC 4287 section 4.1 that a feed reader relies on. */
function checkAtom(xml: string) {
  const feed = parse(xml);
  expect(feed.localName).toBe('feed');
  expect(feed.namespaceURI).toBe(ATOM);
  const id = text(feed, 'id');
  expect(() => new URL(id)).not.toThrow();
  expect(text(feed, 'title')).not.toBe('');
  expect(text(feed, 'updated')).toMatch(RFC3339);
  const self = children(feed, 'link').find((l) => l.getAttribute('rel') === 'self');
  expect(self?.getAttribute('href')).toMatch(/feed\.atom$/);
  // Without a feed-level author every entry would need one.
  expect(children(feed, 'author')).toHaveLength(1);
  const entries = children(feed, 'entry').map((entry) => {
    for (const child of entry.children) expect(child.namespaceURI).toBe(ATOM);
    const entryId = text(entry, 'id');
    expect(() => new URL(entryId)).not.toThrow();
    expect(text(entry, 'updated')).toMatch(RFC3339);
    const alternate = children(entry, 'link').filter(
      (l) => (l.getAttribute('rel') ?? 'alternate') === 'alternate',
    );
    expect(alternate).toHaveLength(1);
    expect(alternate[0]?.getAttribute('href')).not.toBe('');
    return {
      id: entryId,
      title: text(entry, 'title'),
      updated: text(entry, 'updated'),
      category: children(entry, 'category')[0]?.getAttribute('term'),
      content: text(entry, 'content'),
    };
  });
  expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
  return { id, updated: text(feed, 'updated'), entries };
}

function get(r: Registry, url: string) {
  const reply = handleHttp(
    r,
    { method: 'GET', url, headers: [], body: new Uint8Array(), certificate_version: [] },
    10n ** 15n,
    REGISTRY_ID,
  );
  const header = (name: string) => reply.headers.find(([k]) => k === name)?.[1];
  return {
    status: reply.status_code,
    contentType: header('content-type'),
    body: new TextDecoder().decode(reply.body),
  };
}

/** Two confirmed proposals; P gets a red alert. */
function registryWithEvents(): Registry {
  const r = newRegistry();
  confirm(r, P, { title: 'Elect <GuestOS> & "friends"\u0000 \u{1F600}' });
  confirm(r, Q);
  r.noteEvents({ proposalIds: [P, Q], now: T0 });
  const base = predicate();
  const envs = [
    { osName: 'Ubuntu', virtualization: 'bare_metal', containerRuntimeName: 'podman' },
    { osName: 'Fedora', virtualization: 'kvm', containerRuntimeName: 'docker' },
  ] as const;
  envs.forEach((env, i) => {
    accepted(
      submit(
        r,
        testBuilder(`feed-${i}`),
        predicate({
          artifacts: [artifact({ kind: 'guestos', sha256: OTHER })],
          environment: { ...base.environment, ...env },
        }),
        T0 + BigInt(i + 1) * MINUTE,
      ),
    );
    r.noteEvents({ proposalIds: [P], now: T0 + BigInt(i + 1) * MINUTE });
  });
  return r;
}

describe('the Atom feeds', () => {
  it('/feed.atom is valid Atom 1.0 with every event, newest first, ids stable across reads', () => {
    const r = registryWithEvents();
    const first = get(r, '/feed.atom');
    expect(first.status).toBe(200);
    expect(first.contentType).toBe('application/atom+xml; charset=utf-8');
    const feed = checkAtom(first.body);
    expect(feed.id).toBe(`urn:repro-registry:${REGISTRY_ID}:events`);
    expect(feed.entries.map((e) => e.category)).toEqual([
      'red_alert',
      'first_mismatch',
      'first_attestation',
      'proposal_seen',
      'proposal_seen',
    ]);
    expect(feed.updated).toBe(new Date(Number((T0 + 2n * MINUTE) / 1_000_000n)).toISOString());
    expect(feed.entries[0]?.id).toBe(`urn:repro-registry:${REGISTRY_ID}:event:5`);
    expect(feed.entries[0]?.title).toBe(
      `RED ALERT: builders agree on another hash — proposal ${P}`,
    );
    // The title from governance arrives as text: markup escaped, an invalid character dropped.
    expect(feed.entries.at(-1)?.content).toContain('title: Elect <GuestOS> & "friends" \u{1F600}');

    // Read again, and after more events: the same entries keep their ids and times.
    expect(get(r, '/feed.atom').body).toBe(first.body);
    confirm(r, 134569n);
    r.noteEvents({ proposalIds: [134569n], now: T0 + DAY });
    const later = checkAtom(get(r, '/feed.atom').body);
    expect(later.entries.slice(1)).toEqual(feed.entries);
  });

  it('/proposals/<id>/feed.atom has that proposal’s events only', () => {
    const r = registryWithEvents();
    const feed = checkAtom(get(r, `/proposals/${Q}/feed.atom`).body);
    expect(feed.id).toBe(`urn:repro-registry:${REGISTRY_ID}:proposal:${Q}:events`);
    expect(feed.entries.map((e) => e.category)).toEqual(['proposal_seen']);
    const empty = checkAtom(get(r, '/proposals/999/feed.atom').body);
    expect(empty.entries).toEqual([]);
    expect(empty.updated).toBe('1970-01-01T00:00:00.000Z');
    expect(get(r, '/proposals/x/feed.atom').status).toBe(404);
  });

  it('titles every event type (a sources_disagree entry is named, not "undefined")', () => {
    const body = renderAtomFeed({
      scope: { registryId: REGISTRY_ID, proposalId: 1n },
      events: [
        {
          seq: '1',
          type: 'sources_disagree',
          proposalId: '1',
          at: T0.toString(),
          proposalTitle: 'Elect GuestOS',
          commit: null,
          kind: 'guestos',
          sha256: OTHER,
          expectedSha256: hashOf('the image'),
          builders: 1,
          environmentClasses: 1,
          deadlineAt: null,
          secondsLeft: null,
          votingOpen: false,
          summary: 'a package URL served other bytes',
        },
      ],
    }).body;
    const feed = checkAtom(body);
    expect(feed.entries[0]?.title).toContain("The release's sources disagree with the proposal");
    expect(body).not.toContain('undefined');
  });

  it('parses whatever text a title holds', () => {
    const nasty = ']]><!-- <script>alert(1)</script> \u0001\u000b\uFFFE \uD800 ok';
    const body = renderAtomFeed({
      scope: { registryId: REGISTRY_ID, proposalId: 1n },
      events: [
        {
          seq: '1',
          type: 'proposal_seen',
          proposalId: '1',
          at: T0.toString(),
          proposalTitle: nasty,
          commit: null,
          kind: null,
          sha256: null,
          expectedSha256: null,
          builders: 0,
          environmentClasses: 0,
          deadlineAt: null,
          secondsLeft: null,
          votingOpen: false,
          summary: nasty,
        },
      ],
    }).body;
    const feed = checkAtom(body);
    expect(feed.entries[0]?.content).toContain(']]><!-- <script>alert(1)</script>   ok');
    expect(xmlText('a\u0000b<')).toBe('ab&lt;');
  });
});

describe('/api/v1/events', () => {
  it('pages with the since cursor', () => {
    const r = registryWithEvents();
    const page = (url: string) => JSON.parse(get(r, url).body) as Record<string, unknown>;
    const all = page('/api/v1/events');
    expect(all).toMatchObject({ oldest: '1', latest: '5', next: '5' });
    const first = page('/api/v1/events?limit=2');
    expect((first.events as { seq: string }[]).map((e) => e.seq)).toEqual(['1', '2']);
    const rest = page(`/api/v1/events?since=${first.next as string}`);
    expect((rest.events as { type: string }[]).map((e) => e.type)).toEqual([
      'first_attestation',
      'first_mismatch',
      'red_alert',
    ]);
    expect(page('/api/v1/events?since=5')).toMatchObject({ events: [], next: '5' });
    expect(get(r, '/api/v1/events?since=-1').status).toBe(400);
    expect(JSON.parse(get(r, '/api/v1/events?since=x').body)).toMatchObject({
      error: { code: 'INVALID_ARGUMENT' },
    });
    const mine = page(`/api/v1/proposals/${Q}/events`);
    expect((mine.events as { proposalId: string }[]).map((e) => e.proposalId)).toEqual([
      Q.toString(),
    ]);
  });
});

const DAY = 24n * 60n * MINUTE;
