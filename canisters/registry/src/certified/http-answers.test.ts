import { encodedExprPath, PreparedReply } from '@repro-registry/certification';
import { describe, expect, it } from 'vitest';

import { decodeAnswer, encodeAnswer, servedAnswer, type StoredAnswer } from './http-answers';

const hash = (seed: number) => Uint8Array.from({ length: 32 }, (_, i) => (i * 7 + seed) & 0xff);
const where = { exact: '/api/v1/proposals/7' };
const response = {
  statusCode: 200,
  headers: [
    ['content-type', 'application/json'],
    ['IC-CertificateExpression', 'default_certification(…)'],
  ] as [string, string][],
  body: new TextEncoder().encode(`{"proposal_id":"7","summary":"${'x'.repeat(1000)}"}`),
};
const answer: StoredAnswer = {
  response,
  entry: { path: where, exprHash: hash(1), requestHash: hash(2), responseHash: hash(3) },
  queryParameters: ['list'],
  exprPath: encodedExprPath(where),
  uncertified: false,
};

const plain = (a: StoredAnswer) => encodeAnswer(a);

describe('stored HTTP answers', () => {
  it('keep the reply layout beside the record; both read back whole', () => {
    const reply = new PreparedReply(response, { exprPath: answer.exprPath });
    const layout = reply.layoutBytes();
    const withLayout = encodeAnswer({ ...answer, layout, layoutBodyAt: reply.layoutBodyAt() });
    // The body is kept once (in the layout).
    expect(withLayout.length).toBeLessThan(plain(answer).length + layout.length - 700);
    const plainRecord = encodeAnswer(answer);
    for (const bytes of [withLayout, plainRecord]) {
      const decoded = decodeAnswer(where, bytes);
      expect(decoded.response).toEqual(response);
      expect(decoded.entry).toEqual(answer.entry);
      expect(decoded.queryParameters).toEqual(['list']);
      expect(decoded.exprPath).toBe(answer.exprPath);
    }
    const served = servedAnswer(where, withLayout);
    expect(served.layout).toEqual(layout);
    expect(served.entry).toEqual(answer.entry);
    expect(served.queryParameters).toEqual(['list']);
    expect(served.uncertified).toBe(false);
    // A record written before the layout was kept (before an upgrade): served from the record.
    expect(servedAnswer(where, plainRecord).layout).toBeUndefined();
    expect(servedAnswer(where, plainRecord).entry).toEqual(answer.entry);
  });
});
