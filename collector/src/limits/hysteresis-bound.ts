/**
 * A bound that trips when a reading reaches its limit and clears only once the reading falls below a
 * fraction of it (90% by default), so admission near the limit does not flap between open and shut.
 * A limit of 0 disables the bound.
 */
export class HysteresisBound {
  private tripped = false;

  constructor(
    readonly limit: number,
    private readonly resumeRatio = 0.9,
  ) {}

  /** Takes a new reading; returns whether the bound is now over. */
  update(reading: number): boolean {
    if (this.limit <= 0) return false;
    if (!this.tripped && reading >= this.limit) this.tripped = true;
    else if (this.tripped && reading < this.limit * this.resumeRatio) this.tripped = false;
    return this.tripped;
  }

  get over(): boolean {
    return this.tripped;
  }
}
