/**
 * LLM client instrumentation without monkey-patching: `wrapOpenAI(client)` / `wrapAnthropic(client)`
 * return the same client, traced with OTel GenAI spans. See README.md for what is recorded.
 */
export { wrapAnthropic } from './anthropic/wrap-anthropic.ts';
export { wrapOpenAI } from './openai/wrap-openai.ts';
export { type InstrumentationOptions, type OpenAIInstrumentationOptions } from './options.ts';
