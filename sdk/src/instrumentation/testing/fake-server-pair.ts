/** Test helper: a fresh pair of fake provider servers for each test of the calling suite. */
import { afterEach, beforeEach } from 'vitest';

interface Closable {
  close(): Promise<void>;
}

/**
 * One server for the unwrapped client and one for the traced client, started before each test and
 * closed after it. A fake numbers its ids per server, so the same calls get identical answers on both.
 */
export function fakeServerPairPerTest<S extends Closable>(start: () => Promise<S>): { readonly plain: S; readonly traced: S } {
  let servers: S[] = [];
  beforeEach(async () => {
    servers = await Promise.all([start(), start()]);
  });
  afterEach(async () => {
    await Promise.all(servers.map((server) => server.close()));
  });
  return {
    get plain() {
      return servers[0];
    },
    get traced() {
      return servers[1];
    },
  };
}
