import { patched, upsertSearchAttributes } from '@temporalio/workflow';
import { searchAttributesOf } from '../core/search-attributes';
import type { SessionState } from '../core/session';
import { PATCHES } from './patches';

/** Upserts the session's search attributes (a workflow command, so only in patched runs). */
export function indexSession(state: SessionState) {
  if (!patched(PATCHES.searchAttributes.id)) return;
  upsertSearchAttributes(searchAttributesOf(state));
}
