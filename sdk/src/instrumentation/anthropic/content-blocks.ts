/**
 * Anthropic content blocks -> OTel parts, and Messages API `messages` -> OTel messages.
 *
 * Anthropic sends tool results inside user messages; OTel gives them the `tool` role, so a user
 * message is split where its blocks change between tool results and anything else (order kept).
 */
import { isObject, list, objects, str, type Json } from '../core/json.ts';
import { omittedBlob, urlPart } from '../core/media.ts';
import { reasoningPart, textOrParts, textPart, toolCallPart, toolResponsePart, type Message, type Part } from '../core/parts.ts';

export function anthropicMessages(messages: unknown): Message[] {
  const out: Message[] = [];
  for (const message of objects(messages)) {
    const role = str(message.role) ?? 'user';
    if (typeof message.content === 'string') {
      out.push({ role, parts: [textPart(message.content)] });
      continue;
    }
    let current: Message | undefined;
    for (const block of objects(message.content)) {
      const part = blockPart(block);
      const partRole = part.type === 'tool_call_response' ? 'tool' : role;
      if (current?.role !== partRole) {
        current = { role: partRole, parts: [] };
        out.push(current);
      }
      current.parts.push(part);
    }
  }
  return out;
}

/** `system`: a string or text blocks. */
export function systemParts(system: unknown): Part[] {
  return textOrParts(system, blockPart);
}

export function blockPart(block: Json): Part {
  const type = str(block.type) ?? 'unknown';
  switch (type) {
    case 'text':
      return textPart(str(block.text) ?? '');
    case 'thinking':
      return reasoningPart(str(block.thinking) ?? '');
    case 'image':
    case 'document':
      return sourcePart(block.source, type === 'image' ? 'image' : undefined, type);
    case 'tool_use':
    case 'server_tool_use':
    case 'mcp_tool_use':
      return toolCallPart(str(block.id), str(block.name), block.input);
    case 'tool_result':
      return toolResponsePart(str(block.tool_use_id), resultContent(block.content));
    default:
      // Server-tool results (`web_search_tool_result`, `mcp_tool_result`, ...) answer a server_tool_use.
      if (type.endsWith('_tool_result')) return toolResponsePart(str(block.tool_use_id), block.content);
      return { type }; // redacted_thinking and unknown blocks: the type only, never their payload
  }
}

function sourcePart(source: unknown, modality: string | undefined, fallback: string): Part {
  if (!isObject(source)) return { type: fallback };
  const mime = str(source.media_type);
  if (source.type === 'base64' && typeof source.data === 'string') return omittedBlob(source.data, mime, modality);
  if (source.type === 'url' && typeof source.url === 'string') return urlPart(source.url, modality, mime);
  if (source.type === 'file' && typeof source.file_id === 'string') return { type: 'file', ...(modality ? { modality } : {}), file_id: source.file_id };
  if (source.type === 'text' && typeof source.data === 'string') return textPart(source.data);
  return { type: fallback };
}

/** A tool_result's content: a string, text blocks joined, or (with media) the converted blocks. */
function resultContent(content: unknown): unknown {
  if (typeof content === 'string' || content === undefined) return content ?? '';
  const blocks = objects(content);
  if (blocks.every((b) => b.type === 'text')) return blocks.map((b) => str(b.text) ?? '').join('');
  return list(content).filter(isObject).map(blockPart);
}
