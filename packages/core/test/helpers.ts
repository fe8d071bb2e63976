/**
 * Shared test helpers for @picco/core. Core has no database: compile tests only call `toSQL()`,
 * and the few execution tests use `RecordingEngine`, our own `Engine` interface implemented in
 * memory (it records what it is asked to run and answers with canned results).
 */
import { expect } from 'vitest';
import { PiccoError, type CompiledQuery, type Engine, type ExecutionResult, type PiccoErrorCode } from '@picco/core';

/** An engine for building queries only; running anything on it is a test bug. */
export class FakeEngine<const P extends string = string> implements Engine {
  constructor(readonly path: P) {}

  executeSync(): ExecutionResult {
    throw new Error('FakeEngine cannot execute; use RecordingEngine');
  }
  execute(): Promise<ExecutionResult> {
    return Promise.reject(new Error('FakeEngine cannot execute; use RecordingEngine'));
  }
  transaction<T>(): Promise<T> {
    return Promise.reject(new Error('FakeEngine cannot execute; use RecordingEngine'));
  }
  transactionSync<T>(): T {
    throw new Error('FakeEngine cannot execute; use RecordingEngine');
  }
}

/** Records every execution (and transaction boundary) and answers with `result`. */
export class RecordingEngine implements Engine {
  readonly path = ':memory:?cache=shared';
  readonly log: string[] = [];
  readonly executed: CompiledQuery[] = [];
  result: ExecutionResult = { rows: [], changes: 0, lastInsertRowid: 0 };

  executeSync(query: CompiledQuery): ExecutionResult {
    this.log.push(`sync ${query.sql}`);
    this.executed.push(query);
    return this.result;
  }
  async execute(query: CompiledQuery): Promise<ExecutionResult> {
    this.log.push(`async ${query.sql}`);
    this.executed.push(query);
    return this.result;
  }
  async transaction<T>(callback: () => Promise<T>): Promise<T> {
    this.log.push('begin');
    const value = await callback();
    this.log.push('commit');
    return value;
  }
  transactionSync<T>(callback: () => T): T {
    this.log.push('begin');
    const value = callback();
    this.log.push('commit');
    return value;
  }
}

/** Runs `action`, expects a `PiccoError` with `code`, and returns it for message checks. */
export function catchPiccoError(action: () => unknown, code: PiccoErrorCode): PiccoError {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected a PiccoError to be thrown').toBeInstanceOf(PiccoError);
  const error = caught as PiccoError;
  expect(error.code).toBe(code);
  return error;
}

/** Asserts that `message` mentions each of `words` (case-insensitive). */
export function expectMentions(message: string, words: readonly string[]): void {
  for (const word of words) expect(message.toLowerCase()).toContain(word.toLowerCase());
}
