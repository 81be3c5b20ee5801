import {
  defineSearchAttributeKey,
  SearchAttributeType,
  type SearchAttributePair,
} from '@temporalio/common';
import type { SessionState } from './session';

/**
 * Custom search attributes of session workflows, by name and type, as `temporal operator
 * search-attribute create` and the dev server's `--search-attribute` flag spell them. Every
 * worker registers the missing ones when it starts, as does `npm run temporal-setup` (compose's
 * temporal-setup), see worker/temporal-setup.ts: the dev server's flags reach only a new
 * database. The workflow upserts them at every stage so operators can find sessions in Temporal UI.
 */
export const SEARCH_ATTRIBUTES = {
  AdStage: 'Keyword',
  AdProvider: 'Keyword',
  AdUserId: 'Keyword',
  AdCostUsd: 'Double',
  AdErrorCode: 'Keyword',
  AdProductPrompt: 'Text',
} as const;

/** `--search-attribute Name=Type` pairs for `temporal server start-dev`. */
export function searchAttributeFlags(): string[] {
  return Object.entries(SEARCH_ATTRIBUTES).flatMap(([name, type]) => [
    '--search-attribute',
    `${name}=${type}`,
  ]);
}

/** Typed keys of the attributes above, for the workflow's upserts and the client's start. */
export const SEARCH_KEYS = {
  stage: defineSearchAttributeKey('AdStage', SearchAttributeType.KEYWORD),
  provider: defineSearchAttributeKey('AdProvider', SearchAttributeType.KEYWORD),
  userId: defineSearchAttributeKey('AdUserId', SearchAttributeType.KEYWORD),
  costUsd: defineSearchAttributeKey('AdCostUsd', SearchAttributeType.DOUBLE),
  errorCode: defineSearchAttributeKey('AdErrorCode', SearchAttributeType.KEYWORD),
  productPrompt: defineSearchAttributeKey('AdProductPrompt', SearchAttributeType.TEXT),
} as const;

/** The session as operators search it in Temporal UI. */
export function searchAttributesOf(state: SessionState): SearchAttributePair[] {
  const pairs: SearchAttributePair[] = [
    { key: SEARCH_KEYS.stage, value: state.stage },
    { key: SEARCH_KEYS.provider, value: state.options.provider },
    { key: SEARCH_KEYS.userId, value: state.userId },
    { key: SEARCH_KEYS.costUsd, value: state.costs.totalUsd },
    { key: SEARCH_KEYS.productPrompt, value: state.productPrompt },
  ];
  // A session that recovered from a failure keeps the code it last failed with, searchable.
  if (state.lastError) pairs.push({ key: SEARCH_KEYS.errorCode, value: state.lastError.code });
  return pairs;
}
