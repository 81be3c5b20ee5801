import { createRoute, z, type OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { Context, Schema } from 'hono';
import {
  ACTION_NAMES,
  SESSION_ACTIONS,
  type ActionInput,
  type ActionName,
} from '../../core/session-actions';
import { id } from '../../core/strings';
import type { AppEnv } from '../deps';
import { errorResponse, named } from './schemas';
import { SessionViewSchema } from './session-schema';

/**
 * One route per action of the table (core/session-actions), derived from its entry: the path
 * and summary it names, its schema as the body (less the field that comes from `{assetId}`), and
 * the session after the action as the answer. A new entry in the table is a new route here, typed
 * for the UI's client, with no code of its own.
 */

const IdParam = z.object({ id });
const AssetParam = IdParam.extend({ assetId: id });

export const sessionResponses = {
  200: {
    content: { 'application/json': { schema: SessionViewSchema } },
    description: 'The session after the action',
  },
  400: errorResponse('The request is not valid for this session'),
  401: errorResponse('Not signed in'),
  404: errorResponse('No such session'),
  409: errorResponse('The session is not at a stage that allows this'),
};

type Actions = typeof SESSION_ACTIONS;
type AssetParamOf<N extends ActionName> = Actions[N]['route'] extends { assetParam: infer P }
  ? P & string
  : never;
type BodyOf<N extends ActionName> = [AssetParamOf<N>] extends [never]
  ? Actions[N]['schema']
  : Actions[N]['schema'] extends z.ZodObject<infer Shape>
    ? z.ZodObject<Omit<Shape, AssetParamOf<N>>>
    : never;

/** The route of one action, typed by its entry. */
export type ActionRoute<N extends ActionName> = {
  method: 'post';
  path: Actions[N]['route']['path'];
  request: {
    params: [AssetParamOf<N>] extends [never] ? typeof IdParam : typeof AssetParam;
    body: { content: { 'application/json': { schema: BodyOf<N> } }; required: true };
  };
  responses: typeof sessionResponses;
};

const schemaName = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

function actionRoute<N extends ActionName>(name: N): ActionRoute<N> {
  const action = SESSION_ACTIONS[name];
  const assetParam = (action.route as { assetParam?: string }).assetParam;
  const body = assetParam
    ? (action.schema as z.ZodObject).omit({ [assetParam]: true } as never)
    : action.schema;
  return createRoute({
    method: 'post',
    path: action.route.path,
    summary: action.route.summary,
    request: {
      params: assetParam ? AssetParam : IdParam,
      body: {
        content: { 'application/json': { schema: named(body, schemaName(name)) } },
        required: true,
      },
    },
    responses: sessionResponses,
  }) as unknown as ActionRoute<N>;
}

export const actionRoutes = Object.fromEntries(
  ACTION_NAMES.map((name) => [name, actionRoute(name)]),
) as unknown as { [N in ActionName]: ActionRoute<N> };

/** The action's arguments from a request: its body, with `{assetId}` under the entry's name. */
export function actionArgs<N extends ActionName>(
  name: N,
  params: { id: string; assetId?: string },
  body: object,
): ActionInput<N> {
  const assetParam = (SESSION_ACTIONS[name].route as { assetParam?: string }).assetParam;
  return (assetParam ? { ...body, [assetParam]: params.assetId } : body) as ActionInput<N>;
}

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (
  i: infer I,
) => void
  ? I
  : never;
declare const _router: OpenAPIHono<AppEnv>;
type SchemaOf<R> = R extends RouteConfig
  ? ReturnType<typeof _router.openapi<R>> extends OpenAPIHono<AppEnv, infer S>
    ? S
    : never
  : never;
/** The typed-client schema of every action route together. */
export type ActionSchemas = UnionToIntersection<
  { [N in ActionName]: SchemaOf<ActionRoute<N>> }[ActionName]
>;

/**
 * Registers every action's route on the router, each answered by `handle`; the returned router
 * carries every route's type, as a chain of `.openapi()` calls would.
 */
export function withActionRoutes<S extends Schema>(
  app: OpenAPIHono<AppEnv, S>,
  handle: (c: Context<AppEnv>, name: ActionName, args: object) => Promise<Response>,
) {
  for (const name of ACTION_NAMES) {
    // Registered as a plain route: the handler answers for every action, whose types the
    // returned router carries.
    const route: RouteConfig = actionRoutes[name];
    app.openapi(route, async (c: Context<AppEnv>) => {
      const params = c.req.valid('param' as never) as { id: string; assetId?: string };
      const body = c.req.valid('json' as never) as object;
      return handle(c, name, actionArgs(name, params, body));
    });
  }
  return app as unknown as OpenAPIHono<AppEnv, S & ActionSchemas>;
}
