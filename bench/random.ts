/** The tests' seeded PRNG, so every bench run generates the same data. */
export { seededRandom } from '../collector/src/testing/seeded-random.ts';

const WORDS = 'the model answer weather paris tool call context user assistant token cache price latency stream agent retrieval document summary question budget invoice contact'.split(' ');

/**
 * Prose-like text of about `bytes` bytes. About one message in ten holds an e-mail address and one in
 * twenty an API key, so redaction finds real work without every message being full of secrets.
 */
export function text(random: () => number, bytes: number): string {
  const words: string[] = [];
  let size = 0;
  while (size < bytes) {
    const roll = random();
    const word = roll < 0.0001 ? `jane.doe${Math.floor(random() * 1000)}@example.com` : roll < 0.00015 ? `sk-${Math.floor(random() * 1e16).toString(36)}abcdefghijklmnop` : WORDS[Math.floor(random() * WORDS.length)];
    words.push(word);
    size += word.length + 1;
  }
  return words.join(' ');
}
