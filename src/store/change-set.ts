import type { Conflict } from '../usecases/ports/index.js';

type Check =
  | { k: number; field: string; eq: string | false }
  | { k: number; absent: true }
  | { k: number; budget: { used: string; total: string; need: number } };

type Op =
  | { op: 'hset' | 'hdel'; k: number; fields: string[] }
  | { op: 'hincrby'; k: number; field: string; by: number }
  | { op: 'zadd'; k: number; score: number; member: string }
  | { op: 'zrem' | 'sadd' | 'srem'; k: number; member: string }
  | { op: 'set'; k: number; value: string; px?: number }
  | { op: 'del'; k: number }
  | { op: 'xadd'; k: number; fields: string[] }
  | { op: 'rpush'; k: number; value: string };

export interface IndexEntry {
  readonly key: string;
  readonly member: string;
  /** A sorted-set entry has a score; a set entry has none. */
  readonly score?: number;
}

/**
 * The checks and writes of one atomic change, in the shape apply-change.lua reads. Each check
 * carries the conflict to report when it fails, so callers learn what changed, not an index.
 */
export class ChangeSet {
  private readonly keyIndex = new Map<string, number>();
  readonly keys: string[] = [];
  private readonly checks: Check[] = [];
  readonly conflicts: Conflict[] = [];
  private readonly ops: Op[] = [];

  private k(key: string): number {
    let index = this.keyIndex.get(key);
    if (index === undefined) {
      this.keys.push(key);
      index = this.keys.length; // Lua's KEYS is 1-based
      this.keyIndex.set(key, index);
    }
    return index;
  }

  expectField(key: string, field: string, value: string | undefined, conflict: Conflict): void {
    this.checks.push({ k: this.k(key), field, eq: value ?? false });
    this.conflicts.push(conflict);
  }

  expectAbsent(key: string, conflict: Conflict): void {
    this.checks.push({ k: this.k(key), absent: true });
    this.conflicts.push(conflict);
  }

  expectBudget(key: string, used: string, total: string, need: number, conflict: Conflict): void {
    this.checks.push({ k: this.k(key), budget: { used, total, need } });
    this.conflicts.push(conflict);
  }

  hset(key: string, fields: Record<string, string>): void {
    const flat = Object.entries(fields).flat();
    if (flat.length > 0) this.ops.push({ op: 'hset', k: this.k(key), fields: flat });
  }

  hdel(key: string, fields: string[]): void {
    if (fields.length > 0) this.ops.push({ op: 'hdel', k: this.k(key), fields });
  }

  hincrby(key: string, field: string, by: number): void {
    this.ops.push({ op: 'hincrby', k: this.k(key), field, by });
  }

  set(key: string, value: string, px?: number): void {
    this.ops.push(
      px === undefined
        ? { op: 'set', k: this.k(key), value }
        : { op: 'set', k: this.k(key), value, px },
    );
  }

  xadd(key: string, fields: Record<string, string>): void {
    this.ops.push({ op: 'xadd', k: this.k(key), fields: Object.entries(fields).flat() });
  }

  rpush(key: string, value: string): void {
    this.ops.push({ op: 'rpush', k: this.k(key), value });
  }

  addIndex(entry: IndexEntry): void {
    const k = this.k(entry.key);
    this.ops.push(
      entry.score === undefined
        ? { op: 'sadd', k, member: entry.member }
        : { op: 'zadd', k, score: entry.score, member: entry.member },
    );
  }

  removeIndex(entry: IndexEntry): void {
    this.ops.push({
      op: entry.score === undefined ? 'srem' : 'zrem',
      k: this.k(entry.key),
      member: entry.member,
    });
  }

  /** Moves an entity's index entries from `before` to `after`, touching only what differs. */
  moveIndexes(before: readonly IndexEntry[], after: readonly IndexEntry[]): void {
    const id = (e: IndexEntry) => `${e.key}\u0000${e.member}\u0000${e.score ?? ''}`;
    const keep = new Set(after.map(id));
    const had = new Set(before.map(id));
    for (const entry of before) if (!keep.has(id(entry))) this.removeIndex(entry);
    for (const entry of after) if (!had.has(id(entry))) this.addIndex(entry);
  }

  get isEmpty(): boolean {
    return this.ops.length === 0 && this.checks.length === 0;
  }

  toScriptArgument(): string {
    return JSON.stringify({ checks: this.checks, ops: this.ops });
  }
}
