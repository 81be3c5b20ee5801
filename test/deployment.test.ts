import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requiredInCi } from './support/required';

/**
 * docker-compose.yml as Debian's docker-compose reads it (these machines have no Docker engine,
 * so `config` is as far as it goes; test/scale-out.test.ts runs the same topology without
 * containers), and the image it builds.
 */
const root = resolve(import.meta.dirname, '..');
const compose = requiredInCi(
  'docker-compose',
  process.env.DOCKER_COMPOSE_PATH ??
    ['/usr/bin/docker-compose', '/usr/local/bin/docker-compose'].find((p) => existsSync(p)),
);

const secrets = {
  POSTGRES_PASSWORD: 'compose-test-password',
  MINIO_ROOT_USER: 'studio',
  MINIO_ROOT_PASSWORD: 'compose-test-minio-password',
  JWT_SECRET: 'compose-test-secret-that-is-long-enough',
};

function config(env: Record<string, string>) {
  return execFileSync(compose!, ['-f', join(root, 'docker-compose.yml'), 'config'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** One service's block of `docker-compose config`'s output (services are indented by two). */
function service(output: string, name: string) {
  const lines = output.split('\n');
  const start = lines.indexOf(`  ${name}:`);
  expect(start, `service ${name}`).toBeGreaterThan(-1);
  const end = lines.findIndex((line, i) => i > start && /^ {0,2}\S/.test(line));
  return lines.slice(start + 1, end).join('\n');
}

describe.skipIf(!compose)('docker-compose.yml', () => {
  it('is valid, and refuses to start without its secrets', () => {
    const output = config(secrets);
    expect(output).toContain('services:');
    expect(() => config({ ...secrets, JWT_SECRET: '' })).toThrow(/set JWT_SECRET/);
  });

  it('migrates and registers the search attributes before the API and workers start', () => {
    const output = config(secrets);
    for (const name of ['api', 'worker']) {
      const block = service(output, name);
      expect(block).toMatch(/migrate:\n\s+condition: service_completed_successfully/);
      expect(block).toMatch(/temporal-setup:\n\s+condition: service_completed_successfully/);
    }
    // The studio's own setup (scripts/temporal-setup.ts, the code workers run at start), which
    // registers core/search-attributes.ts on every `up`, not a copy of the list.
    expect(service(output, 'temporal-setup')).toMatch(/scripts\/temporal-setup\.ts/);
  });

  it('signs browser links for the public S3 endpoint, not the internal one', () => {
    const output = config({ ...secrets, S3_PUBLIC_ENDPOINT: 'https://media.example.com' });
    for (const name of ['api', 'worker', 'web']) {
      const block = service(output, name);
      expect(block).toContain('S3_ENDPOINT: http://minio:9000');
      expect(block).toContain('S3_PUBLIC_ENDPOINT: https://media.example.com');
    }
  });

  it('publishes Temporal UI, which has no login, on the host loopback only', () => {
    const ui = service(config(secrets), 'temporal-ui');
    const published = [...ui.matchAll(/^\s+- (\S+)$/gm)].map((m) => m[1]);
    expect(published).toEqual(['127.0.0.1:8233:8080/tcp']);
  });
});

describe('the studio image (Dockerfile)', () => {
  const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');

  it('runs as an unprivileged user that owns its work folder', () => {
    const users = [...dockerfile.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]);
    expect(users.at(-1)).toBe('node');
    const workDir = /WORK_DIR=(\S+)/.exec(dockerfile)?.[1];
    expect(workDir).toBeDefined();
    const owned = /chown -R node:node (\S+)/.exec(dockerfile)?.[1];
    expect(owned && workDir!.startsWith(`${owned}/`)).toBe(true);
  });
});
