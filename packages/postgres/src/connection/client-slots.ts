/**
 * The engine's own admission queue in front of node-postgres's pool: at most `max` callers hold
 * a connection at a time, the others wait here, first come, first served.
 *
 * Why not let the pool queue them: `pool.end()` never settles the callers still waiting in
 * node-postgres's queue, so a query made just before `close()` would hang forever. Waiting here
 * instead, they are refused with `ENGINE_CLOSED` the moment the engine closes.
 */
export class ClientSlots {
  private free: number;
  private readonly waiters: { grant: (release: () => void) => void; refuse: (error: unknown) => void }[] = [];
  private refusal: (() => unknown) | undefined;

  constructor(size: number) {
    this.free = size;
  }

  /** Resolves with the function that gives the slot back (calling it twice is harmless). */
  acquire(): Promise<() => void> {
    if (this.refusal !== undefined) return Promise.reject(this.refusal());
    if (this.free > 0) {
      this.free--;
      return Promise.resolve(this.releaser());
    }
    return new Promise((grant, refuse) => this.waiters.push({ grant, refuse }));
  }

  /** Refuses every waiter now and every later `acquire`; slots already held are unaffected. */
  refuseAll(refusal: () => unknown): void {
    this.refusal = refusal;
    for (const waiter of this.waiters.splice(0)) waiter.refuse(refusal());
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next === undefined) this.free++;
      else next.grant(this.releaser());
    };
  }
}
