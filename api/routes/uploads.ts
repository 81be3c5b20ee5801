import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRoute, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { AppError } from '../../core/errors';
import { MAX_PHOTO_BYTES } from '../../core/photo-limits';
import { uploadKey } from '../../storage';
import type { ApiDeps } from '../deps';
import { checkCutoutPng, checkPhoto, sniffImage } from '../images';
import { createRouter } from '../router';
import { errorResponse } from './schemas';

/** Product photos up to this size (shared with the browser's own check before sending). */
export { MAX_PHOTO_BYTES };

const PhotoSchema = z
  .object({
    photoKey: z.string(),
    mime: z.string(),
    bytes: z.number(),
    sha256: z.string(),
    width: z.number(),
    height: z.number(),
  })
  .openapi('ProductPhoto');

/** A photo comes as a form; any other body gets advice for this route, not the JSON routes'. */
const formOnly = createMiddleware(async (c, next) => {
  const type = c.req.header('content-type') ?? '';
  if (!/^multipart\/form-data\s*;/i.test(type)) {
    throw new AppError(
      'VALIDATION_FAILED',
      'Send the photo as multipart/form-data, with the image in a field named "file".',
    );
  }
  await next();
});

const photoSizeLimit = bodyLimit({
  // Room for the multipart envelope around the file itself.
  maxSize: MAX_PHOTO_BYTES + 64 * 1024,
  onError: () => {
    throw new AppError('MEDIA_INVALID', 'The photo is larger than 10 MB. Choose a smaller one.');
  },
});

const uploadRoute = createRoute({
  method: 'post',
  path: '/uploads',
  // After signing in (router.ts), before the form is read.
  middleware: [formOnly, photoSizeLimit] as const,
  summary:
    'Upload a product photo (PNG, JPEG or WebP, up to 10 MB), or with purpose=cutout a transparent PNG of the product',
  request: {
    body: {
      content: {
        'multipart/form-data': {
          schema: z.object({
            file: z.any().openapi({ type: 'string', format: 'binary' }),
            /**
             * `cutout`: the file is the product already cut out (a PNG with a transparent
             * background), checked to really be one; absent: a product photo.
             */
            purpose: z.enum(['photo', 'cutout']).optional(),
          }),
        },
      },
      required: true,
    },
  },
  responses: {
    201: { content: { 'application/json': { schema: PhotoSchema } }, description: 'Stored' },
    401: errorResponse('Not signed in'),
    422: errorResponse('Not a usable image'),
  },
});

export function uploadRoutes(deps: ApiDeps) {
  const app = createRouter(deps);
  return app.openapi(uploadRoute, async (c) => {
    const form = c.req.valid('form');
    const file: unknown = form.file;
    if (!(file instanceof File))
      throw new AppError('VALIDATION_FAILED', 'Attach the photo as "file".');
    if (file.size > MAX_PHOTO_BYTES) {
      throw new AppError('MEDIA_INVALID', 'The photo is larger than 10 MB. Choose a smaller one.');
    }
    const bytes = Buffer.from(await file.arrayBuffer());
    const kind = sniffImage(bytes);
    if (!kind) {
      throw new AppError(
        'MEDIA_INVALID',
        'This file is not a PNG, JPEG or WebP image we can read.',
      );
    }
    const checked = await checkPhoto(bytes);
    if (!checked.ok) throw new AppError('MEDIA_INVALID', checked.message);
    if (form.purpose === 'cutout') {
      const problem = await checkCutoutPng(bytes, kind.type);
      if (problem) throw new AppError('MEDIA_INVALID', problem);
    }
    const size = { width: checked.width, height: checked.height };
    const key = uploadKey(c.get('user').id, randomUUID(), kind.type === 'jpeg' ? 'jpg' : kind.type);
    const dir = await mkdtemp(join(tmpdir(), 'upload-'));
    try {
      const local = join(dir, 'photo');
      await writeFile(local, bytes);
      const stored = await deps.storage.putFile(key, local, kind.mime);
      return c.json(
        { photoKey: key, mime: kind.mime, bytes: stored.bytes, sha256: stored.sha256, ...size },
        201,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}
