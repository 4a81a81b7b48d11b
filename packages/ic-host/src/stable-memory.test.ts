import { describe, expect, it } from 'vitest';
import { MAX_STABLE_PAGES, STABLE_PAGE_SIZE, StableMemory } from './stable-memory';

const bytes = (...b: number[]) => new Uint8Array(b);

describe('StableMemory', () => {
  it('reads zeros where nothing was written and writes across page boundaries', () => {
    const m = new StableMemory();
    m.begin();
    expect(m.grow(3)).toBe(0);
    m.write(STABLE_PAGE_SIZE - 2, bytes(1, 2, 3, 4));
    m.commit();
    const out = new Uint8Array(6);
    m.read(STABLE_PAGE_SIZE - 3, out);
    expect([...out]).toEqual([0, 1, 2, 3, 4, 0]);
    expect(m.residentPages).toBe(2);
  });

  it('reads into a heap at an offset as `read` does: small, across pages, unwritten, large', () => {
    const m = new StableMemory();
    m.begin();
    m.grow(4);
    const data = Uint8Array.from({ length: 300 }, (_, i) => (i * 7 + 1) & 0xff);
    m.write(STABLE_PAGE_SIZE - 100, data);
    m.commit();
    const cases: [offset: number, length: number][] = [
      [STABLE_PAGE_SIZE - 100, 4], // small, inside one page
      [STABLE_PAGE_SIZE - 2, 8], // small, across two pages
      [3 * STABLE_PAGE_SIZE + 5, 16], // a page never written: zeros
      [STABLE_PAGE_SIZE - 100, 300], // large
      [STABLE_PAGE_SIZE - 100, 0],
    ];
    for (const [offset, length] of cases) {
      const expected = new Uint8Array(length);
      m.read(offset, expected);
      const heap = new Uint8Array(400).fill(0xee);
      m.readInto(offset, heap, 33, length);
      expect([...heap.subarray(33, 33 + length)]).toEqual([...expected]);
      // Nothing outside the destination changes.
      expect(heap.subarray(0, 33).every((b) => b === 0xee)).toBe(true);
      expect(heap.subarray(33 + length).every((b) => b === 0xee)).toBe(true);
    }
  });

  it('rolls back writes and growth of a transaction, keeping committed data', () => {
    const m = new StableMemory();
    m.begin();
    m.grow(1);
    m.write(10, bytes(7));
    m.commit();
    m.begin();
    m.grow(5);
    m.write(10, bytes(8));
    m.write(3 * STABLE_PAGE_SIZE, bytes(9));
    m.rollback();
    const out = new Uint8Array(1);
    m.read(10, out);
    expect(out[0]).toBe(7);
    expect(m.sizePages).toBe(1);
    expect(m.residentPages).toBe(1);
  });

  it('never mutates a page object it has handed out as dirty (copy on write)', () => {
    const m = new StableMemory();
    m.begin();
    m.grow(1);
    m.write(0, bytes(1));
    m.commit();
    const first = m.takeDirty()!;
    expect(first.pages.map((p) => p.index)).toEqual([0]);
    const handed = first.pages[0].data;
    m.begin();
    m.write(0, bytes(2));
    m.commit();
    expect(handed[0]).toBe(1);
    expect(m.takeDirty()!.pages[0].data[0]).toBe(2);
    expect(m.takeDirty()).toBeUndefined();
  });

  it('reports a reset and only the pages written after it', () => {
    const m = new StableMemory();
    m.begin();
    m.grow(4);
    m.write(0, bytes(1));
    m.write(2 * STABLE_PAGE_SIZE, bytes(1));
    m.commit();
    m.takeDirty();
    m.begin();
    m.reset();
    m.grow(1);
    m.write(5, bytes(5));
    m.commit();
    const d = m.takeDirty()!;
    expect(d.reset).toBe(true);
    expect(d.pages.map((p) => p.index)).toEqual([0]);
    expect(m.sizePages).toBe(1);
  });

  it('undoes a reset on rollback', () => {
    const m = new StableMemory();
    m.begin();
    m.grow(1);
    m.write(0, bytes(42));
    m.commit();
    m.begin();
    m.reset();
    m.rollback();
    const out = new Uint8Array(1);
    m.read(0, out);
    expect(out[0]).toBe(42);
    expect(m.sizePages).toBe(1);
  });

  it('refuses growth past the maximum and writes outside a transaction', () => {
    const m = new StableMemory();
    expect(m.grow(MAX_STABLE_PAGES + 1)).toBe(-1);
    expect(() => m.write(0, bytes(1))).toThrow('outside a transaction');
  });
});
