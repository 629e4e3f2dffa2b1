/**
 * A sleep that an event can cut short: a reader waits for more input with `sleep(left)` until its deadline, and
 * the input's callback calls `wake()`. One sleeper at a time (each user has one reader).
 */
export class Wakeup {
  private wakeNow: (() => void) | undefined;

  /** Resolves at the next `wake()` or after `ms`, whichever comes first. */
  async sleep(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeNow = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wakeNow = undefined;
  }

  /** Ends the current sleep, if any. */
  wake(): void {
    this.wakeNow?.();
  }

  /** Forget the sleeper (its sleep still ends at its timeout). */
  clear(): void {
    this.wakeNow = undefined;
  }
}
