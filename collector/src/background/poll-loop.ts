/**
 * Runs a round of background work again and again: at once while a round makes progress, otherwise
 * after `pollMs` or as soon as someone pokes. A failed round is reported and the loop goes on (the
 * store may come back). Lifecycle: start() once; poke() any time; stop() ends the loop after the
 * current round and is safe to call twice.
 */
export class PollLoop {
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private poked = false;

  /** `round` returns how much it did; 0 means "nothing due, wait". */
  constructor(
    private readonly round: () => Promise<number>,
    private readonly pollMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  poke(): void {
    this.poked = true;
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    this.loop = null;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let done = 0;
      try {
        done = await this.round();
      } catch (err) {
        this.onError(err);
      }
      if (done > 0 || !this.running) continue;
      if (this.poked) {
        this.poked = false;
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.pollMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
      this.poked = false;
    }
  }
}
