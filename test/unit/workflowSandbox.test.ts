import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(__dirname, '../..');

/**
 * What workflow code loads when it runs: the imports followed from workflows/index.ts,
 * leaving out imports of types only (erased when the SDK bundles the code).
 */
function loadedByWorkflows() {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
    for (const statement of source.statements) {
      const specifier = runtimeSpecifier(statement);
      if (!specifier) continue;
      if (specifier.startsWith('.')) visit(tsFile(join(dirname(file), specifier)));
      else
        packages.add(
          specifier
            .split('/')
            .slice(0, specifier.startsWith('@') ? 2 : 1)
            .join('/'),
        );
    }
  };
  visit(join(root, 'workflows/index.ts'));
  return { files: [...files].map((f) => relative(root, f)), packages: [...packages] };
}

function runtimeSpecifier(s: ts.Statement): string | undefined {
  if (ts.isImportDeclaration(s)) {
    const clause = s.importClause;
    const named = clause?.namedBindings;
    const typesOnly = clause?.isTypeOnly || (clause && !clause.name && named && ts.isNamedImports(named) && named.elements.every((e) => e.isTypeOnly));
    return typesOnly ? undefined : (s.moduleSpecifier as ts.StringLiteral).text;
  }
  if (ts.isExportDeclaration(s) && s.moduleSpecifier && !s.isTypeOnly) return (s.moduleSpecifier as ts.StringLiteral).text;
  return undefined;
}

const tsFile = (path: string) => [`${path}.ts`, join(path, 'index.ts')].find(existsSync) ?? path;

describe("the workflow sandbox's memory", () => {
  // The SDK runs each cached workflow's modules anew, so a schema library loaded there is
  // built again per workflow: with zod that was 1.5 MiB of heap for every cached case.
  it('workflow code loads only the SDK at run time, never zod: input is checked by the API', () => {
    const { files, packages } = loadedByWorkflows();
    expect(packages.sort()).toEqual(['@temporalio/common', '@temporalio/workflow']);
    expect(files).toEqual(expect.arrayContaining(['workflows/proposalLifecycle.ts', 'domain/procurement.ts', 'domain/payout.ts', 'domain/taskPool.ts']));
  });
});
