import type { Logger } from '../../logging/logger';
import type { NotificationEventSink } from './inbox-worker';

/** A sink that only records that events arrived (type and subscription, never their content). */
export function createLoggingEventSink(logger: Logger): NotificationEventSink {
  const log = logger.child({ module: 'notification-events' });
  return {
    async handle(events) {
      for (const event of events) {
        log.info(
          { type: event.type, subscriptionId: event.subscriptionId },
          'notification received',
        );
      }
    },
  };
}
