// The discord-api-spec schemas the loopback's scheduled events and threads validate against (see loopback-events.ts).
declare module 'discord-api-spec/zod' {
  import type { ZodMiniType } from 'zod/mini';
  type S = ZodMiniType<unknown>;
  export const StageScheduledEventCreateRequestSchema: S;
  export const VoiceScheduledEventCreateRequestSchema: S;
  export const ExternalScheduledEventCreateRequestSchema: S;
  export const StageScheduledEventPatchRequestPartialSchema: S;
  export const VoiceScheduledEventPatchRequestPartialSchema: S;
  export const ExternalScheduledEventPatchRequestPartialSchema: S;
  export const CreateTextThreadWithMessageRequestSchema: S;
  export const MessageEditRequestPartialSchema: S;
}
