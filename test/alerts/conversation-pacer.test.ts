import assert from 'node:assert/strict';
import {
  ConversationPacer,
  TEAMS_CONVERSATION_LIMITS,
  type RateLimit,
} from '../../src/alerts/conversation-pacer';

function assertWithin(times: readonly number[], limits: readonly RateLimit[]): void {
  for (const limit of limits) {
    for (const [i, start] of times.entries()) {
      const count = times.slice(i).filter((t) => t < start + limit.windowMs).length;
      assert.ok(count <= limit.count, `${count} sends within ${limit.windowMs} ms of ${start}`);
    }
  }
}

/** Sends `n` as fast as the pacer allows, jumping the clock to each retry time. */
function burst(pacer: ConversationPacer, conversations: string[], n: number): number[][] {
  const sent = conversations.map(() => [] as number[]);
  let now = 0;
  while (sent.some((s) => s.length < n)) {
    let next = Number.POSITIVE_INFINITY;
    for (const [i, conversation] of conversations.entries()) {
      if (sent[i]!.length >= n) continue;
      const decision = pacer.take(conversation, 'tenant', now);
      if (decision.granted) {
        sent[i]!.push(now);
        next = now;
      } else next = Math.min(next, decision.retryAt);
    }
    now = next;
  }
  return sent;
}

describe('ConversationPacer', () => {
  it('keeps a burst of 100 sends to one conversation within 7/1 s, 8/2 s, 60/30 s', () => {
    const [times] = burst(new ConversationPacer(), ['conv'], 100);
    assertWithin(times!, TEAMS_CONVERSATION_LIMITS);
    assert.equal(times!.length, 100);
    assert.ok(times![99]! >= 30_000, '60/30 s forces the tail past 30 s');
  });

  it('caps an hour at 1,800 sends to one conversation', () => {
    const [times] = burst(new ConversationPacer(), ['conv'], 1_801);
    assert.ok(times![1_800]! >= times![0]! + 3_600_000);
  });

  it('caps a tenant at 50 sends a second across conversations', () => {
    const conversations = Array.from({ length: 20 }, (_, i) => `conv-${i}`);
    const sent = burst(new ConversationPacer(), conversations, 7);
    assertWithin(
      sent.flat().sort((a, b) => a - b),
      [{ count: 50, windowMs: 1_000 }],
    );
    for (const times of sent) assertWithin(times, TEAMS_CONVERSATION_LIMITS);
  });

  it('tells when to come back, and records nothing when it refuses', () => {
    const pacer = new ConversationPacer([{ count: 2, windowMs: 1_000 }], []);
    assert.deepEqual(pacer.take('c', 't', 0), { granted: true });
    assert.deepEqual(pacer.take('c', 't', 400), { granted: true });
    assert.deepEqual(pacer.take('c', 't', 500), { granted: false, retryAt: 1_000 });
    assert.deepEqual(pacer.take('c', 't', 1_000), { granted: true });
    assert.deepEqual(pacer.take('other', 't', 1_000), { granted: true });
  });

  it('counts a send from when it ended, so a slow request cannot squeeze the next window', () => {
    const pacer = new ConversationPacer([], [{ count: 2, windowMs: 1_000 }]);
    assert.deepEqual(pacer.take('a', 't', 0), { granted: true });
    assert.deepEqual(pacer.take('b', 't', 100), { granted: true });
    pacer.settle('a', 't', 0, 300);
    assert.deepEqual(pacer.take('c', 't', 1_000), { granted: false, retryAt: 1_100 });
    pacer.settle('b', 't', 100, 120);
    assert.deepEqual(pacer.take('c', 't', 1_100), { granted: false, retryAt: 1_120 });
    assert.deepEqual(pacer.take('c', 't', 1_120), { granted: true });
  });
});
