/** Each page's document title: what it is first (tabs and history show the start), then the site. */
export const SITE_TITLE = 'repro registry';

export function documentTitle(...parts: (string | null | undefined)[]): string {
  return [
    ...parts.filter((p): p is string => p !== null && p !== undefined && p !== ''),
    SITE_TITLE,
  ].join(' · ');
}
