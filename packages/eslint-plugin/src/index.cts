/**
 * The CommonJS entry: `require('@picco/eslint-plugin')` returns the plugin object itself, as an
 * ESLint config written in CommonJS expects (not a `{ default }` namespace). It loads the ES
 * module entry with `require()`, which Node supports for ES modules without top-level await
 * from 20.19 on, so both entries share one plugin object.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS entry loads the ES module with require()
import esm = require('./index.js');

export = esm.default;
