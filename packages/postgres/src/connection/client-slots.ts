/**
 * The engine's own admission queue in front of node-postgres's pool: at most `max` callers hold
 * a connection at a time, the others wait here, first come, first served.
 *
 * Why not let the pool queue them: `pool.end()` never settles the callers still waiting in
 * node-postgres's queue, so a query made just before `close()` would hang forever. Waiting here
 * instead, they are refused with `ENGINE_CLOSED` the moment the engine closes.
 *
 * A caller that finishes while others wait may hand its connection straight to the next one
 * (`release(connection)`): the connection goes from one query to the next without a trip through
 * the pool's idle list and another turn of the event loop (measured: 64 concurrent callers on 10
 * connections spent about a third of their time in that trip).
 */
export interface Slot<C> {
  /** A connection handed over by the previous holder, or `undefined`: take one from the pool. */
  readonly connection: C | undefined;
  /**
   * Gives the slot back (calling it twice is harmless). With a `connection` that is fine to
   * reuse, it goes to the next waiter if there is one: then `true`, and the caller must not
   * return it to the pool.
   */
  release(connection?: C): boolean;
}

export class ClientSlots<C> {
  private free: number;
  private readonly waiters: { grant: (slot: Slot<C>) => void; refuse: (error: unknown) => void }[] = [];
  private refusal: (() => unknown) | undefined;

  constructor(size: number) {
    this.free = size;
  }

  acquire(): Promise<Slot<C>> {
    if (this.refusal !== undefined) return Promise.reject(this.refusal());
    if (this.free > 0) {
      this.free--;
      return Promise.resolve(this.slot(undefined));
    }
    return new Promise((grant, refuse) => this.waiters.push({ grant, refuse }));
  }

  /** Refuses every waiter now and every later `acquire`; slots already held are unaffected. */
  refuseAll(refusal: () => unknown): void {
    this.refusal = refusal;
    for (const waiter of this.waiters.splice(0)) waiter.refuse(refusal());
  }

  private slot(connection: C | undefined): Slot<C> {
    let released = false;
    return {
      connection,
      release: (handOff) => {
        if (released) return false;
        released = true;
        const next = this.waiters.shift();
        if (next === undefined) {
          this.free++;
          return false;
        }
        next.grant(this.slot(handOff));
        return handOff !== undefined;
      },
    };
  }
}
