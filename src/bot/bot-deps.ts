import type { ConversationReference, Storage, TurnContext } from 'botbuilder';
import type { TurnState } from '@microsoft/teams-ai';
import type { SendToConversation } from '../alerts/bot-connector-sender';
import type { GraphClient } from '../graph';
import type { Logger } from '../logging/logger';
import type { SignOutOutcome, SignOutRequest } from '../watch/user-sign-out';
import type { WatchService } from '../watch/watch-service';
import type { StoreExecutor } from '../store/database-schema';
import type { ChannelAccountDirectory } from './channel-accounts';
import type { SignInCards } from './sign-in-card';
import type { ChannelUser } from './turn-identity';
import type { UserTokenProvider } from './user-token-provider';

/** Everything the bot needs, passed in by the composition root. */
export interface BotDeps {
  /** Turn state storage (botbuilder MemoryStorage is fine). */
  storage: Storage;
  graph: Pick<GraphClient, 'getUser' | 'searchUsers' | 'getPresencesByUserId'>;
  tokens: UserTokenProvider;
  signInCards: SignInCards;
  /** Filled from every activity, so the token provider can find users outside a turn. */
  accounts: ChannelAccountDirectory;
  /** Reads what the bot shows (conversation references, last-known presence, queued alerts). */
  db: StoreExecutor;
  /** Adds and removes watches and opt-outs; tells the keeper of each change. */
  watches: WatchService;
  /** A user signed in (code, SSO exchange, verifyState): the keeper resumes their coverage now. */
  onSignedIn(tenantId: string, userId: string): void;
  /** A user signs out: the keeper deletes their subscription and moves their people to others. */
  releaseSignIn(request: SignOutRequest): Promise<SignOutOutcome>;
  /** Called with the conversation reference of every incoming activity (alerts store it). */
  onConversationSeen(reference: Partial<ConversationReference>): void | Promise<void>;
  /** Posts a message into a stored conversation outside a turn (opt-out notes). */
  sendToConversation: SendToConversation;
  botAppId?: string;
  logger: Logger;
  /** Clock (epoch ms); defaults to Date.now. */
  now?: () => number;
}

/** A command as it can be run again after sign-in: text without the bot's mention, and input. */
export interface CommandRequest {
  readonly text: string;
  readonly mentions: readonly { channelUserId: string; name: string; text: string }[];
  readonly value?: unknown;
}

/** One command's turn: the context, state, who asked and the bot's dependencies. */
export interface CommandTurn {
  readonly context: TurnContext;
  readonly state: TurnState;
  readonly user: ChannelUser;
  readonly deps: BotDeps;
  readonly logger: Logger;
  readonly now: () => number;
}
