/** A first-in, first-out async lock. */
export class Mutex {
  private held = false;
  private readonly waiters: (() => void)[] = [];

  /** True while held or while others wait: a newcomer must queue to keep the order. */
  get busy(): boolean {
    return this.held || this.waiters.length > 0;
  }

  acquire(): Promise<() => void> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve) => this.waiters.push(() => resolve(this.releaser())));
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next === undefined) this.held = false;
      else next();
    };
  }
}
