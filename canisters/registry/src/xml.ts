/** Text inside XML documents the registry serves (the SVG badges, the Atom feeds). */

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Text as XML character data. Titles come from governance (anyone can propose): characters XML
 * 1.0 cannot carry at all (most C0 controls, lone surrogates, U+FFFE/F) are dropped, or the
 * whole feed would stop parsing.
 */
export function xmlText(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c);
}
