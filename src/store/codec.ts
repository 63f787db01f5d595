/**
 * How records are encoded in the store: plain JSON, which is several times faster than Keyv's default
 * serializer on the large per-guild records. Decoding large values is memoised by their exact text, so a record
 * that has not changed since it was last read is not parsed again. The cache is keyed by content, never by key,
 * so it can never serve stale data, even with several processes writing the same store; cached values are
 * frozen so that no caller can change them in place.
 *
 * Encoding reuses text too: a record's items that are frozen (read from the store, or written before) cannot
 * change, so their JSON is kept by identity and a record that changed one claim out of five hundred is encoded by
 * joining the other 499 texts it already has (`stringifyReusing`; the output is exactly JSON.stringify's). The same
 * goes for records of items by key, such as a member's flashcards by term.
 */

/** Only large values are worth caching: small ones parse in microseconds. */
const MIN_CACHED_LENGTH = 4_096;
/** Total characters of cached text kept at most (about 4 MB for ASCII text). */
const CACHE_BUDGET = 4_000_000;

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * JSON.stringify, except that the text of a frozen object found as an array item or as a property value (a card
 * in a record of cards by term, say) is remembered (by identity, in `texts`) and reused the next time the same
 * object is encoded. Plain data only, as the store holds: objects, arrays, strings, finite numbers, booleans and
 * null; anything with toJSON is handed to JSON.stringify.
 */
export function stringifyReusing(value: unknown, texts: WeakMap<object, string>): string {
  const state = { texts, mutable: 0 };
  return encode(value, state, false) ?? 'null';
}

/** `mutable` counts objects met that are not frozen: an item's text is kept only if it and everything in it is. */
function encode(value: unknown, state: { texts: WeakMap<object, string>; mutable: number }, item: boolean): string | undefined {
  if (value === null) return 'null';
  if (typeof value !== 'object') return JSON.stringify(value) as string | undefined;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    state.mutable++;
    return JSON.stringify(value);
  }
  const known = item ? state.texts.get(value) : undefined;
  if (known !== undefined) return known;
  const before = state.mutable;
  if (!Object.isFrozen(value)) state.mutable++;
  let text: string;
  if (Array.isArray(value)) {
    const parts: string[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) parts[i] = encode(value[i], state, true) ?? 'null';
    text = `[${parts.join(',')}]`;
  } else {
    const parts: string[] = [];
    for (const key of Object.keys(value)) {
      const part = encode((value as Record<string, unknown>)[key], state, true);
      if (part !== undefined) parts.push(`${JSON.stringify(key)}:${part}`);
    }
    text = `{${parts.join(',')}}`;
  }
  if (item && state.mutable === before) state.texts.set(value, text);
  return text;
}

/** Length plus the start, the middle and the end of a text: cheap, and distinct for versions of one record. */
function fingerprint(text: string): string {
  const mid = text.length >> 1;
  return `${text.length}:${text.slice(0, 32)}${text.slice(mid - 32, mid + 32)}${text.slice(-128)}`;
}

export function createJsonCodec(options: { minCachedLength?: number; budget?: number } = {}) {
  const minLength = options.minCachedLength ?? MIN_CACHED_LENGTH;
  const budget = options.budget ?? CACHE_BUDGET;
  // Keyed by a fingerprint of the text, not the text: V8 hashes a string longer than 16 K characters by its length
  // alone, so successive versions of one large record (same length, differing near the end) all land in one bucket
  // and every lookup compared the whole text against each of them. A hit is confirmed by comparing the full text.
  const cache = new Map<string, { text: string; value: unknown }>();
  const texts = new WeakMap<object, string>();
  let size = 0;
  const remember = (key: string, text: string, value: unknown) => {
    const old = cache.get(key);
    if (old) {
      cache.delete(key);
      size -= old.text.length;
    }
    size += text.length;
    cache.set(key, { text, value });
    while (size > budget && cache.size > 1) {
      const [oldestKey, oldest] = cache.entries().next().value as [string, { text: string }];
      cache.delete(oldestKey);
      size -= oldest.text.length;
    }
  };
  return {
    serialize: (data: unknown): string => {
      const text = stringifyReusing(data, texts);
      // What was just written is what the next read will see: decode it now, for free.
      if (text.length >= minLength) remember(fingerprint(text), text, deepFreeze(data));
      return text;
    },
    deserialize: <T>(raw: string | undefined): T | undefined => {
      if (typeof raw !== 'string') return raw as T | undefined;
      if (raw.length < minLength) return JSON.parse(raw) as T;
      const key = fingerprint(raw);
      const hit = cache.get(key);
      if (hit !== undefined && hit.text === raw) {
        remember(key, raw, hit.value); // refresh its place in the least-recently-used order
        return hit.value as T;
      }
      const value = deepFreeze(JSON.parse(raw));
      remember(key, raw, value);
      return value as T;
    },
  };
}
