import type { Llm } from '../ports/llm.js';
import type { Store } from '../ports/store.js';
import type { ChunkKind } from '../ports/vector-store.js';
import { composeAnswer } from './compose.js';
import { executePlan, featureNeighbours, findTrade, tradesById, type BacktestInfo, type Execution } from './execute.js';
import type { Citations, Facts } from './facts.js';
import { proposePlan, writeProse } from './llm-assist.js';
import { parseQuestion, type ParseContext } from './parse-plan.js';
import type { Plan } from './plan-schema.js';
import { retrieveEvidence, similarTradeChunks, type Evidence, type RetrievalPorts } from './retrieve.js';
import { describeScope } from './scope.js';

export interface AnswerPorts extends RetrievalPorts {
  store: Store;
  llm?: Llm | null;
}

export interface Answer {
  backtestId: string;
  question: string;
  /** Prose; every number in it is in `facts`. */
  answer: string;
  facts: Facts;
  citations: Citations;
  plan: Plan;
  /** Who made the plan: the deterministic parser, or the model (validated by the same schema). */
  planSource: 'parser' | 'llm';
  /** `none`, or the model that wrote the plan or the prose. */
  model: string;
  evidence: { status: Evidence['status']; note: string | null };
  /** What fell back and why (a model plan that failed validation, prose with a number not in the facts). */
  notes: string[];
}

/** Plan symbols spelled as the backtest spells them ("eurusd" -> "EURUSD"). */
function normaliseSymbols(plan: Plan, symbols: string[]): Plan {
  const known = new Map(symbols.map((s) => [s.toLowerCase(), s]));
  const mapped = plan.filters.symbols.map((s) => known.get(s.toLowerCase()) ?? s.toUpperCase());
  return { ...plan, filters: { ...plan.filters, symbols: [...new Set(mapped)] } };
}

export async function answerQuestion(ports: AnswerPorts, bt: BacktestInfo, question: string, opts: { k: number; signal?: AbortSignal }): Promise<Answer> {
  const notes: string[] = [];
  const ctx: ParseContext = { symbols: bt.symbols, periodStart: bt.periodStart, periodEnd: bt.periodEnd };
  let plan: Plan | null = null;
  let planSource: Answer['planSource'] = 'parser';
  const llm = ports.llm ?? null;
  let modelUsed = false;
  if (llm) {
    const proposed = await proposePlan(llm, question, ctx, opts.signal);
    if (proposed.plan) {
      plan = proposed.plan;
      planSource = 'llm';
      modelUsed = true;
    } else notes.push(`${proposed.rejected}; the deterministic parser planned instead`);
  }
  plan = normaliseSymbols(plan ?? parseQuestion(question, ctx).plan, bt.symbols);

  const unknown = plan.filters.symbols.filter((s) => !bt.symbols.includes(s));
  let execution: Execution;
  let evidence: Evidence;
  let target: Awaited<ReturnType<typeof findTrade>>;
  const scope = describeScope(plan, bt);
  if (plan.intent === 'similar' && plan.tradeId) {
    target = await findTrade(ports.store, bt, plan.tradeId);
    if (!target) {
      execution = { facts: { columns: [], rows: [], scope, notes: [] }, citations: { trades: [], dates: [] } };
      evidence = { status: 'ok', note: null, chunks: [] };
    } else {
      const semantic = await similarTradeChunks(ports, ports.store, bt, target, opts.k, opts.signal);
      evidence = semantic.evidence;
      execution =
        semantic.neighbours.length > 0
          ? await tradesById(ports.store, bt, semantic.neighbours.map((n) => n.tradeId), new Map(semantic.neighbours.map((n) => [n.tradeId, n.score])), scope)
          : await featureNeighbours(ports.store, bt, target.id, opts.k, scope);
      execution.citations.trades.unshift(target);
    }
  } else {
    execution = await executePlan(ports.store, bt, plan);
    if (unknown.length > 0) execution.facts.notes.push(`this backtest has no trades in ${unknown.join(', ')}; its symbols are ${bt.symbols.join(', ')}`);
    evidence = { status: 'ok', note: null, chunks: [] };
  }

  const composed = composeAnswer({
    plan,
    facts: execution.facts,
    currency: bt.accountCurrency,
    ...(execution.unanswerable !== undefined ? { unanswerable: execution.unanswerable } : {}),
    ...(target ? { target } : {}),
  });
  if (plan.intent !== 'similar') {
    // The answer's own words (groups, symbols, dates) find better evidence than the question alone.
    evidence =
      plan.intent === 'unanswerable' || execution.unanswerable
        ? { status: 'ok', note: null, chunks: [] }
        : await retrieveEvidence(
            ports,
            bt.id,
            `${question} ${composed.slice(0, 300)}`,
            {
              k: opts.k,
              // Window questions are backed by day, week and pattern chunks; single trades by trade chunks.
              ...(plan.groupBy || plan.intent === 'avoid' ? { kinds: ['pattern', 'daily', 'weekly'] as ChunkKind[] } : {}),
              ...(plan.filters.symbols.length === 1 ? { symbol: plan.filters.symbols[0]! } : {}),
            },
            opts.signal,
          );
  }
  let prose = composed;
  const answerable = plan.intent !== 'unanswerable' && execution.unanswerable === undefined;
  if (llm && answerable && execution.facts.rows.length > 0) {
    const written = await writeProse(llm, question, execution.facts, bt.accountCurrency, opts.signal);
    if (written.prose) {
      prose = written.prose;
      modelUsed = true;
    } else notes.push(written.rejected!);
  }
  if (evidence.note) notes.push(evidence.note);

  return {
    backtestId: bt.id,
    question,
    answer: prose,
    facts: execution.facts,
    citations: { ...execution.citations, chunks: evidence.chunks },
    plan,
    planSource,
    model: modelUsed && llm ? llm.model : 'none',
    evidence: { status: evidence.status, note: evidence.note },
    notes,
  };
}
