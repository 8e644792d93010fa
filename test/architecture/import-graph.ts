// Reads the relative imports of every src/**/*.ts file into a graph for the layering test.
// The TypeScript parser is used instead of a regex so that multi-line imports, `import type`,
// inline `type` specifiers and text that merely looks like an import (in strings, comments,
// template literals) are told apart exactly.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

export interface ImportEdge {
  /** Repository-relative, forward slashes: `src/rbac/access-graph.ts`. */
  readonly from: string;
  readonly to: string;
  /** Erased at compile time: `import type`, all-`type` specifiers, `typeof import('…')`. */
  readonly typeOnly: boolean;
  readonly line: number;
}

const toPosix = (path: string): string => path.split(sep).join('/');

export function sourceFiles(root: string, dir = 'src'): string[] {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => toPosix(relative(root, join(entry.parentPath, entry.name))))
    .sort();
}

// An import whose every named specifier is `type` binds nothing at run time, so for layering it
// counts as a type dependency even without the statement-level `type` keyword.
function allSpecifiersTypeOnly(elements: ts.NodeArray<ts.ImportSpecifier | ts.ExportSpecifier>): boolean {
  return elements.length > 0 && elements.every((element) => element.isTypeOnly);
}

function importIsTypeOnly(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (!clause) return false; // `import './x.js'` runs the module
  if (clause.isTypeOnly) return true;
  if (clause.name) return false;
  const bindings = clause.namedBindings;
  return bindings !== undefined && ts.isNamedImports(bindings) && allSpecifiersTypeOnly(bindings.elements);
}

function exportIsTypeOnly(node: ts.ExportDeclaration): boolean {
  if (node.isTypeOnly) return true;
  const clause = node.exportClause;
  return clause !== undefined && ts.isNamedExports(clause) && allSpecifiersTypeOnly(clause.elements);
}

interface RawImport {
  readonly specifier: string;
  readonly typeOnly: boolean;
  readonly pos: number;
}

function rawImports(file: ts.SourceFile): RawImport[] {
  const found: RawImport[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: importIsTypeOnly(node), pos: node.getStart(file) });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: exportIsTypeOnly(node), pos: node.getStart(file) });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (argument && ts.isStringLiteralLike(argument)) {
        found.push({ specifier: argument.text, typeOnly: false, pos: node.getStart(file) });
      }
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const literal = node.argument.literal;
      if (ts.isStringLiteral(literal)) found.push({ specifier: literal.text, typeOnly: true, pos: node.getStart(file) });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

// NodeNext ESM sources name the emitted `.js` file; the source on disk is the `.ts` next to it.
function resolveRelative(root: string, from: string, specifier: string): string | undefined {
  const target = resolve(root, dirname(from), specifier);
  const candidates = [target.replace(/\.js$/, '.ts'), target, `${target}.ts`, join(target, 'index.ts')];
  const hit = candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
  return hit === undefined ? undefined : toPosix(relative(root, hit));
}

export interface ImportGraph {
  readonly files: readonly string[];
  readonly edges: readonly ImportEdge[];
  /** Relative specifiers that point at no file: the reader must never silently drop an edge. */
  readonly unresolved: readonly string[];
}

export function readImportGraph(root: string, dir = 'src'): ImportGraph {
  const files = sourceFiles(root, dir);
  const edges: ImportEdge[] = [];
  const unresolved: string[] = [];
  for (const from of files) {
    const text = readFileSync(join(root, from), 'utf8');
    const file = ts.createSourceFile(from, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    for (const raw of rawImports(file)) {
      if (!raw.specifier.startsWith('.')) continue; // packages and node: builtins
      const line = file.getLineAndCharacterOfPosition(raw.pos).line + 1;
      const to = resolveRelative(root, from, raw.specifier);
      if (to === undefined) unresolved.push(`${from}:${line} '${raw.specifier}'`);
      else edges.push({ from, to, typeOnly: raw.typeOnly, line });
    }
  }
  return { files, edges, unresolved };
}
