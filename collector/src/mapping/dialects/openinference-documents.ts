/**
 * OpenInference payloads that are not chat: documents of RETRIEVER and RERANKER spans and the
 * texts of EMBEDDING spans, as canonical messages so every span kind reads the same way.
 *
 * Documents become parts `{type: 'document', id?, content?, score?, metadata?}` (an OTel GenAI
 * GenericPart: a typed part this mapper defines, kept whole) in one message. Retrieved documents
 * are what the retriever returned, the way a tool returns its result, so they sit in a `tool`
 * message; a reranker's input documents are part of its request and sit in a `user` message after
 * the query. Embedding vectors are not copied into messages: they stay in `attributes`.
 */
import type { MessagePart } from '../../events/canonical-event.ts';
import type { Attributes } from '../../otlp/span.ts';
import { firstOf, isObject, readJson, readNumber, readString, unflatten } from '../attribute-readers.ts';
import { textPart } from '../message-parts.ts';
import { NO_MESSAGES, type MessagesFound } from '../messages.ts';

/** `retrieval.documents.<i>.document.*`, `reranker.{input,output}_documents.<i>.document.*`. */
export function documentMessages(a: Attributes, prefix: string, role: string, queryKey?: string): MessagesFound {
  const list = unflatten(a, prefix);
  if (!list || !Array.isArray(list.value)) return NO_MESSAGES;
  const parts = list.value.map(documentPart).filter((p): p is MessagePart => p !== undefined);
  if (parts.length === 0) return NO_MESSAGES;
  const lead = queryKey === undefined ? undefined : firstOf(a, [queryKey], readString);
  const keys = lead ? [lead.key, ...list.keys] : list.keys;
  return { messages: [{ role, parts: lead ? [textPart(lead.value), ...parts] : parts }], keys };
}

/** `embedding.embeddings.<i>.embedding.text`: one user message, a text part per embedded input. */
export function embeddingTexts(a: Attributes): MessagesFound {
  const list = unflatten(a, 'embedding.embeddings');
  if (!list || !Array.isArray(list.value)) return NO_MESSAGES;
  const texts = list.value.map((item) => (isObject(item) && isObject(item.embedding) ? readString(item.embedding.text) : undefined));
  const parts = texts.filter((t): t is string => t !== undefined).map(textPart);
  if (parts.length === 0) return NO_MESSAGES;
  // Only the text keys are consumed; vectors (`.embedding.vector`) are no canonical field and stay.
  return { messages: [{ role: 'user', parts }], keys: list.keys.filter((key) => key.endsWith('.embedding.text')) };
}

function documentPart(item: unknown): MessagePart | undefined {
  const doc = isObject(item) && isObject(item.document) ? item.document : undefined;
  if (doc === undefined) return undefined;
  const part: MessagePart = { type: 'document' };
  const id = readString(doc.id);
  if (id !== undefined) part.id = id;
  if (typeof doc.content === 'string') part.content = doc.content;
  const score = readNumber(doc.score);
  if (score !== undefined) part.score = score;
  const metadata = readJson(doc.metadata); // a JSON string by the spec; Python SDKs sometimes send repr text
  if (metadata !== undefined) part.metadata = metadata;
  return Object.keys(part).length > 1 ? part : undefined;
}
