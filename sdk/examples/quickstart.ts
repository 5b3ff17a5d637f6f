import OpenAI from 'openai';
import { init, withSession, wrapOpenAI } from '@observa/sdk';

const observa = init({ serviceName: 'quickstart' }); // reads OBSERVA_API_KEY and OBSERVA_ENDPOINT
const openai = wrapOpenAI(new OpenAI()); // reads OPENAI_API_KEY (and OPENAI_BASE_URL)

await withSession('session-42', async () => {
  const stream = await openai.chat.completions.create({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'Say hello' }] });
  for await (const chunk of stream) process.stdout.write(chunk.choices[0]?.delta?.content ?? '');
});
await observa.shutdown();
