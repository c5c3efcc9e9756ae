import assert from 'node:assert/strict';
import { isAppError } from '../../src/errors/app-error';
import { silentLogger } from '../../src/logging/logger';
import { closeServer, createHttpServer, listen } from '../../src/server/http-server';

describe('http server: where it listens', () => {
  for (const host of ['0.0.0.0', '::', '192.168.1.20', 'bot.example.com', '']) {
    it(`refuses ${host || 'every address'} when authentication is off, without listening`, async () => {
      const server = createHttpServer(silentLogger());
      await assert.rejects(listen(server, 0, host, { loopbackOnly: true }), (error: unknown) =>
        isAppError(error, 'LISTEN_ADDRESS_NOT_LOOPBACK'),
      );
      assert.equal(server.server.listening, false);
    });
  }

  for (const host of ['127.0.0.1', '127.0.0.2', 'localhost', '::1']) {
    it(`listens on loopback ${host} when authentication is off`, async () => {
      const server = createHttpServer(silentLogger());
      try {
        assert.ok((await listen(server, 0, host, { loopbackOnly: true })) > 0);
      } catch (error) {
        if (host === '::1' && (error as NodeJS.ErrnoException).code === 'EADDRNOTAVAIL') return;
        throw error;
      } finally {
        if (server.server.listening) await closeServer(server);
      }
    });
  }

  it('listens on any address when authentication is on', async () => {
    const server = createHttpServer(silentLogger());
    assert.ok((await listen(server, 0, '0.0.0.0')) > 0);
    await closeServer(server);
  });
});
