// The published type declarations need no package (issue 14): llmcost has no dependencies (zod,
// chalk, commander, cli-table3 and asciichart are bundled into dist/), so nothing under dist/ that
// dist/index.d.ts reaches may import one. Run after tsc (`npm run build` does).
//  - tsc writes dist/presets/schema.d.ts with zod's types (`z.infer<typeof gpuSchema>`): each such
//    alias is rewritten as the plain type TypeScript computes for it, each schema constant as
//    `unknown` (a schema is for validating, which the bundled code does); the zod schemas stay the
//    single definition of the preset types;
//  - then every declaration reachable from dist/index.d.ts is checked: an import of anything but a
//    relative file or a node: module fails the build.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Rewrites the zod-typed declarations of one emitted .d.ts from the checker's view of its source. */
function rewrite(source, declaration) {
  const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  const program = ts.createProgram([join(root, source)], config.options);
  const checker = program.getTypeChecker();
  const expanded = new Map();
  for (const statement of program.getSourceFile(join(root, source)).statements) {
    if (!ts.isTypeAliasDeclaration(statement)) continue;
    const type = checker.getTypeAtLocation(statement.name);
    expanded.set(statement.name.text, checker.typeToString(type, undefined, ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.InTypeAlias));
  }
  const path = join(root, declaration);
  const text = readFileSync(path, 'utf8');
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.ES2022, true);
  const out = [];
  for (const statement of file.statements) {
    const full = text.slice(statement.getFullStart(), statement.getEnd());
    const comments = text.slice(statement.getFullStart(), statement.getStart());
    const usesZod = /\bz\./.test(statement.getText());
    if (ts.isImportDeclaration(statement) && /^['"]zod/.test(statement.moduleSpecifier.getText())) continue;
    if (usesZod && ts.isTypeAliasDeclaration(statement)) {
      const plain = expanded.get(statement.name.text);
      if (plain === undefined || /\bz\.|import\(/.test(plain)) throw new Error(`public-types: cannot expand ${statement.name.text} in ${source}`);
      out.push(`${comments}export type ${statement.name.text} = ${plain};`);
    } else if (usesZod && ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) out.push(`${comments}export declare const ${d.name.getText()}: unknown;`);
    } else if (usesZod) throw new Error(`public-types: ${declaration}: a declaration of zod's type that is neither a type alias nor a constant:\n${full}`);
    else out.push(full);
  }
  writeFileSync(path, `${out.join('')}\n`);
}

/** Returns the packages imported by the declarations reachable from `entry`, with the files that import them. */
function packagesReached(entry) {
  const seen = new Set();
  const packages = new Map();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(?:^|\s)(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm)) {
      const target = match[1] ?? match[2];
      if (target.startsWith('.')) {
        const next = normalize(join(dirname(file), target.replace(/\.js$/, '.d.ts')));
        if (existsSync(next)) visit(next);
      } else if (!target.startsWith('node:')) packages.set(target, [...(packages.get(target) ?? []), relative(root, file)]);
    }
  };
  visit(entry);
  return { files: seen.size, packages };
}

rewrite('src/presets/schema.ts', 'dist/presets/schema.d.ts');
const { files, packages } = packagesReached(join(root, 'dist', 'index.d.ts'));
if (packages.size > 0) {
  const list = [...packages].map(([name, from]) => `${name} (from ${[...new Set(from)].join(', ')})`).join('; ');
  throw new Error(`public-types: the published declarations import packages the package does not depend on: ${list}`);
}
console.log(`public types: ${files} declaration files from dist/index.d.ts, no package imported`);
