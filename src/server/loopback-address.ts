import { isIP } from 'node:net';

/** True for a loopback host: `localhost`, 127.0.0.0/8, `::1` or an IPv4-mapped 127.x address. */
export function isLoopbackHost(host: string): boolean {
  const address = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  if (address === 'localhost') return true;
  if (isIP(address) === 4) return address.startsWith('127.');
  if (isIP(address) === 6) return address === '::1' || /^::ffff:127\./.test(address);
  return false;
}
