import { execFileSync } from 'node:child_process';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_EVENTS } from '../core/rooms';
import type { SessionState } from '../core/session';
import { apiClient, completeJourney, createSession, waitFor } from '../scripts/lib/journey';
import { motoPath, startTopology } from './support/topology';

/**
 * Scaling out, on the production topology without containers (external PostgreSQL, an S3 server,
 * accounts from `npm run user`): two workers and two API instances share one Temporal, database
 * and store. A session started through one API streams its progress to a socket client of the
 * other, and when the worker making its clips dies, the other worker finishes the session.
 */
describe.skipIf(!motoPath)('two workers and two APIs on one Temporal, database and store', () => {
  let topology: Awaited<ReturnType<typeof startTopology>>;
  let socket: Socket | undefined;

  beforeAll(async () => {
    topology = await startTopology({ workers: 2, apis: 2 });
  }, 240_000);
  afterAll(async () => {
    socket?.close();
    await topology?.stop();
  });

  /** The worker whose process group runs an FFmpeg right now (one making a clip). */
  function workerRunningFfmpeg() {
    const out = execFileSync('ps', ['-eo', 'pgid=,comm='], { encoding: 'utf8' });
    const groups = out
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter(([, command]) => command === 'ffmpeg')
      .map(([group]) => Number(group));
    return topology.workers.find((w) => groups.includes(w.child.pid!));
  }

  it('streams progress across APIs and finishes a session when its clip worker dies', async () => {
    const [first, second] = topology.apis;
    const viaFirst = apiClient(`${first!.url}/api`);
    const viaSecond = apiClient(`${second!.url}/api`);
    await viaFirst.signIn(topology.user.email, topology.user.password);
    await viaSecond.signIn(topology.user.email, topology.user.password);

    const id = await createSession(viaFirst, 'green ceramic mug', 4);
    const events: Array<{ event: string; payload: unknown }> = [];
    socket = io(second!.url, {
      path: '/socket.io',
      auth: { token: viaSecond.token },
      transports: ['websocket'],
    });
    socket.onAny((event: string, payload: unknown) => events.push({ event, payload }));
    socket.on('connect', () => socket!.emit('join', { sessionId: id }));

    // Through the images and into the clips, acting through the first API.
    const images = await waitFor(viaFirst, id, (s) => s.stage === 'awaiting_image_approval');
    await viaFirst.answer(
      await viaFirst.api.sessions[':id'].images.approve.$post({
        param: { id },
        json: {
          imageIds: images.images.slice(0, 2).map((image) => image.id),
          videoPrompt: 'slow orbit, warm light',
        },
      }),
    );
    const deadline = Date.now() + 120_000;
    let victim = workerRunningFfmpeg();
    while (!victim) {
      const { state } = await viaFirst.read(id);
      expect(state.stage, 'the clips were made before a worker could be stopped').not.toBe(
        'awaiting_clip_approval',
      );
      if (Date.now() > deadline) throw new Error('no worker started making a clip');
      await new Promise((resolve) => setTimeout(resolve, 50));
      victim = workerRunningFfmpeg();
    }
    // The worker and its FFmpeg die at once, as a crashed container would.
    process.kill(-victim.child.pid!, 'SIGKILL');
    await victim.exited;

    const done = await completeJourney(viaSecond, id);
    expect(done.stage).toBe('completed');
    expect(done.clips.filter((c) => c.status === 'ready')).toHaveLength(2);
    const survivor = topology.workers.find((w) => w !== victim)!;
    expect(survivor.child.exitCode).toBeNull();

    // The socket on the second API heard the workers' progress and the states, to the end.
    const progress = events.filter((e) => e.event === SESSION_EVENTS.progress);
    expect(progress.length).toBeGreaterThan(0);
    const states = () =>
      events.filter((e) => e.event === SESSION_EVENTS.state).map((e) => e.payload as SessionState);
    expect(states().map((s) => s.stage)).toContain('generating_clips');
    // The row is written just before the last state is published.
    await expect.poll(() => states().at(-1)?.stage, { timeout: 10_000 }).toBe('completed');

    // Browser links are signed for the public endpoint, and the video is there.
    const { state } = await viaFirst.read(id);
    const link = (state as SessionState & { downloadUrl?: string }).downloadUrl!;
    expect(link.startsWith(`${topology.publicEndpoint}/studio/sessions/${id}/final/`)).toBe(true);
    const video = await fetch(link);
    expect(video.status).toBe(200);
    expect((await video.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
  }, 420_000);
});
