import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTrusted, parseTrustedProxies } from './client-address';

/**
 * Issue 15: docker-compose.yml trusted every private range as a proxy, so any client on an
 * office network could name its own address for the rate limits. The compose default is now the
 * `web` service itself, a host name the API looks up (and looks up again when it moves).
 */
describe('trusted proxies', () => {
  it('takes addresses, ranges and host names, and refuses anything else by name', () => {
    const proxies = parseTrustedProxies('127.0.0.1, ::1, 10.1.0.0/16, web', {
      lookup: () => Promise.resolve([]),
    });
    expect(proxies.hosts).toEqual(['web']);
    expect(isTrusted(proxies, '::ffff:127.0.0.1')).toBe(true);
    expect(isTrusted(proxies, '10.1.2.3')).toBe(true);
    expect(isTrusted(proxies, '10.2.0.1')).toBe(false);
    for (const bad of ['10.0.0.0/33', 'web/8', 'not a host', '300.1.1.1']) {
      expect(() => parseTrustedProxies(bad)).toThrow(/"/);
    }
  });

  it('trusts exactly what a host name resolves to, and follows it when it moves', async () => {
    let now = 0;
    let address = '172.18.0.5';
    const asked: string[] = [];
    const proxies = parseTrustedProxies('web', {
      lookup: (host) => {
        asked.push(host);
        return Promise.resolve([address]);
      },
      now: () => now,
    });
    await proxies.refresh();
    expect(isTrusted(proxies, '172.18.0.5')).toBe(true);
    expect(isTrusted(proxies, '172.18.0.6')).toBe(false);
    // The container restarts elsewhere: an unknown peer makes the API look again (not too often).
    address = '172.18.0.9';
    const looked = asked.length;
    now += 1_000;
    expect(isTrusted(proxies, '172.18.0.9')).toBe(false);
    expect(asked.length).toBe(looked);
    now += 5_000;
    isTrusted(proxies, '172.18.0.9');
    await proxies.refresh();
    expect(isTrusted(proxies, '172.18.0.9')).toBe(true);
    expect(isTrusted(proxies, '172.18.0.5')).toBe(false);
  });

  it("docker-compose.yml trusts the web service only, not the office's private ranges", async () => {
    const compose = readFileSync(join(import.meta.dirname, '..', 'docker-compose.yml'), 'utf8');
    const fallback = /TRUSTED_PROXIES: \$\{TRUSTED_PROXIES:-([^}]*)\}/.exec(compose)?.[1];
    expect(fallback).toBeDefined();
    const proxies = parseTrustedProxies(fallback!, {
      lookup: (host) => Promise.resolve(host === 'web' ? ['172.23.0.4'] : []),
    });
    await proxies.refresh();
    expect(isTrusted(proxies, '172.23.0.4')).toBe(true);
    for (const office of ['10.0.0.23', '172.16.5.5', '192.168.1.20', '172.23.0.5']) {
      expect(isTrusted(proxies, office)).toBe(false);
    }
  });
});
