import { createFsStorage } from './fs-storage';
import { reportingFaults } from './faults';
import { createS3Storage } from './s3-storage';
import type { Storage } from './types';

export type { Storage } from './types';
export { assetKey, isStorageKey, uploadKey } from './types';
export { StorageFault, isStorageFault } from './faults';

export interface StorageSettings {
  STORAGE_DRIVER: 'fs' | 's3';
  STORAGE_DIR: string;
  S3_BUCKET?: string | undefined;
  S3_REGION: string;
  S3_ENDPOINT?: string | undefined;
  S3_PUBLIC_ENDPOINT?: string | undefined;
  S3_ACCESS_KEY_ID?: string | undefined;
  S3_SECRET_ACCESS_KEY?: string | undefined;
  S3_FORCE_PATH_STYLE: boolean;
}

/** signingSecret is needed only where fs-driver URLs are signed (the API). */
export function createStorage(settings: StorageSettings, signingSecret = ''): Storage {
  if (settings.STORAGE_DRIVER === 's3') {
    if (!settings.S3_BUCKET) throw new Error('S3_BUCKET is required when STORAGE_DRIVER=s3');
    return reportingFaults(
      createS3Storage({
        bucket: settings.S3_BUCKET,
        region: settings.S3_REGION,
        endpoint: settings.S3_ENDPOINT,
        publicEndpoint: settings.S3_PUBLIC_ENDPOINT,
        accessKeyId: settings.S3_ACCESS_KEY_ID,
        secretAccessKey: settings.S3_SECRET_ACCESS_KEY,
        forcePathStyle: settings.S3_FORCE_PATH_STYLE,
      }),
    );
  }
  return reportingFaults(
    createFsStorage({ root: settings.STORAGE_DIR, signingSecret, urlPrefix: '/api/files' }),
  );
}
