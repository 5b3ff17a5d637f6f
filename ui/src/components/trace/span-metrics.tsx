/**
 * The numbers of one span: latency, time to first token, tokens by kind with where they came from,
 * and the cost with its source (hover explains what reported / computed / estimated mean).
 */
import { Fact } from './fact.tsx';
import type { Span } from '../../api/types.ts';
import { formatCost, formatCount, formatDuration, formatTime } from '../../format.ts';

export const COST_SOURCES: Record<Span['cost_source'], string> = {
  reported: 'Reported by the instrumentation or SDK that sent the span',
  computed: "Computed by Observa from the token usage and the model's price (cached tokens at the cache rate)",
  estimated: 'Estimated: the tokens were counted from the text because the provider reported no usage',
  none: 'No cost: the span has no usage, or its model has no known price',
};

export const USAGE_SOURCES: Record<Span['usage_source'], string> = {
  reported: 'Token counts as reported by the provider',
  estimated: 'Token counts estimated from the text (the provider reported none)',
  none: 'No token usage recorded',
};

export function SpanMetrics({ span }: { span: Span }) {
  const hasTokens = span.total_tokens > 0 || span.input_tokens > 0 || span.output_tokens > 0;
  const isModelCall = span.type === 'llm' || span.type === 'embedding' || hasTokens;
  return (
    <dl class="span-metrics">
      <Fact label="Latency">{formatDuration(span.duration_ms)}</Fact>
      {span.time_to_first_token_ms !== null && span.time_to_first_token_ms !== undefined && (
        <Fact label="Time to first token">{formatDuration(span.time_to_first_token_ms)}</Fact>
      )}
      {isModelCall && (
        <>
          <Fact label="Input tokens" title="Includes cached input tokens">
            {formatCount(span.input_tokens)}
            {span.cache_read_tokens > 0 && <span class="metric-detail"> {formatCount(span.cache_read_tokens)} cached</span>}
            {span.cache_write_tokens > 0 && <span class="metric-detail"> {formatCount(span.cache_write_tokens)} cache write</span>}
          </Fact>
          <Fact label="Output tokens" title="Includes reasoning tokens">
            {formatCount(span.output_tokens)}
            {span.reasoning_tokens > 0 && <span class="metric-detail"> {formatCount(span.reasoning_tokens)} reasoning</span>}
          </Fact>
          <Fact label="Total tokens" title={USAGE_SOURCES[span.usage_source]}>
            {formatCount(span.total_tokens)} <span class="source-tag">{span.usage_source}</span>
          </Fact>
        </>
      )}
      {(isModelCall || span.cost_usd) && (
        <Fact label="Cost" title={COST_SOURCES[span.cost_source]}>
          {span.cost_usd === null || span.cost_usd === undefined ? <span class="muted">unknown</span> : formatCost(span.cost_usd)}{' '}
          <span class="source-tag">{span.cost_source}</span>
        </Fact>
      )}
      {span.finish_reason && <Fact label="Finish reason"><span class="mono">{span.finish_reason}</span></Fact>}
      <Fact label="Started">{formatTime(span.start_time)}</Fact>
    </dl>
  );
}
