/**
 * Accumulates ChatCompletionChunks into the ChatCompletion they add up to: text, reasoning and
 * refusal deltas per choice, tool-call argument fragments per tool-call index, finish reasons,
 * and usage from the final chunk (present with `stream_options.include_usage`).
 */
import type { Attributes } from '@opentelemetry/api';
import { isObject, list, num, objects, str, type Json } from '../core/json.ts';
import type { StreamRecorder } from '../core/traced-call.ts';
import { chatCompletionAttributes } from './chat-response.ts';

interface ToolCallState {
  id?: string;
  name?: string;
  arguments: string;
}

interface ChoiceState {
  content: string;
  reasoning: string;
  refusal: string;
  toolCalls: Map<number, ToolCallState>;
  finishReason?: string;
}

export class ChatStreamRecorder implements StreamRecorder {
  private id: string | undefined;
  private model: string | undefined;
  private usage: unknown;
  private readonly choices = new Map<number, ChoiceState>();

  /** `usageRequested`: the wrapper added `include_usage`, so what that adds is hidden from the app. */
  constructor(
    private readonly captureContent: boolean,
    private readonly usageRequested: boolean,
  ) {}

  hide(chunk: unknown): boolean {
    if (!this.usageRequested || !isObject(chunk)) return false;
    if (isObject(chunk.usage) && list(chunk.choices).length === 0) return true; // the usage-only final chunk
    if (chunk.usage === null) delete chunk.usage; // without include_usage, chunks have no usage field
    return false;
  }

  record(chunk: unknown): boolean {
    if (!isObject(chunk)) return false;
    this.id ??= str(chunk.id);
    this.model ??= str(chunk.model);
    if (isObject(chunk.usage)) this.usage = chunk.usage;
    let output = false;
    for (const choice of objects(chunk.choices)) {
      const state = this.choice(num(choice.index) ?? 0);
      const delta = isObject(choice.delta) ? choice.delta : {};
      output = this.append(state, delta) || output;
      const finish = str(choice.finish_reason);
      if (finish) state.finishReason = finish;
    }
    return output;
  }

  attributes(): Attributes {
    const choices = [...this.choices.entries()].map(([index, c]) => ({
      index,
      finish_reason: c.finishReason,
      message: {
        role: 'assistant',
        reasoning_content: c.reasoning || undefined,
        content: c.content || null,
        refusal: c.refusal || undefined,
        tool_calls: [...c.toolCalls.values()].map((t) => ({ id: t.id, type: 'function', function: { name: t.name, arguments: t.arguments } })),
      },
    }));
    return chatCompletionAttributes({ id: this.id, model: this.model, choices, usage: this.usage }, this.captureContent);
  }

  private append(state: ChoiceState, delta: Json): boolean {
    let output = false;
    for (const [key, field] of [['content', 'content'], ['reasoning_content', 'reasoning'], ['refusal', 'refusal']] as const) {
      const text = str(delta[key]);
      if (text) {
        state[field] += text;
        output = true;
      }
    }
    for (const call of objects(delta.tool_calls)) {
      const index = num(call.index) ?? state.toolCalls.size;
      const tool = state.toolCalls.get(index) ?? { arguments: '' };
      const fn = isObject(call.function) ? call.function : {};
      tool.id ??= str(call.id);
      tool.name ??= str(fn.name);
      tool.arguments += str(fn.arguments) ?? '';
      state.toolCalls.set(index, tool);
      output = true;
    }
    return output;
  }

  private choice(index: number): ChoiceState {
    let state = this.choices.get(index);
    if (!state) {
      state = { content: '', reasoning: '', refusal: '', toolCalls: new Map() };
      this.choices.set(index, state);
    }
    return state;
  }
}
