/** Content negotiation: which stored variant of a file a request's Accept-Encoding allows. */

export type ContentEncoding = 'br' | 'gzip' | 'identity';

/** Preferred first: Brotli is smallest, gzip next. */
const PREFERENCE: readonly ContentEncoding[] = ['br', 'gzip', 'identity'];

/**
 * Whether a request accepts `coding` (RFC 9110 §12.5.3): a listed coding by its q value (q=0
 * refuses), others by `*`, and identity unless refused.
 */
export function acceptsEncoding(
  headers: readonly (readonly [string, string])[],
  coding: ContentEncoding,
): boolean {
  const listed = new Map<string, number>();
  for (const [name, value] of headers) {
    if (name.toLowerCase() !== 'accept-encoding') continue;
    for (const part of value.split(',')) {
      const [token = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
      if (token === '') continue;
      const q = params.find((p) => p.startsWith('q='));
      const weight = q === undefined ? 1 : Number(q.slice(2));
      listed.set(token, Number.isNaN(weight) ? 0 : weight);
    }
  }
  const weight = listed.get(coding) ?? listed.get('*');
  if (weight === undefined) return coding === 'identity';
  return weight > 0;
}

/** The preferred encoding among `available` that the request accepts (identity as last resort). */
export function chooseEncoding(
  headers: readonly (readonly [string, string])[],
  available: readonly ContentEncoding[],
): ContentEncoding {
  return PREFERENCE.find((e) => available.includes(e) && acceptsEncoding(headers, e)) ?? 'identity';
}
