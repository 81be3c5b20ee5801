import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import net from 'node:net';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort, isPortFree } from '../scripts/lib/ports';
import { startProcess, type ManagedProcess } from '../scripts/lib/processes';
import { chromiumPath, launchBrowser } from './support/browser';
import { temporalCli } from './support/temporal-cli';

/**
 * `npm start`'s runner as a person uses it: everything comes up from an empty data folder,
 * the studio signs a user in through a real browser, Ctrl-C leaves nothing running, a second
 * start reuses the data, and a taken port gives a clear message.
 */
const root = resolve(import.meta.dirname, '..');

describe('npm start (scripts/stack.ts)', () => {
  let dataDir: string;
  let ports: Record<
    'PG_PORT' | 'TEMPORAL_PORT' | 'TEMPORAL_UI_PORT' | 'API_PORT' | 'WEB_PORT',
    number
  >;
  let stack: ManagedProcess | undefined;

  beforeAll(async () => {
    const parent = await mkdtemp(join(inject('testWorkDir'), 'stack-'));
    await chmod(parent, 0o755);
    dataDir = join(parent, 'data');
    await mkdir(dataDir);
    ports = {
      PG_PORT: await freePort(),
      TEMPORAL_PORT: await freePort(),
      TEMPORAL_UI_PORT: await freePort(),
      API_PORT: await freePort(),
      WEB_PORT: await freePort(),
    };
  });
  afterAll(async () => {
    await stack?.stop();
  });

  function start() {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATA_DIR: dataDir,
      TEMPORAL_CLI_PATH: temporalCli(),
    };
    delete env.DATABASE_URL;
    delete env.TEMPORAL_ADDRESS;
    for (const [name, port] of Object.entries(ports)) env[name] = String(port);
    return startProcess('stack', process.execPath, ['--import', 'tsx', 'scripts/stack.ts'], {
      env,
      cwd: root,
      quiet: true,
    });
  }

  /** Processes whose command line mentions this test's data folder (PostgreSQL, Temporal). */
  function processesUsingData() {
    const out = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
    return out.split('\n').filter((line) => line.includes(dataDir));
  }

  async function stopWithCtrlC(process_: ManagedProcess) {
    process.kill(process_.child.pid!, 'SIGINT');
    return process_.exited;
  }

  it('brings everything up from an empty data folder and reports it ready', async () => {
    stack = start();
    const firstOutput: string[] = [];
    stack.child.stdout!.on('data', (chunk: Buffer) => firstOutput.push(chunk.toString()));
    await stack.waitFor(/Ad Studio is up/, 180_000);
    const web = `http://127.0.0.1:${ports.WEB_PORT}`;

    const ready = await fetch(`${web}/api/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      checks: { database: { ok: true }, temporal: { ok: true }, storage: { ok: true } },
    });
    expect(firstOutput.join('')).toContain(
      `Temporal UI   http://127.0.0.1:${ports.TEMPORAL_UI_PORT}`,
    );

    const ui = await fetch(
      `http://127.0.0.1:${ports.TEMPORAL_UI_PORT}/namespaces/default/workflows`,
    );
    expect(ui.status).toBe(200);

    const connection = await Connection.connect({ address: `127.0.0.1:${ports.TEMPORAL_PORT}` });
    const client = new Client({ connection });
    for (const taskQueue of ['studio', 'studio-render']) {
      const described = await client.workflowService.describeTaskQueue({
        namespace: 'default',
        taskQueue: { name: taskQueue },
        taskQueueType: 2, // activity pollers
      });
      expect(described.pollers.length, `pollers on ${taskQueue}`).toBeGreaterThan(0);
    }
    await connection.close();
  });

  /** The pid of the stack's child running `script` with `args`, e.g. worker/main.ts activities. */
  function childRunning(script: string, ...args: string[]) {
    const out = execFileSync('ps', ['-eo', 'pid,ppid,args'], { encoding: 'utf8' });
    const line = out
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .find(
        ([, ppid, ...command]) =>
          Number(ppid) === stack!.child.pid &&
          [script, ...args].every((arg) => command.includes(arg)),
      );
    return line ? Number(line[0]) : undefined;
  }

  it('runs media work at a lower CPU priority than the workflows and the API', () => {
    /** The nice value of a process (/proc/<pid>/stat, the 19th field). */
    const niceOf = (pid: number | undefined) => {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    };
    const own = niceOf(process.pid);
    expect(niceOf(childRunning('worker/main.ts', 'activities'))).toBe(Math.min(19, own + 10));
    expect(niceOf(childRunning('worker/main.ts', 'workflows'))).toBe(own);
    expect(niceOf(childRunning('api/main.ts'))).toBe(own);
  });

  it('restarts a worker that was killed, says so, and clears what it was making', async () => {
    // The activities' worker: the one making media (the workflows run in `flows`).
    const worker = childRunning('worker/main.ts', 'activities');
    expect(worker).toBeDefined();
    // The killed worker's scratch folder, with a clip it was half-way through.
    const scratch = join(dataDir, 'work', `worker-${worker}-${hostname()}`);
    expect(existsSync(scratch)).toBe(true);
    await mkdir(join(scratch, 'clip-a1b2c3'));
    await writeFile(join(scratch, 'clip-a1b2c3', 'frame-0001.png'), 'half-made');
    const restarted = stack!.waitFor(/worker is running again \(pid \d+\)/, 60_000);
    const announced = stack!.waitFor(/worker was killed \(SIGKILL\); restarting it in 1 s/, 10_000);
    process.kill(worker!, 'SIGKILL');
    await announced;
    const line = await restarted;
    const pid = Number(/pid (\d+)/.exec(line)![1]);
    expect(pid).not.toBe(worker);
    expect(childRunning('worker/main.ts', 'activities')).toBe(pid);
    expect(existsSync(scratch)).toBe(false);
    // Its folder and the workflows process's: nothing of the killed one is left.
    const flows = childRunning('worker/main.ts', 'workflows');
    expect(readdirSync(join(dataDir, 'work')).sort()).toEqual(
      [`worker-${pid}-${hostname()}`, `worker-${flows}-${hostname()}`].sort(),
    );
    // The rest of the stack stayed up.
    const ready = await fetch(`http://127.0.0.1:${ports.WEB_PORT}/api/ready`);
    expect(ready.status).toBe(200);
  });

  it('restarts PostgreSQL and Temporal when they are killed; meanwhile the API answers 503, never 500', async () => {
    const web = `http://127.0.0.1:${ports.WEB_PORT}`;
    const login = await fetch(`${web}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'demo@studio.local', password: 'demo-studio' }),
    });
    const { token } = (await login.json()) as { token: string };
    const statuses: number[] = [];
    const read = async () => {
      const response = await fetch(`${web}/api/sessions`, {
        headers: { authorization: `Bearer ${token}` },
      });
      statuses.push(response.status);
      return response.status;
    };
    const servesAgain = async () => {
      while ((await read()) !== 200) await new Promise((resolve) => setTimeout(resolve, 250));
    };

    const postmaster = Number(
      readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0],
    );
    const pgKilled = stack!.waitFor(/PostgreSQL was killed \(SIGKILL\); restarting it/, 10_000);
    const pgBack = stack!.waitFor(/PostgreSQL is running again/, 120_000);
    process.kill(postmaster, 'SIGKILL');
    await pgKilled;
    await read();
    await pgBack;
    await servesAgain();

    const temporal = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
      .split('\n')
      .find((line) => line.includes('start-dev') && line.includes(join(dataDir, 'temporal.db')));
    const temporalPid = Number(temporal?.trim().split(/\s+/)[0]);
    const temporalKilled = stack!.waitFor(
      /Temporal dev server was killed \(SIGKILL\); restarting it/,
      10_000,
    );
    const temporalBack = stack!.waitFor(/Temporal dev server is running again/, 120_000);
    process.kill(temporalPid, 'SIGKILL');
    await temporalKilled;
    await temporalBack;
    for (;;) {
      const ready = await fetch(`${web}/api/ready`);
      if (ready.status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await servesAgain();
    expect(statuses.filter((status) => status !== 200 && status !== 503)).toEqual([]);
  });

  it.skipIf(!chromiumPath)('signs the demo user in through a real browser', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${ports.WEB_PORT}/`);
      await page.waitForURL('**/login');
      await page.getByLabel('Email').fill('demo@studio.local');
      await page.getByLabel('Password').fill('wrong password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect
        .poll(() => page.getByRole('alert').textContent())
        .toBe('Wrong email or password.');

      await page.getByLabel('Password').fill('demo-studio');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Hello, Demo' }).waitFor();
      const checks = page.getByTestId('readiness').locator('li');
      await expect.poll(() => checks.count()).toBe(3);
      expect(await checks.allTextContents()).toEqual([
        expect.stringMatching(/database\s*up/),
        expect.stringMatching(/temporal\s*up/),
        expect.stringMatching(/storage\s*up/),
      ]);
      await page.screenshot({ path: join(root, 'test-results', 'home.png') });
    } finally {
      await browser.close();
    }
  });

  it.skipIf(!chromiumPath)(
    'makes an ad in the browser: images, clips, composition, final video and download',
    async () => {
      const web = `http://127.0.0.1:${ports.WEB_PORT}`;
      const shot = (name: string) => join(root, 'test-results', `${name}.png`);
      const browser = await launchBrowser();
      try {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        page.setDefaultTimeout(30_000);
        await page.goto(`${web}/login`);
        await page.getByLabel('Email').fill('demo@studio.local');
        await page.getByLabel('Password').fill('demo-studio');
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('heading', { name: 'Hello, Demo' }).waitFor();

        await page.getByRole('link', { name: 'New session' }).click();
        await page.getByRole('heading', { name: 'New session' }).waitFor();
        // This prompt's planned seed is above 2^31 (it once overflowed an INTEGER seed column).
        await page
          .getByLabel('Product', { exact: true })
          .fill('Red running shoes with a white sole');
        // A product shot: a red shoe-box shape on a plain studio backdrop, which the studio cuts out.
        const photo = await sharp(
          Buffer.from(
            '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300">' +
              '<rect width="400" height="300" fill="#ececea"/>' +
              '<rect x="90" y="110" width="220" height="110" rx="24" fill="#d62828"/></svg>',
          ),
        )
          .png()
          .toBuffer();
        await page
          .getByLabel(/Product photo/)
          .setInputFiles({ name: 'shoe.png', mimeType: 'image/png', buffer: photo });
        await page.getByText('Your product is cut out of the photo once').waitFor();
        await page.getByLabel('Images').fill('4');
        await page.getByTestId('quote').getByText('costs $0').waitFor();
        await page.screenshot({ path: shot('new-session') });
        await page.getByRole('button', { name: 'Create session' }).click();
        await page.waitForURL('**/sessions/session-*');
        const sessionId = new URL(page.url()).pathname.split('/').pop()!;
        const started = (await page.evaluate(
          async (id) => (await fetch(`/api/sessions/${id}`)).json(),
          sessionId,
        )) as { productPhotoKey?: string };
        expect(started.productPhotoKey).toMatch(/^uploads\/.+\.png$/);
        // The plan review (on by default in the form): the style, the shots and the cutout,
        // before any image is made. One style line is edited; the edit reaches the session.
        const review = page.getByTestId('plan-review');
        await review.waitFor();
        await review.getByTestId('planned-length').getByText('10 seconds').waitFor();
        await review.getByRole('img', { name: 'Your product, cut out' }).waitFor();
        await expect.poll(() => review.getByTestId('shot-role').count()).toBe(4);
        await review.getByLabel('Mood').fill('bold and bright');
        await review.getByLabel('The cutout looks right').check();
        await page.screenshot({ path: shot('plan-review'), fullPage: true });
        await review.getByRole('button', { name: 'Approve the plan and make the images' }).click();
        await expect
          .poll(
            async () =>
              (
                (await page.evaluate(
                  async (id) => (await fetch(`/api/sessions/${id}`)).json(),
                  sessionId,
                )) as { style?: { mood?: string } }
              ).style?.mood,
          )
          .toBe('bold and bright');
        await page.getByTestId('image-grid').waitFor();
        await page.screenshot({ path: shot('images-generating') });

        // The local studio draws the four images; they become selectable when all are ready.
        await page.getByLabel('Use image 4').waitFor({ timeout: 180_000 });
        await page.getByTestId('product-cutout').getByRole('img').waitFor();
        await page.getByLabel('Use image 1').check();
        await page.getByLabel('Use image 3').check();
        await page.getByLabel('Describe the video').fill('Slow, premium feel with smooth moves');
        await page.screenshot({ path: shot('images-approval'), fullPage: true });
        await page.getByRole('button', { name: 'Approve 2 images' }).click();

        const clipList = page.getByTestId('clip-list');
        await clipList.waitFor({ timeout: 180_000 });
        await expect.poll(() => clipList.locator('video').count()).toBe(2);
        // The keyboard alternative to drag and drop reorders the clips.
        const firstBefore = await clipList.locator('video').first().getAttribute('src');
        await page.getByRole('button', { name: 'Move clip 2 up' }).click();
        expect(await clipList.locator('video').nth(1).getAttribute('src')).toBe(firstBefore);
        await page.screenshot({ path: shot('clips-approval'), fullPage: true });
        await page.getByRole('button', { name: 'Approve 2 clips' }).click();

        await page.getByLabel('Product name').waitFor({ timeout: 60_000 });
        await page.getByLabel('Product name').fill('Volt Runner');
        await page.getByLabel('Call to action').fill('Shop now at volt.example');
        await page.getByLabel('Tagline').fill('Run lighter');
        // The default colours read; a pale text colour on them is flagged and the fix applies.
        const warning = page.getByTestId('contrast-warning');
        expect(await warning.count()).toBe(0);
        const textColour = page.getByLabel('Text', { exact: true });
        const primary = await page.getByLabel('Primary', { exact: true }).inputValue();
        await textColour.fill(primary);
        await warning.getByText(/contrast of 1\.0:1/).waitFor();
        await warning.getByTestId('contrast-fix').click();
        await expect.poll(() => warning.count()).toBe(0);
        expect(await textColour.inputValue()).not.toBe(primary);
        // Stills of the intro, the lower third over an approved image and the outro.
        await page.getByTestId('preview-button').click();
        const stills = page.getByTestId('preview-stills').locator('img');
        await expect.poll(() => stills.count(), { timeout: 20_000 }).toBe(3);
        await page.getByTestId('preview-stills').screenshot({ path: shot('preview') });
        await page.getByLabel('Add music').check();
        await page.getByLabel('Genre').selectOption('electronic');
        await page.screenshot({ path: shot('composition'), fullPage: true });
        await page.getByRole('button', { name: 'Render', exact: true }).click();

        const video = page.getByTestId('final-video');
        await video.waitFor({ timeout: 240_000 });
        await page.getByTestId('stage').getByText('Your ad is ready').waitFor();
        await expect
          .poll(() => video.evaluate((v) => (v as unknown as { readyState: number }).readyState), {
            timeout: 30_000,
          })
          .toBeGreaterThanOrEqual(1);
        await page.screenshot({ path: shot('final'), fullPage: true });

        const href = await page.getByRole('link', { name: 'Download MP4' }).getAttribute('href');
        expect(href).toBeTruthy();
        const download = await fetch(new URL(href!, web));
        expect(download.status).toBe(200);
        expect(download.headers.get('content-type')).toBe('video/mp4');
        expect((await download.arrayBuffer()).byteLength).toBeGreaterThan(10_000);

        // The ledger lists every call: two plans, the cutout, four images, two clips, music, the
        // voiceover the composition offers by default and the render, each succeeded once. A
        // slow machine may add a failed attempt that was retried; it is listed as failed, and
        // nothing is paid twice.
        const ledger = page.getByTestId('cost-ledger');
        await ledger.locator('summary').click();
        const succeeded = ledger.locator('tbody tr:not(.failed)');
        await expect.poll(() => succeeded.count(), { timeout: 10_000 }).toBeGreaterThan(0);
        const calls = await succeeded.allInnerTexts();
        expect(calls, calls.join('\n')).toHaveLength(12);
        expect(calls.filter((call) => /\tvoice\t/.test(call))).toHaveLength(1);
        await ledger.screenshot({ path: shot('cost-ledger') });
      } finally {
        await browser.close();
      }
    },
    420_000,
  );

  it('stops every process it started on Ctrl-C', async () => {
    expect(processesUsingData().length).toBeGreaterThan(0);
    expect(await stopWithCtrlC(stack!)).toBe(0);
    stack = undefined;
    expect(processesUsingData()).toEqual([]);
    for (const port of Object.values(ports))
      expect(await isPortFree(port), `port ${port}`).toBe(true);
  });

  it('starts again on the same data, keeping users and applying no migration twice', async () => {
    stack = start();
    const output: string[] = [];
    stack.child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    await stack.waitFor(/Ad Studio is up/, 120_000);
    expect(output.join('')).not.toContain('applied migrations');
    const login = await fetch(`http://127.0.0.1:${ports.WEB_PORT}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'demo@studio.local', password: 'demo-studio' }),
    });
    expect(login.status).toBe(200);
    expect(await stopWithCtrlC(stack)).toBe(0);
    stack = undefined;
  });

  it('stops every process it started on SIGTERM', async () => {
    stack = start();
    await stack.waitFor(/Ad Studio is up/, 120_000);
    expect(processesUsingData().length).toBeGreaterThan(0);
    process.kill(stack.child.pid!, 'SIGTERM');
    expect(await stack.exited).toBe(0);
    stack = undefined;
    expect(processesUsingData()).toEqual([]);
  });

  it('says clearly which port is taken and how to move it', async () => {
    const blocker = net.createServer();
    await new Promise<void>((done) => blocker.listen(ports.WEB_PORT, '127.0.0.1', done));
    try {
      const attempt = start();
      const lines: string[] = [];
      attempt.child.stderr!.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
      expect(await attempt.exited).toBe(1);
      expect(lines.join('')).toContain(
        `Port ${ports.WEB_PORT} (studio web UI) is already in use. Stop what uses it or set WEB_PORT.`,
      );
      expect(processesUsingData()).toEqual([]);
    } finally {
      blocker.close();
    }
  });
});
