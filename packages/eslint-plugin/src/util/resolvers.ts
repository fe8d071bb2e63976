/** The resolvers a rule uses for one linted file: by types when the file has them, else by scope. */
import type { TSESLint } from '@typescript-eslint/utils';
import type * as ts from 'typescript';
import { PackageNames } from './packages.js';
import { PiccoReach } from './picco-reach.js';
import type { QueryResolver } from './query-facts.js';
import { ScopeResolver } from './scope-resolver.js';
import { TypeResolver, typeInformationOf } from './type-resolver.js';

export interface Resolvers {
  /** Query facts: from types when available, else by scope analysis within the file. */
  readonly queries: QueryResolver;
  readonly scope: ScopeResolver;
  readonly types: TypeResolver | undefined;
}

/** Made lazily, once per linted file, inside the rule's `create`: only the package names outlive the file, with their program. */
export function lazyResolvers(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>): () => Resolvers {
  let resolvers: Resolvers | undefined;
  return () => {
    if (resolvers === undefined) {
      const scope = new ScopeResolver(context.sourceCode, context.filename);
      const services = typeInformationOf(context);
      const types = services === undefined ? undefined : new TypeResolver(services, packageNamesFor(services.program), context.filename, (typescript) => piccoReachFor(services.program, typescript));
      resolvers = { queries: types ?? scope, scope, types };
    }
    return resolvers;
  };
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
