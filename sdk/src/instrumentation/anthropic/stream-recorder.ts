/**
 * Anthropic stream events -> the Message they add up to. `message_start` brings the id, model and
 * input-side usage; `content_block_start` / `_delta` build the content blocks (text, thinking,
 * tool_use whose input arrives as `partial_json` fragments); `message_delta` brings the stop
 * reason and cumulative usage, whose fields replace those of `message_start`.
 * The app's event objects are read, never modified: blocks are copied before being extended.
 */
import type { Attributes } from '@opentelemetry/api';
import { isObject, num, parseArguments, str, type Json } from '../core/json.ts';
import type { StreamRecorder } from '../core/traced-call.ts';
import { messageAttributes } from './message-response.ts';

interface BlockState {
  block: Json;
  json: string;
}

export class AnthropicStreamRecorder implements StreamRecorder {
  private message: Json = {};
  private readonly usage: Json = {};
  private stopReason: string | undefined;
  private readonly blocks = new Map<number, BlockState>();

  constructor(private readonly captureContent: boolean) {}

  record(event: unknown): boolean {
    if (!isObject(event)) return false;
    switch (event.type) {
      case 'message_start':
        if (isObject(event.message)) {
          this.message = event.message;
          this.addUsage(event.message.usage);
        }
        return false;
      case 'content_block_start':
        if (isObject(event.content_block)) this.blocks.set(num(event.index) ?? this.blocks.size, { block: { ...event.content_block }, json: '' });
        return false;
      case 'content_block_delta':
        return this.applyDelta(num(event.index) ?? 0, isObject(event.delta) ? event.delta : {});
      case 'message_delta':
        if (isObject(event.delta)) this.stopReason = str(event.delta.stop_reason) ?? this.stopReason;
        this.addUsage(event.usage);
        return false;
      default:
        return false;
    }
  }

  attributes(): Attributes {
    const content = [...this.blocks.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, { block, json }]) => (json !== '' ? { ...block, input: parseArguments(json) } : block));
    return messageAttributes({ ...this.message, content, stop_reason: this.stopReason, usage: this.usage }, this.captureContent);
  }

  private applyDelta(index: number, delta: Json): boolean {
    const state = this.blocks.get(index);
    const append = (field: string, text: string | undefined): boolean => {
      if (!text) return false;
      if (state) state.block[field] = (str(state.block[field]) ?? '') + text;
      return true;
    };
    switch (delta.type) {
      case 'text_delta':
        return append('text', str(delta.text));
      case 'thinking_delta':
        return append('thinking', str(delta.thinking));
      case 'input_json_delta': {
        const fragment = str(delta.partial_json);
        if (state && fragment) state.json += fragment;
        return Boolean(fragment);
      }
      default:
        return false; // signature_delta, citations_delta: no text of their own
    }
  }

  private addUsage(usage: unknown): void {
    if (!isObject(usage)) return;
    for (const [key, value] of Object.entries(usage)) if (value !== null && value !== undefined) this.usage[key] = value;
  }
}
