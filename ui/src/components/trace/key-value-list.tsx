/**
 * Raw attributes as a sorted key/value list: strings as they are, structured values as indented JSON,
 * so what the instrumentation sent can be read without opening the API.
 */
import { prettyJson, prettyJsonText } from '../chat/chat-format.ts';

export function KeyValueList({ values, empty = 'None' }: { values: Record<string, unknown> | null | undefined; empty?: string }) {
  const entries = Object.entries(values ?? {}).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return <div class="muted small">{empty}</div>;
  return (
    <dl class="kv-list">
      {entries.map(([key, value]) => (
        <div class="kv-row" key={key}>
          <dt class="mono" title={key}>{key}</dt>
          <dd>
            <pre class={typeof value === 'string' ? 'kv-text' : 'kv-json'}>{displayValue(value)}</pre>
          </dd>
        </div>
      ))}
    </dl>
  );
}

function displayValue(value: unknown): string {
  if (typeof value === 'string') return prettyJsonText(value) ?? value;
  return prettyJson(value);
}
