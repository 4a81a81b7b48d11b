import { plainTextProblem } from '@repro-registry/attestation';

/**
 * Why `text` is not acceptable plain text for a registry field (the attestation format's rules:
 * no control or invisible formatting characters, valid Unicode, a byte limit), or null.
 */
export function checkPlainText(
  text: string,
  rules: { maxBytes: number; allowNewlines: boolean },
): string | null {
  const problem = plainTextProblem(text, {
    field: 'text',
    maxBytes: rules.maxBytes,
    multiline: rules.allowNewlines,
  });
  return problem === null ? null : problem.message.replace(/^text /, '');
}
