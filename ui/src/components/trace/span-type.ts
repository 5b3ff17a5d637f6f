/** How each span type reads in the tree and the panel: a short label and a colour class. */
import type { SpanType } from '../../api/types.ts';

const LABELS: Record<SpanType, string> = {
  llm: 'LLM',
  embedding: 'EMB',
  tool: 'TOOL',
  retrieval: 'RAG',
  agent: 'AGENT',
  chain: 'CHAIN',
  reranker: 'RANK',
  guardrail: 'GUARD',
  evaluator: 'EVAL',
  span: 'SPAN',
};

const TITLES: Record<SpanType, string> = {
  llm: 'LLM call',
  embedding: 'Embedding',
  tool: 'Tool execution',
  retrieval: 'Retrieval',
  agent: 'Agent',
  chain: 'Chain',
  reranker: 'Reranker',
  guardrail: 'Guardrail',
  evaluator: 'Evaluator',
  span: 'Span',
};

export function typeLabel(type: string): string {
  return LABELS[type as SpanType] ?? type.toUpperCase().slice(0, 5);
}

export function typeTitle(type: string): string {
  return TITLES[type as SpanType] ?? type;
}

/** A CSS class for the type badge and the waterfall bar (unknown types share the plain one). */
export function typeClass(type: string): string {
  return `type-${type in LABELS ? type : 'span'}`;
}
