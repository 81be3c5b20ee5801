import { z } from '@hono/zod-openapi';
import { ERROR_CODES } from '../../core/errors';

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(ERROR_CODES) as [keyof typeof ERROR_CODES]),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .openapi('Error');

export const errorResponse = (description: string) => ({
  content: { 'application/json': { schema: ErrorSchema } },
  description,
});

export const UserSchema = z
  .object({ id: z.string(), email: z.string(), name: z.string() })
  .openapi('User');

/**
 * A schema from core/ under its name in the OpenAPI document. Core's schemas are plain zod and
 * may be made before this package extends zod (zod 4 gives each schema its methods when it is
 * made), so an object schema without `.openapi` is remade here from its shape.
 */
export function named<S extends z.ZodObject>(schema: S, name: string): S {
  const capable = typeof (schema as { openapi?: unknown }).openapi === 'function';
  return (capable ? schema : (z.object(schema.shape) as unknown as S)).openapi(name);
}
