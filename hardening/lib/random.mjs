/**
 * A small seeded generator (xorshift32), so a generated project is the same for the same seed:
 * a benchmark can be rerun on identical input, and a failing quick test can be replayed.
 */
export function createRandom(seed = 1) {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
  return {
    next,
    /** An integer in [0, n). */
    int: (n) => Math.floor(next() * n),
    /** One element of a non-empty array. */
    pick: (items) => items[Math.floor(next() * items.length)],
    chance: (p) => next() < p,
  };
}
