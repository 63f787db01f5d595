import { describe, expect, it } from 'vitest';
import { RecordCache } from '../../src/store/record-cache.ts';

describe('RecordCache', () => {
  it('keeps at most its budget, keeps what is read often, and always serves the last value set', () => {
    const cache = new RecordCache(10);
    for (let i = 0; i < 100; i++) {
      cache.set(`k${i}`, i);
      // k0 is read after every write: it must never be dropped.
      expect(cache.get('k0')).toEqual({ value: 0 });
      expect(cache.size).toBeLessThanOrEqual(10);
    }
    expect(cache.get('k99')).toEqual({ value: 99 });
    expect(cache.get('k1')).toBeUndefined();
    cache.set('k0', undefined);
    expect(cache.get('k0')).toEqual({ value: undefined });
    cache.set('k0', 'again');
    expect(cache.get('k0')).toEqual({ value: 'again' });
    cache.forget('k0');
    expect(cache.get('k0')).toBeUndefined();
  });
});
