/**
 * Plain HTTP to the local network with node:http, because fetch neither lets a client choose the
 * Host header (`<id>.localhost`, `<id>.raw.localhost`) nor leaves content encodings undecoded.
 */
import { request } from 'node:http';

export interface HttpReply {
  status: number;
  /** Header pairs as sent, in order. */
  headers: [string, string][];
  body: Buffer;
  /** The first value of a header (any case), or undefined. */
  header(name: string): string | undefined;
}

export function httpRequest(args: {
  port: number | string;
  path: string;
  /** The Host header; default 127.0.0.1:<port>. */
  host?: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: args.port,
        path: args.path,
        method: args.method ?? 'GET',
        headers: { ...(args.host ? { host: args.host } : {}), ...args.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const pairs: [string, string][] = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) {
            pairs.push([res.rawHeaders[i], res.rawHeaders[i + 1]]);
          }
          resolve({
            status: res.statusCode ?? 0,
            headers: pairs,
            body: Buffer.concat(chunks),
            header: (name) => pairs.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1],
          });
        });
      },
    );
    req.on('error', reject);
    req.end(args.body);
  });
}
