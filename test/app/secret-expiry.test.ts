import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { checkSecretExpiry } from '../../src/app/secret-expiry';
import { createLogger } from '../../src/logging/logger';
import { loadConfig } from '../../src/config/config';

const DAY_MS = 24 * 60 * 60 * 1000;
const NOW = Date.parse('2027-01-10T00:00:00Z');

function capturedLogger(): {
  logger: ReturnType<typeof createLogger>;
  lines: () => Record<string, unknown>[];
} {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'));
      callback();
    },
  });
  const logger = createLogger({ level: 'info', format: 'json', destination });
  return {
    logger,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('secret expiry warnings', () => {
  it('warns, with the days left, when BOT_PASSWORD expires within 30 days', () => {
    const { logger, lines } = capturedLogger();
    const config = loadConfig({ BOT_PASSWORD_EXPIRES_AT: '2027-02-01T00:00:00Z' });
    checkSecretExpiry({ expiresAt: config.bot.passwordExpiresAt, now: () => NOW, logger });
    const [line] = lines();
    assert.equal(line?.level, 40);
    assert.equal(line?.daysLeft, 22);
    assert.equal(line?.expiresAt, '2027-02-01T00:00:00.000Z');
    assert.match(String(line?.msg), /expires in 22 day\(s\): rotate it/);
  });

  it('says nothing while the expiry is further away, or unknown', () => {
    const { logger, lines } = capturedLogger();
    checkSecretExpiry({ expiresAt: NOW + 31 * DAY_MS, now: () => NOW, logger });
    checkSecretExpiry({ expiresAt: undefined, now: () => NOW, logger });
    assert.deepEqual(lines(), []);
  });

  it('logs an error once the secret has expired', () => {
    const { logger, lines } = capturedLogger();
    checkSecretExpiry({ expiresAt: NOW - 1, now: () => NOW, logger });
    const [line] = lines();
    assert.equal(line?.level, 50);
    assert.match(String(line?.msg), /has expired/);
  });

  it('accepts a date as the portal shows it and refuses one that is not a date', () => {
    assert.equal(
      loadConfig({ BOT_PASSWORD_EXPIRES_AT: '2027-06-01' }).bot.passwordExpiresAt,
      Date.parse('2027-06-01T00:00:00Z'),
    );
    assert.throws(
      () => loadConfig({ BOT_PASSWORD_EXPIRES_AT: 'in six months' }),
      /BOT_PASSWORD_EXPIRES_AT/,
    );
  });
});
