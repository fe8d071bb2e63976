// `pnpm demo`: the story of the :memory: pitfall, against real SQLite, in one run.
import { join } from 'node:path';
import { runtimeStory } from './runtime-story.mjs';

const root = join(import.meta.dirname, '..');
const ok = runtimeStory(root);
console.log(ok ? '\nDemo finished: the unsafe program was refused with an explanation; both fixes work.' : '\nDemo FAILED: see above.');
process.exit(ok ? 0 : 1);
