// discord-api-spec/zod ships JavaScript whose "types" entry points at the .js file; declare what we use.
declare module 'discord-api-spec/zod' {
  import type { ZodMiniType } from 'zod/mini';
  type S = ZodMiniType<unknown>;
  export const PongInteractionCallbackRequestSchema: S;
  export const CreateMessageInteractionCallbackRequestSchema: S;
  export const UpdateMessageInteractionCallbackRequestSchema: S;
  export const ApplicationCommandAutocompleteCallbackRequestSchema: S;
  export const ModalInteractionCallbackRequestSchema: S;
  export const IncomingWebhookUpdateForInteractionCallbackRequestPartialSchema: S;
  export const IncomingWebhookInteractionRequestSchema: S;
  export const MessageCreateRequestSchema: S;
  export const ApplicationCommandUpdateRequestSchema: S;
  export const MessageResponseSchema: S;
  export const UserResponseSchema: S;
}
