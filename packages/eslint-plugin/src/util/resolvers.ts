/** The resolvers a rule uses for one linted file: by types when the file has them, else by scope. */
import type { TSESLint } from '@typescript-eslint/utils';
import type * as ts from 'typescript';
import { PackageNames } from './packages.js';
import { PiccoReach } from './picco-reach.js';
import type { QueryResolver } from './query-facts.js';
import { ScopeResolver } from './scope-resolver.js';
import { TypeResolver, newProgramCaches, typeInformationOf, type ProgramCaches } from './type-resolver.js';

export interface Resolvers {
  /** Query facts: from types when available, else by scope analysis within the file. */
  readonly queries: QueryResolver;
  readonly scope: ScopeResolver;
  readonly types: TypeResolver | undefined;
}

/**
 * Made lazily, once per linted file, inside the rule's `create`, and shared by the rules that lint
 * the file (keyed by its `SourceCode`, which a new lint of the file replaces). What outlives the
 * file lives with its TypeScript program: package names, reach, and the engines' traces.
 */
export function lazyResolvers(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>): () => Resolvers {
  let resolvers: Resolvers | undefined;
  return () => {
    resolvers ??= resolversBySource.get(context.sourceCode);
    if (resolvers === undefined) {
      const scope = new ScopeResolver(context.sourceCode, context.filename);
      const services = typeInformationOf(context);
      if (services === undefined) noteMissingTypeInformation(context);
      const types =
        services === undefined
          ? undefined
          : new TypeResolver(services, packageNamesFor(services.program), context.filename, (typescript) => piccoReachFor(services.program, typescript), cachesFor(services.program), (identifier) => scope.variableOf(identifier));
      resolvers = { queries: types ?? scope, scope, types };
      resolversBySource.set(context.sourceCode, resolvers);
    }
    return resolvers;
  };
}

const resolversBySource = new WeakMap<object, Resolvers>();

/** What the type resolvers learn once per program: engines' traces, engine and table types. */
const cachesByProgram = new WeakMap<ts.Program, ProgramCaches>();

function cachesFor(program: ts.Program): ProgramCaches {
  let caches = cachesByProgram.get(program);
  if (caches === undefined) {
    caches = newProgramCaches();
    cachesByProgram.set(program, caches);
  }
  return caches;
}

/**
 * One package-name cache per TypeScript program, shared by the rules and the files linted with
 * it. A cache per linted file re-read the same package.json files (and failed on the same
 * missing ones) for every file: over half of the rules' time on the lint benchmark. The program
 * is replaced whenever a source file changes, and the cache goes with it (weakly held).
 */
const packageNamesByProgram = new WeakMap<object, PackageNames>();

function packageNamesFor(program: object): PackageNames {
  let names = packageNamesByProgram.get(program);
  if (names === undefined) {
    names = new PackageNames();
    packageNamesByProgram.set(program, names);
  }
  return names;
}

/** Which files can see Picco: once per program, like the package names (see `picco-reach.ts`). */
const piccoReachByProgram = new WeakMap<ts.Program, PiccoReach>();

function piccoReachFor(program: ts.Program, typescript: typeof ts): PiccoReach {
  let reach = piccoReachByProgram.get(program);
  if (reach === undefined) {
    reach = new PiccoReach(program, typescript, packageNamesFor(program));
    piccoReachByProgram.set(program, reach);
  }
  return reach;
}

/** The setting `recommended-type-checked` carries: its rules expect type information. */
export const TYPE_INFORMATION_SETTING = { '@picco': { typeInformation: 'expected' } } as const;

// Once per process, not per file: a project linted without types would otherwise print it for
// every file. This is a message to the person running ESLint, not lint state.
let notedMissingTypeInformation = false;

/**
 * Under `recommended-type-checked` without type information, the rules quietly see within each
 * file only (an engine imported from another file is unknown, so its bugs go unreported). Say so
 * once, with the fix. Under `recommended` that is the documented behaviour: nothing to say.
 */
function noteMissingTypeInformation(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>): void {
  if (notedMissingTypeInformation) return;
  const settings = context.settings['@picco'] as { typeInformation?: unknown } | undefined;
  if (settings?.typeInformation !== TYPE_INFORMATION_SETTING['@picco'].typeInformation) return;
  notedMissingTypeInformation = true;
  console.warn(
    `@picco/eslint-plugin: the recommended-type-checked config is in use, but ${context.filename} is linted without type information, ` +
      'so the rules see within each file only (a query on an engine imported from another file is not checked). ' +
      'Lint with typescript-eslint\'s parser and languageOptions.parserOptions.projectService: true, ' +
      'or use the recommended config where types are not available. (Printed once.)',
  );
}

