/** Per-guild settings that admins change with commands (claim rules and lifecycle). The store imports these. */
import { z } from 'zod';

export const GuildSettings = z.object({
  /** Exclusive: one active claim per problem. Shared (default): several members may work on one problem. */
  claimsExclusive: z.boolean().default(false),
  /** Most active claims one member may hold. */
  claimCap: z.number().int().min(1).max(50).default(3),
  /** Days without a check-in before a claim turns stale. */
  staleAfterDays: z.number().int().min(1).max(365).default(21),
  /** Further days after turning stale before a claim is released. */
  releaseAfterDays: z.number().int().min(1).max(365).default(14),
});
export type GuildSettings = z.infer<typeof GuildSettings>;

export const DEFAULT_GUILD_SETTINGS: GuildSettings = GuildSettings.parse({});
