import { z } from 'zod';
import type { FaultOp, FaultRule, RequestFault, RunFault } from './types';

/**
 * The fault book: rules added by a test (in process or over HTTP) that make the next matching
 * requests or predictions misbehave the way the real service sometimes does. Each rule fires
 * `times` times (default 1) and is then used up.
 */

const common = {
  on: z.enum(['create', 'get', 'list', 'cancel', 'file', 'any']),
  model: z.string().min(1).optional(),
  times: z.number().int().positive().optional(),
};
const message = z.string().min(1).max(500).optional();

export const faultRuleSchema = z.discriminatedUnion('kind', [
  z.object({
    ...common,
    kind: z.literal('rate-limit'),
    retryAfterSeconds: z.number().int().min(0).optional(),
  }),
  z.object({
    ...common,
    kind: z.literal('server-error'),
    status: z.number().int().min(500).max(599).optional(),
  }),
  z.object({ ...common, kind: z.literal('reset-before-accept') }),
  z.object({ ...common, kind: z.literal('reset-after-accept') }),
  z.object({ ...common, kind: z.literal('invalid-input') }),
  z.object({ ...common, kind: z.literal('slow-start'), ms: z.number().int().min(0).optional() }),
  z.object({ ...common, kind: z.literal('hold') }),
  z.object({ ...common, kind: z.literal('fail-policy'), message }),
  z.object({ ...common, kind: z.literal('fail'), message }),
  z.object({ ...common, kind: z.literal('abort') }),
  z.object({ ...common, kind: z.literal('output-deleted') }),
  z.object({ ...common, kind: z.literal('malformed-json') }),
  z.object({ ...common, kind: z.literal('duplicate-webhook') }),
]);

const REQUEST_KINDS = new Set<string>([
  'rate-limit',
  'server-error',
  'reset-before-accept',
  'reset-after-accept',
  'invalid-input',
]);
/** Only a create can be accepted or have its input rejected. */
const CREATE_ONLY_KINDS = new Set<string>(['reset-after-accept', 'invalid-input']);

interface Entry {
  rule: FaultRule;
  left: number;
}

export class FaultBook {
  private entries: Entry[] = [];

  add(rule: FaultRule): void {
    const parsed = faultRuleSchema.parse(rule);
    this.entries.push({ rule: parsed, left: parsed.times ?? 1 });
  }

  clear(): void {
    this.entries = [];
  }

  /** Uses up and returns the first request-level fault matching this request, if any. */
  takeRequestFault(op: FaultOp, model: string | undefined): RequestFault | undefined {
    return this.take(
      (rule) =>
        REQUEST_KINDS.has(rule.kind) &&
        (op === 'create' || !CREATE_ONLY_KINDS.has(rule.kind)) &&
        matches(rule, op, model),
    ) as RequestFault | undefined;
  }

  /** Uses up every run-level fault matching a new prediction of `model` (one per kind). */
  takeRunFaults(model: string): RunFault[] {
    const taken: RunFault[] = [];
    const kinds = new Set<string>();
    for (const entry of this.entries) {
      const { rule } = entry;
      if (REQUEST_KINDS.has(rule.kind) || kinds.has(rule.kind)) continue;
      if (!matches(rule, 'create', model)) continue;
      kinds.add(rule.kind);
      entry.left -= 1;
      taken.push(rule as RunFault);
    }
    this.entries = this.entries.filter((e) => e.left > 0);
    return taken;
  }

  private take(accept: (rule: FaultRule) => boolean): FaultRule | undefined {
    const entry = this.entries.find((e) => accept(e.rule));
    if (!entry) return undefined;
    entry.left -= 1;
    if (entry.left <= 0) this.entries = this.entries.filter((e) => e !== entry);
    return entry.rule;
  }
}

function matches(rule: FaultRule, op: FaultOp, model: string | undefined): boolean {
  if (rule.on !== 'any' && rule.on !== op) return false;
  if (rule.model === undefined) return true;
  return model !== undefined && model.includes(rule.model);
}
