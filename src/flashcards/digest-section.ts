/** Loads what the weekly digest's flashcard section needs: the group members' flashcard records, in batches. */
import { composeFlashcardWeek, type FlashcardWeek } from '../domain/flashcard-digest.ts';
import type { MemberFlashcards } from '../domain/flashcards.ts';
import type { Services } from '../services.ts';
import type { StudyGroup } from '../store/repos/study-groups.ts';

const BATCH = 500;

export async function loadFlashcardWeek(services: Services, guildId: string, group: StudyGroup, memberIds: readonly string[], start: number, end: number): Promise<FlashcardWeek> {
  // The "Everyone" group covers every member who studies flashcards too, not only those who track reading.
  const ids = group.everyone ? [...new Set([...memberIds, ...(await services.repos.flashcards.guildMembers(guildId))])] : memberIds;
  const records = new Map<string, MemberFlashcards>();
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = ids.slice(i, i + BATCH);
    const found = await services.repos.flashcards.members.getMany(batch.map((id) => [guildId, id]));
    found.forEach((record, j) => record && records.set(batch[j]!, record));
  }
  return composeFlashcardWeek(services.registry, records, start, end);
}
