import { startFakeReplicate } from './server';

/**
 * `npm run replicate:fake -- [--port 8790] [--token t] [--webhook-secret whsec_...]`: the fake
 * Replicate API for a studio run in another process. Faults and stats are reachable over HTTP
 * under /_fake (see README). Stops on Ctrl-C or SIGTERM.
 */

function option(name: string): string | undefined {
  const args = process.argv.slice(2);
  const index = args.indexOf(`--${name}`);
  if (index >= 0) return args[index + 1];
  return args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

async function main() {
  const portText = option('port') ?? process.env.REPLICATE_FAKE_PORT ?? '8790';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be a port number (got "${portText}").`);
  }
  const fake = await startFakeReplicate({
    port,
    token: option('token') ?? process.env.REPLICATE_FAKE_TOKEN,
    webhookSecret: option('webhook-secret'),
  });
  console.log(
    `Replicate fake on ${fake.baseUrl} (token ${fake.token}, webhook secret ${fake.webhookSecret})`,
  );
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void fake.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
