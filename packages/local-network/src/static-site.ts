/**
 * A static single-page site served by the network for requests that address no canister (what
 * `npm start` uses for the frontend): files of `distDir` (unknown paths get `index.html`),
 * `/env.json` with the canister ids, and a placeholder page while there is no build to serve.
 */
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
  '.webmanifest': 'application/manifest+json',
};

/** A `fallback` for `startLocalNetwork`. */
export function staticSite(args: {
  distDir: string;
  env: () => Record<string, string>;
  /** The HTML shown when there is no build (or `usePlaceholder` says so). */
  placeholder: () => string;
  /** E.g. the build failed: serve the placeholder even if an older build exists. */
  usePlaceholder?: () => boolean;
}): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/env.json') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(args.env(), null, 2));
      return true;
    }
    if (args.usePlaceholder?.() || !existsSync(join(args.distDir, 'index.html'))) {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
      });
      res.end(args.placeholder());
      return true;
    }
    const relative = normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, '');
    let file = join(args.distDir, relative);
    if (!file.startsWith(args.distDir)) return false;
    const isFile = await stat(file).then(
      (s) => s.isFile(),
      () => false,
    );
    if (!isFile) file = join(args.distDir, 'index.html');
    const body = await readFile(file);
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': file.endsWith('index.html') ? 'no-cache' : 'public, max-age=3600',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  };
}
