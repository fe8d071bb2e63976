export { runCli, type CliIo } from './cli.js';
export { defineConfig, type PiccoConfig } from './config.js';
export { diffSchemas, downOperations, parseRenames, type Renames, type SchemaDiff } from './diff.js';
export { MigrationRunner, type AppliedMigration, type RunnerOptions } from './runner.js';
export { HISTORY_TABLE, migrationDialect, type MigrationDialect } from './dialect.js';
export { readMigrations, schemaOfMigrations, type Migration, type MigrationFile } from './migration-files.js';
