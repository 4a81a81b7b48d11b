/**
 * How builders are named on the page. A display name is shown as the builder set it (as text,
 * isolated from the text around it); two names that differ only in case or Unicode form are the
 * same name to a reader, so the page marks them.
 */

/** The form two names are compared in: NFKC, lower case, inner white space collapsed. */
export function nameKey(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** "rwlgt-iiaaa-…-q" style: enough of a principal to tell builders apart at a glance. */
export function shortPrincipal(principal: string): string {
  const groups = principal.split('-');
  if (groups.length <= 3) return principal;
  return `${groups[0]}-${groups[1]}-…-${groups.at(-1) as string}`;
}
