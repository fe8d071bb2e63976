/**
 * The SQL text of a statement depends only on its shape (table, columns, operators, list
 * lengths, LIMIT/OFFSET), never on its values. This cache keeps each shape's text so that the
 * same shape always yields the very same string object.
 *
 * Why it matters: the runtime finds a prepared statement by its SQL text in a `Map`. A string
 * built afresh for every query has to be flattened and hashed on each lookup; a string that
 * has been looked up before carries its hash. Measured on a point select
 * (`Band.select().where(Band.id.eq(id)).first().runSync()`): building the text and hashing it
 * cost ~0.4 µs of ~2.2 µs, against 1.1 µs for the whole query on raw better-sqlite3.
 *
 * A shape is found by walking a trie whose keys are the table's own column nodes (created once
 * by `defineTable`), memoized strings and small constants (kinds, operators, lengths), so a
 * lookup is a few identity-keyed `Map` reads and builds no text. Each table has its own trie,
 * held weakly by the table's node, and a bounded number of trie nodes: past the bound (many
 * distinct OFFSETs, say) new shapes are simply compiled every time, as before. Each dialect has
 * its own tries (`createShapeTries`): one shape is different text for SQLite and PostgreSQL.
 */
import type { SelectNode, TableRefNode } from '../operation-node/nodes.js';
import type { CompiledQuery, StatementMemo } from './compiled-query.js';

/** What a statement's shape determines: everything of a `CompiledQuery` but its values. */
export interface ShapeResult {
  readonly sql: string;
  readonly mode: CompiledQuery['mode'];
  readonly readOnly: boolean;
  readonly safeIntegers: boolean;
  /** The parameters the dialect sends as decimals (numeric values): their index and scale. */
  readonly decimals?: readonly (readonly [index: number, scale: number])[];
  /** Shared by every query of this shape (see `CompiledQuery.statementMemo`). */
  readonly statementMemo?: StatementMemo;
}

/** Trie nodes per table; a few hundred shapes are plenty for an application's queries. */
export const MAX_SHAPE_NODES_PER_TABLE = 4096;

interface TrieNode {
  next: Map<unknown, TrieNode> | undefined;
  result: ShapeResult | undefined;
  /** The child last stepped to, and its token: a hot loop of one shape compares, skipping the Map. */
  lastToken: unknown;
  lastChild: TrieNode | undefined;
  /** A jump over a select's frame walked from here (see `skipFrame`), and how often it missed since it last hit. */
  frame: FrameShortcut | undefined;
  frameMisses: number;
}

/**
 * The parts of a select that are neither its WHERE nor its LIMIT/OFFSET: a query built in a
 * loop from one `select()` shares all of them by identity (nodes are immutable and derived by
 * spreading), and when they hold no values their tokens are the same every time.
 */
type SelectFrame = Pick<SelectNode, 'selection' | 'distinct' | 'countDistinct' | 'groupBy' | 'having' | 'orderBy'>;

interface FrameShortcut extends SelectFrame {
  /** Where the frame's steps lead. */
  readonly to: TrieNode;
}

/** Misses in a row after which a frame's shortcut is replaced by the frame walked last. */
const FRAME_MISSES_BEFORE_REPLACING = 16;

export interface TableTrie {
  readonly root: TrieNode;
  size: number;
}

/** The tries of one dialect, one per table. */
export class ShapeTries {
  private readonly byTable = new WeakMap<TableRefNode, TableTrie>();
  // The table asked for last: a loop of queries on one table skips the WeakMap.
  private lastTable: TableRefNode | undefined;
  private lastTrie: TableTrie | undefined;

  trieOf(table: TableRefNode): TableTrie {
    if (table === this.lastTable) return this.lastTrie!;
    let trie = this.byTable.get(table);
    if (trie === undefined) {
      trie = { root: newNode(), size: 1 };
      this.byTable.set(table, trie);
    }
    this.lastTable = table;
    this.lastTrie = trie;
    return trie;
  }
}

export function createShapeTries(): ShapeTries {
  return new ShapeTries();
}

/** Walks one statement's shape token by token; `found` is its cached result, if any. */
export class ShapeCursor {
  private readonly trie: TableTrie;
  private node: TrieNode | undefined;

  constructor(table: TableRefNode, tries: ShapeTries) {
    const trie = tries.trieOf(table);
    this.trie = trie;
    this.node = trie.root;
  }

  /**
   * Moves to the child for `token`, creating it while the table's bound allows. `alias`: an
   * object that always stands for this token (a selection node for its column list's text),
   * remembered as the last step so that `stepByAlias` can take it without the token.
   */
  step(token: unknown, alias: unknown = token): void {
    const node = this.node;
    if (node === undefined) return;
    if (node.lastChild !== undefined && node.lastToken === token) {
      this.node = node.lastChild;
      return;
    }
    let child = node.next?.get(token);
    if (child === undefined) {
      if (this.trie.size >= MAX_SHAPE_NODES_PER_TABLE) {
        this.node = undefined;
        return;
      }
      child = newNode();
      (node.next ??= new Map()).set(token, child);
      this.trie.size++;
    }
    node.lastToken = alias;
    node.lastChild = child;
    this.node = child;
  }

  /**
   * Steps as `step(token, alias)` did last time from here, when that was the last step taken
   * from this node; `false` when the caller must work out the token and call `step`. Saves the
   * token's lookup (a WeakMap read) in a loop of one shape.
   */
  stepByAlias(alias: object): boolean {
    const node = this.node;
    if (node === undefined) return true;
    if (node.lastChild !== undefined && node.lastToken === alias) {
      this.node = node.lastChild;
      return true;
    }
    return false;
  }

  /**
   * Jumps over the steps of `node`'s frame when they were walked from here before for the
   * very same frame objects; `false` when the caller must walk them (then `rememberFrame`).
   */
  skipFrame(node: SelectNode): boolean {
    const at = this.node;
    const frame = at?.frame;
    if (
      frame === undefined ||
      frame.selection !== node.selection ||
      frame.orderBy !== node.orderBy ||
      frame.distinct !== node.distinct ||
      frame.groupBy !== node.groupBy ||
      frame.having !== node.having ||
      frame.countDistinct !== node.countDistinct
    ) {
      return false;
    }
    at!.frameMisses = 0;
    this.node = frame.to;
    return true;
  }

  /** Where a frame's walk starts, for `rememberFrame`. */
  get position(): object | undefined {
    return this.node;
  }

  /** Keeps a jump from `start` (a `position`) over the frame just walked from it. */
  rememberFrame(start: object | undefined, node: SelectNode): void {
    const from = start as TrieNode | undefined;
    const to = this.node;
    if (from === undefined || to === undefined) return;
    // One shortcut per trie node: a loop alternating two frames keeps the first rather than
    // making a new shortcut on every query.
    if (from.frame !== undefined && ++from.frameMisses < FRAME_MISSES_BEFORE_REPLACING) return;
    const { selection, distinct, countDistinct, groupBy, having, orderBy } = node;
    from.frame = { selection, distinct, countDistinct, groupBy, having, orderBy, to };
    from.frameMisses = 0;
  }

  get found(): ShapeResult | undefined {
    return this.node?.result;
  }

  /** Keeps `result` for this shape (unless the table's bound was reached) and returns it. */
  store(result: ShapeResult): ShapeResult {
    if (this.node !== undefined) this.node.result = result;
    return result;
  }
}

function newNode(): TrieNode {
  return { next: undefined, result: undefined, lastToken: undefined, lastChild: undefined, frame: undefined, frameMisses: 0 };
}
