import { patched, upsertSearchAttributes } from '@temporalio/workflow';
import { searchAttributesOf } from '../core/search-attributes';
import type { SessionState } from '../core/session';

/** patched() id: runs from here on keep their search attributes current at every stage. */
const SEARCH_ATTRIBUTES_PATCH = 'search-attributes';

/** Upserts the session's search attributes (a workflow command, so only in patched runs). */
export function indexSession(state: SessionState) {
  if (!patched(SEARCH_ATTRIBUTES_PATCH)) return;
  upsertSearchAttributes(searchAttributesOf(state));
}
