/**
 * `tools` request parameters -> `gen_ai.tool.definitions`: `[{type, name, description?, parameters?}]`,
 * flattening the chat API's `{type: 'function', function: {...}}` nesting. Built-in tools
 * (web search, file search, ...) keep their type and name only.
 */
import { isObject, objects, str } from '../core/json.ts';
import { toolDefinition } from '../core/request.ts';

export function openAIToolDefinitions(tools: unknown): unknown[] {
  return objects(tools).map((tool) => {
    const fn = isObject(tool.function) ? tool.function : isObject(tool.custom) ? tool.custom : tool; // chat nests it; responses does not
    const type = str(tool.type) ?? 'function';
    if (type !== 'function' && type !== 'custom') return { type, ...(str(tool.name) ? { name: tool.name } : {}) };
    return toolDefinition(type, fn.name, fn.description, fn.parameters ?? fn.format);
  });
}
