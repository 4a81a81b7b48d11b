/**
 * A small hash router: the assets canister serves one index.html, so routes live after `#`.
 * `#/`, `#/?q=<search>`, `#/proposal/<id>`, `#/builder/<principal>`, `#/attestation/<id>` —
 * shareable links. A link without `#` (`/proposal/900001`, which the frontend canister and
 * `npm start` answer with index.html) is moved behind the `#` on arrival.
 */
export type Route =
  | { page: 'proposals'; query: string }
  | { page: 'proposal'; proposalId: bigint }
  | { page: 'builder'; builder: string }
  | { page: 'attestation'; attestationId: bigint }
  | { page: 'not_found'; path: string };

const U64_MAX = 2n ** 64n - 1n;
const PRINCIPAL_TEXT = /^[a-z2-7]{1,5}(-[a-z2-7]{1,5})*$/;

/** A proposal id as typed or linked: decimal, no leading zeros, fits in u64. */
export function parseProposalId(text: string): bigint | null {
  if (!/^[1-9][0-9]{0,19}$/.test(text)) return null;
  const id = BigInt(text);
  return id <= U64_MAX ? id : null;
}

export function parseRoute(hash: string): Route {
  const raw = hash.startsWith('#') ? hash.slice(1) : hash;
  const [pathPart = '', queryPart = ''] = raw.split('?', 2);
  const path = pathPart === '' ? '/' : pathPart;
  const segments = path.split('/').filter((s) => s !== '');
  if (segments.length === 0) {
    const query = new URLSearchParams(queryPart).get('q') ?? '';
    return { page: 'proposals', query };
  }
  let decoded: string[];
  try {
    decoded = segments.map((s) => decodeURIComponent(s));
  } catch {
    return { page: 'not_found', path };
  }
  const [first, second] = decoded;
  if (decoded.length === 2 && first === 'proposal' && second !== undefined) {
    const id = parseProposalId(second);
    if (id !== null) return { page: 'proposal', proposalId: id };
  }
  if (decoded.length === 2 && first === 'attestation' && second !== undefined) {
    const id = /^(0|[1-9][0-9]{0,19})$/.test(second) ? BigInt(second) : null;
    if (id !== null && id <= U64_MAX) return { page: 'attestation', attestationId: id };
  }
  if (
    decoded.length === 2 &&
    first === 'builder' &&
    second !== undefined &&
    PRINCIPAL_TEXT.test(second)
  ) {
    return { page: 'builder', builder: second };
  }
  return { page: 'not_found', path };
}

export function routeHref(route: Route): string {
  switch (route.page) {
    case 'proposals':
      return route.query === '' ? '#/' : `#/?q=${encodeURIComponent(route.query)}`;
    case 'proposal':
      return `#/proposal/${route.proposalId}`;
    case 'builder':
      return `#/builder/${route.builder}`;
    case 'attestation':
      return `#/attestation/${route.attestationId}`;
    case 'not_found':
      return `#${route.path}`;
    default:
      return route satisfies never;
  }
}

export const proposalHref = (proposalId: bigint): string =>
  routeHref({ page: 'proposal', proposalId });
export const builderHref = (builder: string): string => routeHref({ page: 'builder', builder });
export const attestationHref = (attestationId: bigint): string =>
  routeHref({ page: 'attestation', attestationId });

/**
 * Where a link without `#` belongs: `/proposal/900001?canisterId=…` → `/?canisterId=…#/proposal/900001`.
 * Null when the address needs no move (the root, index.html, or a hash route already).
 */
export function hashAddressFor(
  location: Pick<Location, 'pathname' | 'search' | 'hash'>,
): string | null {
  const path = location.pathname;
  if (location.hash !== '' || path === '/' || path === '/index.html') return null;
  return `/${location.search}#${path}`;
}

export class Router {
  route = $state<Route>({ page: 'proposals', query: '' });
  private readonly window: Window;
  private readonly onHashChange = () => {
    this.route = parseRoute(this.window.location.hash);
  };

  constructor(win: Window) {
    this.window = win;
    const moved = hashAddressFor(win.location);
    if (moved !== null) win.history.replaceState(null, '', moved);
    this.route = parseRoute(win.location.hash);
    win.addEventListener('hashchange', this.onHashChange);
  }

  /** Changes the address without adding history (e.g. while typing a search). */
  replace(route: Route): void {
    const href = routeHref(route);
    this.window.history.replaceState(null, '', href);
    this.route = parseRoute(href);
  }

  dispose(): void {
    this.window.removeEventListener('hashchange', this.onHashChange);
  }
}
