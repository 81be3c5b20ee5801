import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  NotFound,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { hashFile } from './hash';
import { signingWindow } from './signing';
import { requireStorageKey, type Storage } from './types';

export interface S3StorageOptions {
  bucket: string;
  region: string;
  endpoint?: string | undefined;
  /**
   * Where browsers reach the store, when that differs from `endpoint` (e.g. `http://minio:9000`
   * inside a compose network, `https://media.example.com` outside). Used only to sign links.
   */
  publicEndpoint?: string | undefined;
  accessKeyId?: string | undefined;
  secretAccessKey?: string | undefined;
  forcePathStyle: boolean;
}

/** AWS S3, Cloudflare R2, MinIO or any S3-compatible store. */
export function createS3Storage(options: S3StorageOptions): Storage {
  const clientFor = (endpoint: string | undefined) =>
    new S3Client({
      region: options.region,
      endpoint,
      forcePathStyle: options.forcePathStyle,
      credentials:
        options.accessKeyId && options.secretAccessKey
          ? { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey }
          : undefined,
    });
  const client = clientFor(options.endpoint);
  // Presigning makes no request: this client only puts the public host into signed links.
  const signer = options.publicEndpoint ? clientFor(options.publicEndpoint) : client;
  const Bucket = options.bucket;
  const isMissing = (error: unknown) =>
    error instanceof NoSuchKey ||
    error instanceof NotFound ||
    (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode === 404;

  return {
    driver: 's3',
    async putFile(key, localPath, contentType) {
      requireStorageKey(key);
      const { bytes, sha256 } = await hashFile(localPath);
      await client.send(
        new PutObjectCommand({
          Bucket,
          Key: key,
          Body: createReadStream(localPath),
          ContentLength: bytes,
          ContentType: contentType,
          Metadata: { sha256 },
        }),
      );
      return { key, bytes, sha256 };
    },
    async getToFile(key, localPath) {
      requireStorageKey(key);
      const out = await client.send(new GetObjectCommand({ Bucket, Key: key }));
      await mkdir(dirname(localPath), { recursive: true });
      await pipeline(out.Body as Readable, createWriteStream(localPath));
    },
    async open(key) {
      requireStorageKey(key);
      try {
        const out = await client.send(new GetObjectCommand({ Bucket, Key: key }));
        return {
          body: out.Body as Readable,
          info: {
            bytes: out.ContentLength ?? 0,
            contentType: out.ContentType ?? 'application/octet-stream',
          },
        };
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },
    async head(key) {
      requireStorageKey(key);
      try {
        const out = await client.send(new HeadObjectCommand({ Bucket, Key: key }));
        return {
          bytes: out.ContentLength ?? 0,
          contentType: out.ContentType ?? 'application/octet-stream',
        };
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },
    async delete(key) {
      requireStorageKey(key);
      await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
    },
    signedUrl(key, { expiresInSeconds, downloadName }) {
      requireStorageKey(key);
      // Signed at the start of its window, so the same key gives the same link all window long.
      const { signedAt } = signingWindow(expiresInSeconds);
      return getSignedUrl(
        signer,
        new GetObjectCommand({
          Bucket,
          Key: key,
          ResponseContentDisposition: downloadName
            ? `attachment; filename="${downloadName.replace(/[^\w.-]/g, '_')}"`
            : undefined,
        }),
        { expiresIn: expiresInSeconds, signingDate: new Date(signedAt * 1000) },
      );
    },
    async check() {
      await client.send(new HeadBucketCommand({ Bucket }));
    },
  };
}
