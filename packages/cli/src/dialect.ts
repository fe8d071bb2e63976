/**
 * What differs between databases for migrations: how schema operations become batch steps (core's
 * dialects: a rebuild where SQLite's ALTER TABLE cannot, ALTER TABLE in place on PostgreSQL), the
 * history table's SQL, and the lock that keeps two runs apart (SQLite: BEGIN IMMEDIATE, its write
 * lock; PostgreSQL: an advisory lock taken first in each migration's transaction).
 */
import { PiccoError, PiccoErrorCode, postgresSchemaSteps, sqliteSchemaSteps, type BatchStep, type Engine, type SchemaOperation, type SchemaState } from '@picco/core';

export interface MigrationDialect {
  readonly name: 'sqlite' | 'postgres';
  /** The steps of `operations`, compiled against `state` (the schema just before them). */
  steps(operations: readonly SchemaOperation[], state: SchemaState): BatchStep[];
  /** Taken first in every migration's transaction (PostgreSQL's advisory lock); SQLite's BEGIN IMMEDIATE is its lock. */
  readonly lock?: string;
  readonly createHistory: string;
  /** Returns a row when the history table exists (without creating it). */
  readonly historyExists: string;
  readonly selectApplied: string;
  /** Parameters: name, applied_at. */
  readonly recordApplied: string;
  /** Parameter: name. */
  readonly removeApplied: string;
  /** Parameter: name; returns a row when the migration is applied. */
  readonly isApplied: string;
  /** Parameter: name; returns a row when the migration is not applied. */
  readonly isNotApplied: string;
}

export const HISTORY_TABLE = 'picco_migrations';

const sqlite: MigrationDialect = {
  name: 'sqlite',
  steps: sqliteSchemaSteps,
  createHistory: `CREATE TABLE IF NOT EXISTS "${HISTORY_TABLE}" ("name" TEXT PRIMARY KEY, "applied_at" TEXT NOT NULL)`,
  historyExists: `SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = '${HISTORY_TABLE}'`,
  selectApplied: `SELECT "name", "applied_at" FROM "${HISTORY_TABLE}" ORDER BY "name"`,
  recordApplied: `INSERT INTO "${HISTORY_TABLE}" ("name", "applied_at") VALUES (?, ?)`,
  removeApplied: `DELETE FROM "${HISTORY_TABLE}" WHERE "name" = ?`,
  isApplied: `SELECT 1 FROM "${HISTORY_TABLE}" WHERE "name" = ?`,
  isNotApplied: `SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM "${HISTORY_TABLE}" WHERE "name" = ?)`,
};

/** An advisory lock every `picco migrate` takes inside its transactions on PostgreSQL: two deploys take turns. */
export const POSTGRES_MIGRATION_LOCK = 7_203_261_401;

const postgres: MigrationDialect = {
  name: 'postgres',
  steps: postgresSchemaSteps,
  lock: `SELECT pg_advisory_xact_lock(${POSTGRES_MIGRATION_LOCK})`,
  createHistory: `CREATE TABLE IF NOT EXISTS "${HISTORY_TABLE}" ("name" text PRIMARY KEY, "applied_at" text NOT NULL)`,
  // Resolved on the search path, as CREATE TABLE names it.
  historyExists: `SELECT 1 WHERE to_regclass('"${HISTORY_TABLE}"') IS NOT NULL`,
  selectApplied: `SELECT "name", "applied_at" FROM "${HISTORY_TABLE}" ORDER BY "name"`,
  recordApplied: `INSERT INTO "${HISTORY_TABLE}" ("name", "applied_at") VALUES ($1, $2)`,
  removeApplied: `DELETE FROM "${HISTORY_TABLE}" WHERE "name" = $1`,
  isApplied: `SELECT 1 FROM "${HISTORY_TABLE}" WHERE "name" = $1`,
  isNotApplied: `SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM "${HISTORY_TABLE}" WHERE "name" = $1)`,
};

/** The engine's dialect (`Engine.dialect`, absent for SQLite), unless the config names one. */
export function migrationDialect(engine: Engine, configured: 'sqlite' | 'postgres' | undefined): MigrationDialect {
  const name = configured ?? engine.dialect ?? 'sqlite';
  if (name === 'sqlite') return sqlite;
  if (name === 'postgres') return postgres;
  throw new PiccoError(PiccoErrorCode.INVALID_OPTION, `Migrations know the dialects "sqlite" and "postgres", not ${JSON.stringify(name)}.`);
}
