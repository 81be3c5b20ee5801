import { execFileSync } from 'node:child_process';

/**
 * `npm run setup`: after the bootstrap has installed what was missing, shows what the studio
 * will use, so a person can see at a glance that the machine is ready.
 */
const firstLine = (command: string, args: string[]) => {
  try {
    return execFileSync(command, args, { encoding: 'utf8' }).split('\n')[0]!.trim();
  } catch {
    return 'not available';
  }
};

const rows: Array<[string, string]> = [
  ['node', process.version],
  ['temporal', firstLine(process.env.TEMPORAL_CLI_PATH ?? 'temporal', ['--version'])],
  ['ffmpeg', firstLine(process.env.FFMPEG_PATH ?? 'ffmpeg', ['-hide_banner', '-version'])],
  ['festival', firstLine('festival', ['--version'])],
  ['flite', firstLine('flite', ['--version'])],
  ['espeak-ng', firstLine('espeak-ng', ['--version'])],
  [
    'chromium',
    process.env.CHROMIUM_PATH
      ? firstLine(process.env.CHROMIUM_PATH, ['--version'])
      : 'not available (browser tests skip)',
  ],
  ['s3 test server', process.env.S3_TEST_SERVER_PATH ?? 'not available (S3 tests skip)'],
];
console.log('\nToolchain');
for (const [name, value] of rows) console.log(`  ${name.padEnd(15)} ${value}`);
console.log('\nReady: `npm start` runs the studio, `npm test` runs the tests.\n');
