#!/usr/bin/env node
/** The `picco` executable: see cli.ts for the commands. */
import { runCli } from './cli.js';

process.exitCode = await runCli(process.argv.slice(2));
