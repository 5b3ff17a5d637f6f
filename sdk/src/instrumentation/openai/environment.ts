/** Which provider an OpenAI client talks to: `openai`, or `azure.ai.openai` for Azure OpenAI. */
import { serverAttributes } from '../core/attributes.ts';
import { str } from '../core/json.ts';
import type { CallEnv } from '../core/request.ts';
import type { OpenAIInstrumentationOptions } from '../options.ts';

export interface OpenAIEnv extends CallEnv {
  /** Ask for usage on streams whose app set no `stream_options` (see OpenAIInstrumentationOptions). */
  streamUsage: boolean;
}

const AZURE_HOST = /\.(openai\.azure\.com|cognitiveservices\.azure\.com|services\.ai\.azure\.com|openai\.azure\.us|openai\.azure\.cn)$/i;

export function openAIEnv(client: object, options: OpenAIInstrumentationOptions): OpenAIEnv {
  const baseURL = str((client as { baseURL?: unknown }).baseURL);
  const azure = client.constructor?.name === 'AzureOpenAI' || isAzureHost(baseURL);
  return {
    provider: azure ? 'azure.ai.openai' : 'openai',
    server: serverAttributes(baseURL),
    captureContent: options.captureContent !== false,
    streamUsage: options.streamUsage ?? !azure,
  };
}

function isAzureHost(baseURL: string | undefined): boolean {
  if (!baseURL) return false;
  try {
    return AZURE_HOST.test(new URL(baseURL).hostname);
  } catch {
    return false;
  }
}
