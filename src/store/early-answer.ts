/**
 * Answering a caller before a locked write has finished: a repository decides under a lock, starts its write, and
 * hands the decision back at once with the write's promise (`saved`), so the caller builds its reply while the
 * store works and sends it once `saved` settles. The lock is held until the write is done. Used by
 * ClaimsRepo#claimDecided and FlashcardsRepo#decide.
 */

/**
 * Runs `locked` (which takes its own lock) and resolves with the first value it passes to `answer`. If `locked`
 * fails before answering, this rejects; a failure after answering reaches the caller through what it answered.
 */
export function answerEarly<T>(locked: (answer: (value: T) => void) => Promise<unknown>): Promise<T> {
  return new Promise((resolve, reject) => {
    let answered = false;
    locked((value) => {
      answered = true;
      resolve(value);
    }).catch((error: unknown) => {
      if (!answered) reject(error);
    });
  });
}

/**
 * Answers with `value` once every microtask has run, so the write has reached the store's thread before the
 * caller builds its reply (answering at once would interleave the two, and the write would start after the
 * reply), and returns `saving` for the lock's holder to await. `saving`'s failure is marked handled here: the
 * caller sees it through the answer, so it is never reported twice.
 */
export function answerWhenSent<T>(answer: (value: T) => void, value: T, saving: Promise<void>): Promise<void> {
  saving.catch(() => undefined);
  setImmediate(() => answer(value));
  return saving;
}
