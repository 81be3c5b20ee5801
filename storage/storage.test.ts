import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../scripts/lib/ports';
import { createFsStorage } from './fs-storage';
import { createS3Storage } from './s3-storage';
import { signingWindow } from './signing';
import { assetKey, type Storage } from './types';
import { requiredInCi } from '../test/support/required';

/**
 * Both drivers pass the same contract: the fs driver in a temp folder, the s3 driver against a
 * real S3-compatible server (moto, started here on loopback).
 */
const motoPath = requiredInCi(
  'The S3 test server (moto_server)',
  process.env.S3_TEST_SERVER_PATH ??
    [join(import.meta.dirname, '..', '.tools', 'venv', 'bin', 'moto_server')].find((p) =>
      existsSync(p),
    ),
);

function contract(name: string, make: () => Promise<{ storage: Storage; dir: string }>) {
  describe(`${name} storage`, () => {
    let storage: Storage;
    let dir: string;
    beforeAll(async () => {
      ({ storage, dir } = await make());
    });

    it('stores a file, reporting its size and sha256, and copies it back out', async () => {
      const content = Buffer.from(`pixels of ${name} ${Date.now()}`);
      const local = join(dir, 'in.png');
      await writeFile(local, content);
      const key = assetKey('session-abc', 'image', '0b7e2c7a-1111-4a4a-9999-222233334444', 'png');
      const stored = await storage.putFile(key, local, 'image/png');
      expect(stored).toEqual({
        key: 'sessions/session-abc/images/0b7e2c7a-1111-4a4a-9999-222233334444.png',
        bytes: content.length,
        sha256: createHash('sha256').update(content).digest('hex'),
      });
      expect(await storage.head(key)).toEqual({ bytes: content.length, contentType: 'image/png' });
      const out = join(dir, 'out.png');
      await storage.getToFile(key, out);
      expect(await readFile(out)).toEqual(content);
      const opened = await storage.open(key);
      const chunks: Buffer[] = [];
      for await (const chunk of opened!.body) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks)).toEqual(content);
    });

    it('says plainly when an object does not exist, and deletes', async () => {
      expect(await storage.head('sessions/none/images/missing.png')).toBeNull();
      expect(await storage.open('sessions/none/images/missing.png')).toBeNull();
      const local = join(dir, 'gone.txt');
      await writeFile(local, 'x');
      await storage.putFile('sessions/s/final/gone.mp4', local, 'video/mp4');
      await storage.delete('sessions/s/final/gone.mp4');
      expect(await storage.head('sessions/s/final/gone.mp4')).toBeNull();
    });

    it('gives the same link for a key all through its signing window, so browsers cache it', async () => {
      const key = 'sessions/s/images/0b7e2c7a-1111-4a4a-9999-222233334444.png';
      // Two reads of a session a moment apart; if a window boundary fell between them, read again.
      for (;;) {
        const window = signingWindow(3600).signedAt;
        const first = await storage.signedUrl(key, { expiresInSeconds: 3600 });
        const second = await storage.signedUrl(key, { expiresInSeconds: 3600 });
        if (signingWindow(3600).signedAt !== window) continue;
        expect(second).toBe(first);
        const other = await storage.signedUrl(key, {
          expiresInSeconds: 3600,
          downloadName: 'a.png',
        });
        expect(other).not.toBe(first);
        break;
      }
    });

    it('answers the readiness check', async () => {
      await expect(storage.check()).resolves.toBeUndefined();
    });
  });
}

contract('fs', async () => {
  const dir = await mkdtemp(join(inject('testWorkDir'), 'fs-storage-'));
  return {
    dir,
    storage: createFsStorage({
      root: join(dir, 'store'),
      signingSecret: 's'.repeat(32),
      urlPrefix: '/api/files',
    }),
  };
});

describe('signing windows', () => {
  it('round the signing time down to a quarter of the lifetime and keep most of it', () => {
    const at = Date.UTC(2026, 0, 1, 12, 0, 0);
    const start = signingWindow(3600, at);
    expect(signingWindow(3600, at + 899_000)).toEqual(start);
    const next = signingWindow(3600, at + 900_000);
    expect(next.signedAt).toBe(start.signedAt + 900);
    for (const now of [at, at + 450_000, at + 899_999]) {
      const { expiresAt } = signingWindow(3600, now);
      expect(expiresAt - now / 1000).toBeGreaterThanOrEqual(2700);
    }
  });
});

describe('fs storage keys', () => {
  it('refuses keys that would escape the store', async () => {
    const dir = await mkdtemp(join(inject('testWorkDir'), 'fs-escape-'));
    const storage = createFsStorage({
      root: join(dir, 'store'),
      signingSecret: 's'.repeat(32),
      urlPrefix: '/x',
    });
    await writeFile(join(dir, 'secret'), 'x');
    await expect(storage.getToFile('../secret', join(dir, 'copy'))).rejects.toThrow(/known shape/);
    expect(() => assetKey('../etc', 'image', 'a', 'png')).toThrow(/plain identifiers/);
  });

  it('refuses every key that is not one the server builds, even inside the store', async () => {
    const dir = await mkdtemp(join(inject('testWorkDir'), 'fs-shapes-'));
    const storage = createFsStorage({
      root: join(dir, 'store'),
      signingSecret: 's'.repeat(32),
      urlPrefix: '/x',
    });
    const local = join(dir, 'file.png');
    await writeFile(local, 'x');
    const own = 'uploads/0b7e2c7a-1111-4a4a-9999-222233334444/aaaa-bbbb.png';
    await storage.putFile(own, local, 'image/png');
    for (const key of [
      'uploads/u1/../0b7e2c7a-1111-4a4a-9999-222233334444/aaaa-bbbb.png',
      'uploads/u1/./x.png',
      'sessions/s1/images/../../uploads/u/x.png',
      'sessions/s1/secrets/x.png',
      '/etc/passwd',
      'uploads/u1/x.png\u0000',
      '.ready-probe',
    ]) {
      expect(await storage.head(key), key).toBeNull();
      await expect(storage.putFile(key, local, 'image/png'), key).rejects.toThrow(/known shape/);
      await expect(storage.getToFile(key, join(dir, 'copy')), key).rejects.toThrow(/known shape/);
      expect(() => storage.signedUrl(key, { expiresInSeconds: 60 }), key).toThrow(/known shape/);
    }
    expect(await storage.head(own)).toMatchObject({ bytes: 1 });
  });
});

describe.skipIf(!motoPath)('s3 driver against an S3-compatible server', () => {
  let moto: ChildProcess;
  let endpoint: string;
  const credentials = { accessKeyId: 'test-key', secretAccessKey: 'test-secret' };

  beforeAll(async () => {
    const port = await freePort();
    endpoint = `http://127.0.0.1:${port}`;
    moto = spawn(motoPath!, ['-H', '127.0.0.1', '-p', String(port)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await new Promise<void>((ready, fail) => {
      const watch = (chunk: Buffer) => chunk.toString().includes('Running on') && ready();
      moto.stdout!.on('data', watch);
      moto.stderr!.on('data', watch);
      moto.once('exit', (code) => fail(new Error(`moto_server exited with code ${code}`)));
    });
    const admin = new S3Client({
      region: 'us-east-1',
      endpoint,
      forcePathStyle: true,
      credentials,
    });
    await admin.send(new CreateBucketCommand({ Bucket: 'studio-test' }));
  });
  afterAll(() => {
    moto?.kill();
  });

  const make = async () => ({
    dir: await mkdtemp(join(inject('testWorkDir'), 's3-storage-')),
    storage: createS3Storage({
      bucket: 'studio-test',
      region: 'us-east-1',
      endpoint,
      forcePathStyle: true,
      ...credentials,
    }),
  });
  contract('s3', make);

  it('signs URLs a browser can fetch, with a download name', async () => {
    const { storage, dir } = await make();
    await writeFile(join(dir, 'ad.mp4'), 'not really a video');
    await storage.putFile('sessions/s/final/ad.mp4', join(dir, 'ad.mp4'), 'video/mp4');
    const url = await storage.signedUrl('sessions/s/final/ad.mp4', {
      expiresInSeconds: 60,
      downloadName: 'my ad.mp4',
    });
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('not really a video');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="my_ad.mp4"');
  });

  it('signs browser links with the public endpoint, and stores through the internal one', async () => {
    const { dir } = await make();
    // The same server under the name a browser would use; the internal name stays in the workers.
    const publicEndpoint = endpoint.replace('127.0.0.1', 'localhost');
    const storage = createS3Storage({
      bucket: 'studio-test',
      region: 'us-east-1',
      endpoint,
      publicEndpoint,
      forcePathStyle: true,
      ...credentials,
    });
    await writeFile(join(dir, 'clip.mp4'), 'a clip');
    await storage.putFile('sessions/s/clips/c.mp4', join(dir, 'clip.mp4'), 'video/mp4');
    const url = await storage.signedUrl('sessions/s/clips/c.mp4', { expiresInSeconds: 60 });
    expect(url.startsWith(`${publicEndpoint}/studio-test/sessions/s/clips/c.mp4?`)).toBe(true);
    const response = await fetch(url);
    expect(await response.text()).toBe('a clip');
  });

  it('fails the readiness check for a bucket that does not exist', async () => {
    const storage = createS3Storage({
      bucket: 'no-such-bucket',
      region: 'us-east-1',
      endpoint,
      forcePathStyle: true,
      ...credentials,
    });
    await expect(storage.check()).rejects.toThrow();
  });
});
