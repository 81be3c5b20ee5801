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
