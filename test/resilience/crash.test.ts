import assert from 'node:assert/strict';
import path from 'node:path';
import { silentLogger } from '../../src/logging/logger';
import { seededRandom } from '../../tools/simulator/seeded-random';
import { openDatabase, type StoreDatabase } from '../../src/store/open-database';
import { recordFigure } from './resilience-figures';
import type { BotInstance } from './stack/bot-instance';
import { auditAlerts } from './stack/alert-audit';
import { channelUserOf, watchFromPersonalChat } from './stack/chat-flows';
import { BURST_START, runBurst, until } from './stack/presence-burst';
import { ORGANISATION, startResilienceStack, type ResilienceStack } from './stack/resilience-stack';
import { recordedPresenceMatches, storeCounts } from './stack/store-counts';

const CHANGES = 10_000;
const SEEDS = [11, 23, 47];
const WATCHERS = ORGANISATION.slice(0, 3);
const TARGETS = ORGANISATION.slice(6, 16);
/** How long the bot stays down before its supervisor restarts it (the burst goes on). */
const RESTART_DELAY_MS = 500;
/** Subscriptions covering each watched person (COVERAGE_REDUNDANCY's default). */
const REDUNDANCY = 2;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function coverage(stack: ResilienceStack): string[] {
  return stack.sim
    .subscriptions()
    .map((s) => `${s.id}:${[...s.userIds].sort().join(',')}`)
    .sort();
}

describe('crash: kill -9 during a burst of 10,000 presence changes, restarted while it goes on', function () {
  this.timeout(300_000);

  for (const seed of SEEDS) {
    describe(`seed ${seed}`, () => {
      let stack: ResilienceStack;
      let store: StoreDatabase | undefined;

      before(async () => {
        stack = await startResilienceStack();
      });

      after(async () => {
        await store?.close();
        await stack?.stop();
      });

      it('alerts every change once per watching conversation (or folds a late one into the next), subscriptions intact', async () => {
        const random = seededRandom(seed);
        for (const person of TARGETS) stack.sim.setPresence(person.id, BURST_START);
        const bot = await stack.startInstance('bot');
        const conversations = WATCHERS.map((watcher) => ({
          id: `a:personal-${watcher.id}`,
          type: 'personal' as const,
        }));
        for (const [i, watcher] of WATCHERS.entries()) {
          await watchFromPersonalChat(stack, conversations[i]!, channelUserOf(watcher), TARGETS);
        }
        const coveredBefore = coverage(stack);
        assert.equal(coveredBefore.length, REDUNDANCY);
        const killAt = 1_000 + Math.floor(random() * (CHANGES - 2_000));

        let restarted: Promise<BotInstance> | undefined;
        await runBurst(
          stack.sim,
          TARGETS,
          { from: 0, to: CHANGES },
          {
            pauseEvery: 50,
            pauseMs: 100,
            onChange: async (i) => {
              if (i !== killAt) return;
              await bot.kill();
              restarted = sleep(RESTART_DELAY_MS).then(() =>
                stack.startInstance('bot', { port: bot.port }),
              );
            },
          },
        );
        const restartedBot = await restarted!;
        store = await openDatabase(
          { kind: 'sqlite', file: path.join(stack.dir, 'data', 'presence-watch.sqlite') },
          silentLogger(),
        );
        const db = store.db;
        await until(
          'every notification delivered and processed, every alert finished',
          async () => {
            const matches = await recordedPresenceMatches(db, stack.sim, TARGETS);
            const counts = await storeCounts(db);
            return (
              (stack.sim.counters().counters.notificationsDelivered ?? 0) >= CHANGES * REDUNDANCY &&
              (counts.inboxByStatus.pending ?? 0) === 0 &&
              counts.unconsumedChanges === 0 &&
              (counts.alertsByStatus.pending ?? 0) === 0 &&
              matches
            );
          },
          180_000,
          async () => ({ store: await storeCounts(db), sim: stack.sim.counters().counters }),
        );
        const counts = await storeCounts(db);
        const audit = auditAlerts(
          stack.connector,
          stack.sim,
          conversations.map((c) => c.id),
          TARGETS,
        );
        const alerts = counts.changes * conversations.length;
        const finished = (counts.alertsByStatus.sent ?? 0) + (counts.alertsByStatus.dropped ?? 0);
        recordFigure('crash', `seed ${seed}: killed after change`, killAt + 1);
        recordFigure(
          'crash',
          `seed ${seed}: changes alerted / folded into a later one`,
          `${counts.changes} / ${CHANGES - counts.changes}`,
        );
        recordFigure('crash', `seed ${seed}: alerts lost`, alerts - finished, '0');
        recordFigure(
          'crash',
          `seed ${seed}: chain breaks (lost or duplicated)`,
          audit.breaks.length,
          '0',
        );
        recordFigure(
          'crash',
          `seed ${seed}: cards resent after the kill`,
          audit.repeatedCards,
          '≤ 1 per conversation',
        );

        assert.equal(counts.inboxByStatus.rejected ?? 0, 0, 'no notification rejected');
        assert.ok(counts.changes <= CHANGES, `${counts.changes} changes for ${CHANGES} made`);
        assert.equal(counts.alertsByStatus.failed ?? 0, 0);
        assert.equal(finished, alerts, 'one alert per recorded change per watching conversation');
        assert.deepEqual(audit.breaks.slice(0, 5), []);
        assert.deepEqual(audit.wrongFinal, []);
        assert.ok(
          audit.repeatedCards <= conversations.length,
          `${audit.repeatedCards} cards resent`,
        );
        assert.deepEqual(
          coverage(stack),
          coveredBefore,
          'the same subscriptions cover the same people',
        );
        await restartedBot.stop();
      });
    });
  }
});
