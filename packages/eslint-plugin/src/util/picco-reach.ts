/**
 * Which files of a TypeScript program can hold a Picco query: a file that imports `@picco/*`,
 * or imports (or re-exports from) a file that can, transitively, through barrels and packages
 * built on Picco. In any other file no expression can have a Picco type, so the rules ask the
 * checker nothing there (most of an application's files, and in a cold run each type question
 * costs TypeScript's lazy checking of that expression).
 *
 * Globals can carry types past imports (`declare global { var DB: SQLiteEngine }`, or a global
 * script with `import('...')` types); when the program has such a declaration in a file that can
 * see Picco, every file counts as able to.
 */
import type * as ts from 'typescript';
import type { PackageNames } from './packages.js';

type TypeScript = typeof ts;

export class PiccoReach {
  private readonly reaching: ReadonlySet<string> | 'every file';
  /** The program holds a package whose engines refuse synchronous calls (`@picco/postgres`). */
  readonly hasAsyncOnlyEngines: boolean;

  constructor(program: ts.Program, typescript: TypeScript, packages: PackageNames) {
    this.reaching = reachingFiles(program, typescript, packages);
    this.hasAsyncOnlyEngines = program.getSourceFiles().some((sourceFile) => packages.isAsyncOnlyEngine(sourceFile.fileName));
  }

  canSeePicco(sourceFile: ts.SourceFile): boolean {
    return this.reaching === 'every file' || this.reaching.has(sourceFile.fileName);
  }
}

function reachingFiles(program: ts.Program, typescript: TypeScript, packages: PackageNames): ReadonlySet<string> | 'every file' {
  const checker = program.getTypeChecker();
  const importers = new Map<string, string[]>();
  const reaching = new Set<string>();
  const queue: string[] = [];
  const seed = (fileName: string) => {
    if (reaching.has(fileName)) return;
    reaching.add(fileName);
    queue.push(fileName);
  };
  const globalScripts: ts.SourceFile[] = [];
  const globalAugmentations: ts.SourceFile[] = [];

  for (const sourceFile of program.getSourceFiles()) {
    const fileName = sourceFile.fileName;
    if (packages.isPicco(fileName)) {
      seed(fileName);
      continue;
    }
    if (program.isSourceFileDefaultLibrary(sourceFile)) continue;
    if (!typescript.isExternalModule(sourceFile)) {
      globalScripts.push(sourceFile);
      continue;
    }
    const text = sourceFile.text;
    if (text.includes('declare global')) globalAugmentations.push(sourceFile);
    // `import('...')` (as a value or a type) and `require('...')` are not followed: such a file counts as
    // seeing Picco. A library's declarations use `import()` types among its own files: there, only a
    // mention of `@picco/` counts.
    const external = program.isSourceFileFromExternalLibrary(sourceFile);
    if (external ? text.includes('@picco/') : text.includes('import(') || text.includes('require(')) seed(fileName);
    for (const statement of sourceFile.statements) {
      const specifier = moduleSpecifierOf(typescript, statement);
      if (specifier === undefined) continue;
      const module = checker.getSymbolAtLocation(specifier);
      for (const declaration of module?.declarations ?? []) {
        const target = declaration.getSourceFile().fileName;
        let list = importers.get(target);
        if (list === undefined) importers.set(target, (list = []));
        list.push(fileName);
      }
    }
  }

  while (queue.length > 0) {
    const fileName = queue.pop()!;
    for (const importer of importers.get(fileName) ?? []) seed(importer);
  }

  // A global declaration with a Picco type would be visible in every file.
  if (globalAugmentations.some((file) => reaching.has(file.fileName))) return 'every file';
  if (globalScripts.some((file) => !program.isSourceFileFromExternalLibrary(file) && (file.text.includes('import(') || file.text.includes('picco')))) return 'every file';
  return reaching;
}

function moduleSpecifierOf(typescript: TypeScript, statement: ts.Statement): ts.Expression | undefined {
  if (typescript.isImportDeclaration(statement)) return statement.moduleSpecifier;
  if (typescript.isExportDeclaration(statement)) return statement.moduleSpecifier;
  if (typescript.isImportEqualsDeclaration(statement) && typescript.isExternalModuleReference(statement.moduleReference)) return statement.moduleReference.expression;
  return undefined;
}
