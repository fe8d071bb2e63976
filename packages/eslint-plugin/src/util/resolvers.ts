/** The resolvers a rule uses for one linted file: by types when the file has them, else by scope. */
import type { TSESLint } from '@typescript-eslint/utils';
import { PackageNames } from './packages.js';
import type { QueryResolver } from './query-facts.js';
import { ScopeResolver } from './scope-resolver.js';
import { TypeResolver, typeInformationOf } from './type-resolver.js';

export interface Resolvers {
  /** Query facts: from types when available, else by scope analysis within the file. */
  readonly queries: QueryResolver;
  readonly scope: ScopeResolver;
  readonly types: TypeResolver | undefined;
}

/** Made lazily, once per linted file, inside the rule's `create`: no state outlives the file. */
export function lazyResolvers(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>): () => Resolvers {
  let resolvers: Resolvers | undefined;
  return () => {
    if (resolvers === undefined) {
      const scope = new ScopeResolver(context.sourceCode, context.filename);
      const services = typeInformationOf(context);
      const types = services === undefined ? undefined : new TypeResolver(services, new PackageNames(), context.filename);
      resolvers = { queries: types ?? scope, scope, types };
    }
    return resolvers;
  };
}
