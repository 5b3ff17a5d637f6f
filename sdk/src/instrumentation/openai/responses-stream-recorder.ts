/**
 * Responses API stream events -> the Response they describe. A finished stream ends with
 * `response.completed` / `incomplete` / `failed`, which carries the whole response (usage
 * included), so that is used as is. A stream cut short is rebuilt from the items finished so far
 * plus the text and argument deltas of the ones still open.
 */
import type { Attributes } from '@opentelemetry/api';
import { isObject, num, str, type Json } from '../core/json.ts';
import type { StreamRecorder } from '../core/traced-call.ts';
import { responseAttributes } from './responses-response.ts';

const FINAL_EVENTS = new Set(['response.completed', 'response.incomplete', 'response.failed']);

export class ResponsesStreamRecorder implements StreamRecorder {
  private response: Json = {};
  private finished = false;
  private readonly items = new Map<number, Json>();
  private readonly text = new Map<number, string>();
  private readonly args = new Map<number, string>();

  constructor(private readonly captureContent: boolean) {}

  record(event: unknown): boolean {
    if (!isObject(event)) return false;
    const type = str(event.type) ?? '';
    if (isObject(event.response) && !this.finished) {
      this.response = event.response;
      this.finished = FINAL_EVENTS.has(type);
    }
    const index = num(event.output_index) ?? 0;
    if ((type === 'response.output_item.added' || type === 'response.output_item.done') && isObject(event.item)) {
      this.items.set(index, { ...event.item, done: type.endsWith('.done') });
    }
    const delta = str(event.delta);
    if (type === 'response.output_text.delta' && delta) this.text.set(index, (this.text.get(index) ?? '') + delta);
    if (type === 'response.function_call_arguments.delta' && delta) this.args.set(index, (this.args.get(index) ?? '') + delta);
    return type.endsWith('.delta') && Boolean(delta);
  }

  attributes(): Attributes {
    if (this.finished) return responseAttributes(this.response, this.captureContent);
    const output = [...this.items.entries()].sort(([a], [b]) => a - b).map(([index, item]) => this.partial(index, item));
    const { status: _status, ...unfinished } = this.response; // no status: a cut-short stream has no finish reason
    return responseAttributes({ ...unfinished, output }, this.captureContent);
  }

  private partial(index: number, item: Json): Json {
    if (item.done === true) return item;
    if (item.type === 'message') return { ...item, content: [{ type: 'output_text', text: this.text.get(index) ?? '' }] };
    if (item.type === 'function_call') return { ...item, arguments: this.args.get(index) ?? '' };
    return item;
  }
}
