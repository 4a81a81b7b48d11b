/**
 * What the browser tests need around the local network: the built frontend served from its own
 * origin (as an assets canister would serve it, the API on another origin), headless Chromium,
 * and a node that signs what it likes (see `maliciousNode`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';

import { IDL } from '@dfinity/candid';
import { idlFactory } from '@repro-registry/client';
import { chromium, type Browser, type Route } from 'playwright-core';

import { nodeKeyOf, queryContent, repliedArg, resignedAnswer } from '../support/lying-node';

export const PROJECT_ROOT = join(import.meta.dirname, '..', '..');
export const OUTPUT_DIR = join(PROJECT_ROOT, 'test-results', 'browser');
const CHROMIUM = '/usr/bin/chromium';

/** `vite build` of the frontend into `outDir` (the same build `npm run build -w frontend` makes). */
export function buildFrontend(outDir: string): void {
  const r = spawnSync(
    'npx',
    ['vite', 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
    {
      cwd: join(PROJECT_ROOT, 'frontend'),
      stdio: 'inherit',
    },
  );
  if (r.status !== 0) throw new Error('building the frontend failed');
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

/** Serves a built frontend with `config.json` naming the registry; unknown paths get index.html. */
export async function serveFrontend(args: {
  dir: string;
  config: Record<string, unknown>;
}): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path === '/config.json') {
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(JSON.stringify(args.config));
        return;
      }
      let file = join(args.dir, normalize(decodeURIComponent(path)).replace(/^(\.\.[/\\])+/, ''));
      if (
        !file.startsWith(args.dir) ||
        !(await stat(file).then(
          (s) => s.isFile(),
          () => false,
        ))
      )
        file = join(args.dir, 'index.html');
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(await readFile(file));
    })().catch((e: unknown) => {
      res.writeHead(500);
      res.end(String(e));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install Debian's chromium package (apt-get install -y chromium); .ci/run does`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function outputPath(name: string): Promise<string> {
  await mkdir(OUTPUT_DIR, { recursive: true });
  return join(OUTPUT_DIR, name);
}

/** A proposal summary as the registry's Candid has it (the fields the tests alter). */
export interface CandidSummary {
  proposal_id: bigint;
  artifacts: { kind: string; hash_groups: { sha256: string; builder_count: bigint }[] }[];
}

/**
 * A replica node that lies: it answers `list_attestations`, `get_proposal_summary`,
 * `list_proposals` and `get_certified_summaries` queries with the registry's real answer, altered
 * (one attestation's envelope, a summary's count), and
 * signs the altered response with its node key like any honest answer. The agent accepts it (the
 * node signature is valid); only the page's own verification can catch it — the builder's
 * signature for an envelope, the recount from verified attestations for a summary. Nothing else
 * can put such answers in front of the page: the registry verifies every envelope before storing
 * it, and a response altered in transit fails the node signature.
 *
 * Install with `page.route('**\/api/v*\/canister/*\/query', node.handle)`.
 */
export async function maliciousNode(args: {
  stateDir: string;
  /** Alters an envelope (JSON bytes); return it unchanged to pass the attestation through. */
  tamper?: (attestationId: bigint, envelope: Uint8Array) => Uint8Array;
  /** Alters a summary in place; returns whether it did. */
  tamperSummary?: (summary: CandidSummary) => boolean;
  /** Alters a summary of the proposal list (`list_proposals`, unchecked) in place. */
  tamperListed?: (summary: CandidSummary) => boolean;
  /** Alters a certified summary (`get_certified_summaries`: the Candid blob) in place. */
  tamperCertified?: (summary: CandidSummary) => boolean;
  /** Alters a summary of `get_consensus` (over a trust list, with its proof) in place. */
  tamperConsensus?: (summary: CandidSummary) => boolean;
}): Promise<{ handle: (route: Route) => Promise<void>; tampered: bigint[] }> {
  const nodeKey = await nodeKeyOf(args.stateDir);
  const service = idlFactory({ IDL });
  const methodType = (name: string) =>
    service._fields.find(([n]) => n === name)?.[1] as IDL.FuncClass;
  const tampered: bigint[] = [];
  const summaryType = (
    methodType('get_proposal_summary').retTypes[0] as IDL.VariantClass
  )._fields.find(([name]) => name === 'Ok')![1];

  /** Alters the decoded reply of `method`; returns whether anything changed. */
  function alter(method: string, result: unknown): boolean {
    if (method === 'list_attestations' && args.tamper !== undefined) {
      const page = (result as { Ok?: { attestations: { id: bigint; envelope: Uint8Array }[] } }).Ok;
      let changed = false;
      for (const a of page?.attestations ?? []) {
        const before = new Uint8Array(a.envelope);
        const after = args.tamper(a.id, before);
        if (Buffer.compare(before, after) !== 0) {
          a.envelope = after;
          tampered.push(a.id);
          changed = true;
        }
      }
      return changed;
    }
    if (method === 'list_proposals' && args.tamperListed !== undefined) {
      const page = result as { proposals: CandidSummary[] };
      const changed = page.proposals.filter((p) => args.tamperListed!(p));
      tampered.push(...changed.map((p) => p.proposal_id));
      return changed.length > 0;
    }
    if (method === 'get_certified_summaries' && args.tamperCertified !== undefined) {
      const batch = result as { summaries: { proposal_id: bigint; summary: [] | [Uint8Array] }[] };
      let changed = false;
      for (const entry of batch.summaries) {
        if (entry.summary.length === 0) continue;
        const [summary] = IDL.decode([summaryType], entry.summary[0].slice()) as unknown as [
          CandidSummary,
        ];
        if (!args.tamperCertified(summary)) continue;
        entry.summary = [new Uint8Array(IDL.encode([summaryType], [summary]))];
        tampered.push(entry.proposal_id);
        changed = true;
      }
      return changed;
    }
    if (method === 'get_consensus' && args.tamperConsensus !== undefined) {
      const summary = (result as { Ok?: CandidSummary }).Ok;
      if (summary === undefined || !args.tamperConsensus(summary)) return false;
      tampered.push(summary.proposal_id);
      return true;
    }
    if (method === 'get_proposal_summary' && args.tamperSummary !== undefined) {
      const summary = (result as { Ok?: CandidSummary }).Ok;
      if (summary === undefined || !args.tamperSummary(summary)) return false;
      tampered.push(summary.proposal_id);
      return true;
    }
    return false;
  }

  /**
   * A page may close while one of its reads is in flight (the certified summaries are read
   * again with backoff; the footer and the list's count read the checkpoint): that request's
   * answer has nowhere to go — its route closed, or its fetched response was disposed with the
   * page — which is no failure.
   */
  async function handle(route: Route): Promise<void> {
    try {
      await answer(route);
    } catch (e) {
      if (!(e instanceof Error && /has been (closed|disposed)/.test(e.message))) throw e;
    }
  }

  async function answer(route: Route): Promise<void> {
    const request = route.request();
    const content = queryContent(new Uint8Array(request.postDataBuffer() ?? new Uint8Array()));
    const method = content['method_name'] as string;
    const response = await route.fetch();
    const answerBody = new Uint8Array(await response.body());
    const reply = repliedArg(answerBody);
    if (
      ![
        'list_attestations',
        'get_proposal_summary',
        'list_proposals',
        'get_certified_summaries',
        'get_consensus',
      ].includes(method) ||
      reply === null
    ) {
      await route.fulfill({ response });
      return;
    }
    const type = methodType(method);
    const [result] = IDL.decode(type.retTypes, reply);
    if (!alter(method, result)) {
      await route.fulfill({ response });
      return;
    }
    const arg = new Uint8Array(IDL.encode(type.retTypes, [result]));
    const body = resignedAnswer({ nodeKey, content, answerBody, arg });
    await route.fulfill({ status: 200, headers: response.headers(), body: Buffer.from(body) });
  }
  return { handle, tampered };
}
