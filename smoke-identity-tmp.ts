import { startSimulator } from './src/simulator/simulator-server';
import { silentLogger } from './src/logging/logger';
async function main() {
  const sim = await startSimulator({ port: 0, host: '127.0.0.1', logger: silentLogger(), presenceEngine: 'manual' } as never);
  const state = Buffer.from(JSON.stringify({ connectionName: 'c', msAppId: 'bot', conversation: { user: { id: 'user-id-0', aadObjectId: '00000000-0000-0000-0000-0000000000020' }, channelId: 'msteams' } })).toString('base64');
  const page = await (await fetch(`${sim.url}/signin?state=${encodeURIComponent(state)}`)).text();
  process.stdout.write((/Signed in as[^\n]*/.exec(page)?.[0] ?? 'NO MATCH') + '\n');
  const r = await fetch(`${sim.url}/api/usertoken/exchange?userId=user-id-0&connectionName=c&channelId=msteams`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: 'x' }) });
  process.stdout.write(r.status + ' ' + (await r.text()) + '\n');
  const t = await fetch(`${sim.url}/${'00000000-0000-0000-0000-0000000000001'}/oauth2/v2.0/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=refresh_token&refresh_token=zzz' });
  process.stdout.write(t.status + ' ' + (await t.text()) + '\n');
  await sim.stop();
}
main();
