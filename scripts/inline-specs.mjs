// After tsc: rewrites dist/commands/index.js so that the command specs it lists, and the few constant/parser modules
// they use, are inlined into it. Every Node ESM module costs a resolve, a read and a compile (~0.5 ms each on a
// busy machine) and the top-level --help needs all ~20 specs: inlined, it loads one module for them instead of ~25.
// The source files stay the one place each command is declared, and their own dist modules stay (run modules and
// tests import them); this only copies. The build fails if the copy differs from the modules it copies.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const entry = 'commands/index.js';
// Modules that hold only data and pure functions, so a second copy of them is harmless.
const INLINE = [
  /^commands\/[\w-]+\/(spec|flags)\.js$/,
  /^cli\/(flags|suggest|spec)\.js$/,
  /^api\/contract\.js$/,
  /^events\/(names|glob)\.js$/,
  /^signing\/constants\.js$/,
];
const IMPORT = /^import \{ ([^}]+) \} from '([^']+)';$/;
const EXPORT = /^export (?:const|function|async function|class) (\w+)/;
const hoisted = new Map(); // dist path → Set of import specifiers
const done = new Map(); // dist path → variable holding its exports
const blocks = [];

const inlinable = (path) => INLINE.some((re) => re.test(path));

function load(path) {
  if (done.has(path)) return done.get(path);
  const variable = `__${path.replace(/\W/g, '_')}`;
  const body = [];
  const exported = [];
  for (const line of readFileSync(join(dist, path), 'utf8').split('\n')) {
    if (line.startsWith('import ')) {
      const match = IMPORT.exec(line);
      if (!match) throw new Error(`inline-specs: ${path}: unsupported import: ${line}`);
      const [, names, source] = match;
      if (!source.startsWith('.')) throw new Error(`inline-specs: ${path}: package import ${source}`);
      const target = join(dirname(path), source);
      if (inlinable(target)) body.push(`const { ${names.replaceAll(' as ', ': ')} } = ${load(target)};`);
      else {
        const set = hoisted.get(target) ?? new Set();
        for (const name of names.split(',')) set.add(name.trim());
        hoisted.set(target, set);
      }
      continue;
    }
    if (line.startsWith('export ')) {
      const match = EXPORT.exec(line);
      if (!match) throw new Error(`inline-specs: ${path}: unsupported export: ${line}`);
      exported.push(match[1]);
      body.push(line.slice('export '.length));
      continue;
    }
    // A spec's `import('./run.js')` is relative to its folder; the copy lives in commands/index.js.
    body.push(
      line.replace(/import\('(\.[^']+)'\)/g, (_all, source) => `import('${fromIndex(join(dirname(path), source))}')`),
    );
  }
  blocks.push(`const ${variable} = (() => {\n${body.join('\n')}\nreturn { ${exported.join(', ')} };\n})();`);
  done.set(path, variable);
  return variable;
}

function fromIndex(target) {
  const source = relative(join(dist, 'commands'), join(dist, target));
  return source.startsWith('.') ? source : `./${source}`;
}

const index = readFileSync(join(dist, entry), 'utf8');
if (!index.startsWith('// @inlined')) {
  const rest = [];
  for (const line of index.split('\n')) {
    const match = IMPORT.exec(line);
    if (match && match[2].startsWith('./')) {
      rest.push(`const { ${match[1].replaceAll(' as ', ': ')} } = ${load(join('commands', match[2]))};`);
    } else if (line.startsWith('import ')) throw new Error(`inline-specs: index: unsupported import: ${line}`);
    else rest.push(line);
  }
  const header = [...hoisted].map(
    ([target, names]) => `import { ${[...names].join(', ')} } from '${fromIndex(target)}';`,
  );
  const text = `// @inlined by scripts/inline-specs.mjs\n${header.join('\n')}\n${blocks.join('\n')}\n${rest.join('\n')}`;
  writeFileSync(join(dist, entry), text);
}

// The copy must say what the modules say.
// (A run's import path is rewritten for its new place, so it is left out of the comparison.)
const code = (fn) => fn.toString().replace(/import\('[^']*'\)/g, 'import()');
const data = (value) => JSON.stringify(value, (_k, v) => (typeof v === 'function' ? `fn:${code(v)}` : v));
const bundled = await import(pathToFileURL(join(dist, entry)).href);
for (const spec of bundled.COMMAND_SPECS) {
  const original = await import(pathToFileURL(join(dist, 'commands', spec.name, 'spec.js')).href).catch(
    () => undefined,
  );
  if (original && data(original.spec) !== data(spec)) throw new Error(`inline-specs: ${spec.name} differs`);
}
