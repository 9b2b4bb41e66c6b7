import { z } from 'zod';
import type { Llm } from '../ports/llm.js';
import type { Facts } from './facts.js';
import type { ParseContext } from './parse-plan.js';
import { Plan } from './plan-schema.js';
import { checkNumbers } from './verify-numbers.js';

/**
 * What a language model may do here, and the checks around it. It may PROPOSE a plan, which must pass
 * the same zod schema as the parser's (anything else falls back to the parser), and it may WRITE the
 * prose, which may state only numbers the facts hold (anything else falls back to the composed prose).
 * It never sees SQL and its output never becomes SQL except through a validated plan.
 */

const PLAN_JSON_SCHEMA = JSON.stringify(z.toJSONSchema(Plan, { io: 'input' }));
const MAX_REPLY_CHARS = 20_000;

export interface LlmPlanResult {
  plan: Plan | null;
  /** Why the model's plan was not used. */
  rejected: string | null;
}

/** The first JSON object in a reply (models wrap JSON in code fences or prose). */
export function extractJson(reply: string): unknown {
  const text = reply.slice(0, MAX_REPLY_CHARS);
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text);
  const body = fenced ? fenced[1]! : text;
  const start = body.indexOf('{');
  const end = body.lastIndexOf('}');
  if (start < 0 || end <= start) throw new Error('the reply holds no JSON object');
  return JSON.parse(body.slice(start, end + 1));
}

export async function proposePlan(llm: Llm, question: string, ctx: ParseContext, signal?: AbortSignal): Promise<LlmPlanResult> {
  const end = ctx.periodEnd !== null ? new Date(ctx.periodEnd).toISOString() : 'unknown';
  const start = ctx.periodStart !== null ? new Date(ctx.periodStart).toISOString() : 'unknown';
  const system = [
    'You turn a trader\'s question about one backtest into an analytic plan. Reply with ONE JSON object that matches this JSON Schema, nothing else.',
    PLAN_JSON_SCHEMA,
    'Rules: dates are absolute YYYY-MM-DD in the plan zone; "to" is exclusive. Relative dates ("last month") are relative to the END of the data, not today.',
    'Times of day are HH:MM; "after 21:00" is {"from":"21:00","to":"24:00"}. "shorts" = sell, "longs" = buy. Weekdays are ISO numbers (1 = Monday).',
    '"Which days should I avoid" is intent "avoid" with groupBy "weekday". Questions about news, the future, other accounts or other backtests are intent "unanswerable" with a reason.',
    `The backtest's symbols: ${ctx.symbols.join(', ') || 'unknown'}. Its trades run from ${start} to ${end}.`,
  ].join('\n');
  try {
    const reply = await llm.complete({ system, user: question, json: true }, signal);
    const parsed = Plan.safeParse(extractJson(reply));
    if (!parsed.success) return { plan: null, rejected: `the model's plan failed validation: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` };
    return { plan: parsed.data, rejected: null };
  } catch (err) {
    // A caller that has gone needs no fallback answer: stop here instead of carrying on without it.
    if (signal?.aborted) throw err;
    return { plan: null, rejected: `the model gave no usable plan: ${err instanceof Error ? err.message : String(err)}` };
  }
}

export interface LlmProseResult {
  prose: string | null;
  rejected: string | null;
}

export async function writeProse(llm: Llm, question: string, facts: Facts, currency: string | null, signal?: AbortSignal): Promise<LlmProseResult> {
  const system = [
    'You answer a trader\'s question in two to four plain sentences, from the FACTS only.',
    'State only numbers that appear in the facts, copied as written (you may round them or add thousands separators). Do not compute new numbers, do not add dates that are not in the facts.',
    'Name the groups (days, hours, symbols) the facts name. Mention a note when it changes how much to trust a number.',
    `Money is in ${currency ?? 'the account currency'}.`,
  ].join('\n');
  const user = `Question: ${question}\nFACTS (JSON): ${JSON.stringify(facts)}`;
  try {
    const reply = (await llm.complete({ system, user }, signal)).trim().slice(0, MAX_REPLY_CHARS);
    if (!reply) return { prose: null, rejected: 'the model wrote nothing' };
    const check = checkNumbers(reply, facts);
    if (!check.ok) return { prose: null, rejected: `the model's prose stated ${check.unmatched.slice(0, 5).join(', ')}, which the facts do not hold; the composed answer is used instead` };
    return { prose: reply, rejected: null };
  } catch (err) {
    // A caller that has gone needs no fallback answer: stop here instead of carrying on without it.
    if (signal?.aborted) throw err;
    return { prose: null, rejected: `the model could not write the answer: ${err instanceof Error ? err.message : String(err)}` };
  }
}
