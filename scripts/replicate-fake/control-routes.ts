import type { IncomingMessage, ServerResponse } from 'node:http';
import { faultRuleSchema } from './faults';
import { HttpError, describeIssues, readJson, sendJson } from './http';
import type { RouteDeps } from './route-deps';

/** `/_fake/*`: faults, release and stats for tests running in another process. */

export async function controlRoute(
  deps: RouteDeps,
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  path: string,
): Promise<void> {
  const route = `${method} ${path}`;
  if (route === 'POST /_fake/faults') {
    const parsed = faultRuleSchema.safeParse(await readJson(req));
    if (!parsed.success) throw new HttpError(400, describeIssues(parsed.error, ''));
    deps.faults.add(parsed.data);
    sendJson(res, 201, { added: parsed.data });
  } else if (route === 'DELETE /_fake/faults') {
    deps.faults.clear();
    res.writeHead(204).end();
  } else if (route === 'POST /_fake/release') {
    const body = await readJson(req);
    const id = typeof body.id === 'string' ? body.id : undefined;
    deps.store.release(id);
    sendJson(res, 200, { released: id ?? 'all' });
  } else if (route === 'GET /_fake/stats') {
    sendJson(res, 200, deps.stats());
  } else {
    throw new HttpError(404, 'Not found.');
  }
}
