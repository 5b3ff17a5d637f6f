/** The operations a store has running, so its shutdown can wait for them instead of cutting them off. */
export class InFlight {
  private readonly running = new Set<Promise<unknown>>();

  async track<T>(operation: Promise<T>): Promise<T> {
    this.running.add(operation);
    try {
      return await operation;
    } finally {
      this.running.delete(operation);
    }
  }

  /** Resolves once everything started so far has settled (successfully or not). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }
}
