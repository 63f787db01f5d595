/**
 * Which of `parts` records a member's entry lives in, for records spread over parts by member (a guild's open
 * claims, its flashcard learners): a stable hash of the user id, so the same member always lands in the same part.
 * Readers merge every part, so any value would read back correctly; a good spread keeps each part small.
 */
export function memberPart(userId: string, parts: number): number {
  let h = 0;
  for (let i = 0; i < userId.length; i++) h = (h * 31 + userId.charCodeAt(i)) >>> 0;
  return h % parts;
}
