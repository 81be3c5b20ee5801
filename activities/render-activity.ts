import type { ActivityDeps } from './deps';
import type { RenderInput } from './inputs';
import type { AssetView } from '../core/session';

export function createRenderActivities(_deps: ActivityDeps) {
  return {
    renderVideo(_input: RenderInput): Promise<AssetView> {
      return Promise.reject(new Error('render is being written'));
    },
  };
}
