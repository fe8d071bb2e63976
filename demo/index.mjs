// `pnpm demo`: the story of the :memory: pitfall, against real SQLite and real ESLint, in one run.
import { join } from 'node:path';
import { lintStory } from './lint-story.mjs';
import { outputWidth, wrap } from './print.mjs';
import { runtimeStory } from './runtime-story.mjs';

const root = join(import.meta.dirname, '..');
const runtimeOk = runtimeStory(root);
const lintOk = await lintStory(root);
const ok = runtimeOk && lintOk;
console.log(
  `\n${ok ? wrap('Demo finished: the unsafe program was refused with an explanation, both fixes work, and the linter found and fixed the bug before it ran.', outputWidth()) : 'Demo FAILED: see above.'}`,
);
process.exit(ok ? 0 : 1);
