/**
 * What the read benchmark's dataset looks like: sizes, the time window, and the value lists the
 * generated traces draw from. Shared by the ClickHouse generator and the runner (which filters on
 * some of these values), so a filter always names something the data holds.
 */
import prices from '../../schemas/model-prices.json' with { type: 'json' };

/** Traces of the large project; with ~10 spans each on average they make ~10 million events. */
export const TRACES = 1_000_000;
export const DAYS = 30;
/** Spans of the one agent trace the detail benchmark opens. */
export const DETAIL_SPANS = 200;
/** Traces that share a session (a chat of a few turns), and the users those sessions belong to. */
export const TRACES_PER_SESSION = 5;
export const USERS = 200;

/**
 * Chat models, most used first (the generator skews towards the head of the list), priced from the
 * built-in price table like ingestion does; the last one has no price, as a self-hosted model would.
 */
const PRICED_MODELS = [
  'gpt-4o-mini', 'gpt-4.1-mini', 'claude-haiku-4-5', 'gpt-4o', 'claude-sonnet-4-5', 'gemini-2.5-flash', 'gpt-4.1',
  'gpt-5-mini', 'o4-mini', 'gemini-2.5-pro', 'gpt-4.1-nano', 'claude-opus-4-5', 'mistral-small-3', 'deepseek-chat',
  'gpt-5', 'o3', 'gemini-2.0-flash', 'mistral-medium-3', 'claude-3-5-haiku',
];
const priceOf = (id: string) => {
  const entry = prices.models.find((m) => m.id === id);
  if (!entry) throw new Error(`no built-in price for ${id}`);
  return { provider: entry.provider, model: entry.examples[0], input: entry.prices.input, output: entry.prices.output };
};
export const MODELS: { provider: string; model: string; input: number | null; output: number | null }[] = [
  ...PRICED_MODELS.map(priceOf),
  { provider: 'self-hosted', model: 'acme-support-7b', input: null, output: null },
];

export const TRACE_NAMES = ['answer-question', 'summarise-document', 'classify-ticket', 'extract-invoice', 'chat-turn', 'plan-trip', 'draft-reply', 'research-agent'];
export const SERVICES = ['support-bot', 'search-api', 'docs-assistant'];
export const TOOLS = ['get_weather', 'search_docs', 'lookup_order', 'send_email', 'create_ticket'];
/** What users ask about: each trace's question names one, so a text search finds ~1 trace in TOPICS.length. */
export const TOPICS = [
  'refund', 'invoice', 'password reset', 'shipping delay', 'warranty', 'subscription', 'cancellation', 'upgrade',
  'billing address', 'two-factor login', 'data export', 'api limits', 'webhook retries', 'team seats', 'sso setup',
  'discount code', 'tax receipt', 'delivery window', 'damaged parcel', 'account deletion', 'gift card', 'price match',
  'trial extension', 'payment failure', 'currency', 'mobile app', 'dark mode', 'integrations', 'audit log', 'usage report',
  'plan comparison', 'invoice copy', 'contract renewal', 'return label', 'store hours', 'loyalty points', 'order status',
  'missing item', 'language settings', 'notification emails',
];
/** Tags on the root span, per mille: 20% beta, 5% beta+vip, 5% eval, 0.1% escalated (a rare one), the rest none. */
export const TAGS_PER_MILLE = { beta: 200, betaVip: 50, eval: 50, escalated: 1 } as const;
/** Share of traces with a failed span, in per cent. */
export const ERROR_PERCENT = 5;
