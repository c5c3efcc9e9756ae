import { z } from 'zod';

const channelAccountSchema = z
  .object({
    id: z.string().min(1),
    name: z.string().optional(),
    aadObjectId: z.string().optional(),
  })
  .passthrough();

const tokenExchangeStateSchema = z
  .object({
    connectionName: z.string().min(1),
    msAppId: z.string().optional().default(''),
    conversation: z
      .object({
        user: channelAccountSchema,
        bot: channelAccountSchema.optional(),
        channelId: z.string().optional().default(''),
        serviceUrl: z.string().optional(),
        conversation: z.object({ id: z.string() }).passthrough().optional(),
      })
      .passthrough(),
  })
  .passthrough();

/** The base64 `state` botbuilder's UserTokenClient sends with GetSignInResource, decoded. */
export type TokenExchangeState = z.infer<typeof tokenExchangeStateSchema>;

/** Decodes a base64 TokenExchangeState; undefined when it is not one. */
export function decodeTokenExchangeState(state: string): TokenExchangeState | undefined {
  try {
    const json: unknown = JSON.parse(Buffer.from(state, 'base64').toString('utf8'));
    const parsed = tokenExchangeStateSchema.safeParse(json);
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The app the sign-in is for: `msAppId`, else the bot's channel id. */
export function stateAppId(state: TokenExchangeState): string {
  return state.msAppId || state.conversation.bot?.id || '';
}
