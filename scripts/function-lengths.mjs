// Lists the longest functions in src, longest first: `node scripts/function-lengths.mjs [count]` (default 10).
// `lines` runs from the declaration to its closing brace; `own` leaves out the functions nested in it, so a
// factory of many small methods reads as what it is. Uses the TypeScript compiler's parser only.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
const count = Number(process.argv[2] ?? 10);

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) yield path;
  }
}

/** A readable name: the function's own, else what it is assigned to or the method/property it is. */
function nameOf(node) {
  if (node.name) return node.name.getText();
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent))
    return parent.name.getText();
  if (ts.isCallExpression(parent)) return `(callback to ${parent.expression.getText().slice(0, 40)})`;
  return '(anonymous)';
}

const found = [];
for (const file of sourceFiles(join(root, 'src'))) {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const lineOf = (pos) => source.getLineAndCharacterOfPosition(pos).line + 1;
  // Returns the lines of the functions directly inside `node` (for the enclosing function's `own`).
  const visit = (node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = lineOf(node.getStart(source));
      const lines = lineOf(node.getEnd()) - start + 1;
      let nested = 0;
      // forEachChild stops at the first truthy return: the callbacks return nothing.
      ts.forEachChild(node, (child) => {
        nested += visit(child);
      });
      found.push({ lines, own: lines - nested, where: `${relative(root, file)}:${start}`, name: nameOf(node) });
      return lines;
    }
    let inner = 0;
    ts.forEachChild(node, (child) => {
      inner += visit(child);
    });
    return inner;
  };
  visit(source);
}

found.sort((a, b) => b.lines - a.lines);
console.log('lines   own  function  where');
for (const f of found.slice(0, count)) {
  console.log(`${String(f.lines).padStart(5)} ${String(f.own).padStart(5)}  ${f.name}  ${f.where}`);
}
