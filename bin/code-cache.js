// V8's code cache for the bundle: each chunk of dist/bundle/ is compiled with the bytecode a previous run left,
// functions compiled while that run ran included, instead of parsed and compiled again (bench: start-up figures).
// The cache folder is ours alone (0700, owned by this user: cached bytecode is code), one file per chunk and Node
// version. V8 checks only the source's length against a cache, so the file is keyed by the chunk file itself: its
// size, inode and change time (a rebuilt or reinstalled chunk is a new file, even with npm's fixed mtimes), and by
// the bundle folder's inode, so that two installs do not replace each other's caches. V8 rejects a cache made by
// another V8 or with other flags, or a corrupt one: the chunk is then compiled from source and its cache written
// anew, replacing the older ones of that chunk. Any failure here only means no cache.
'use strict';
const fs = require('node:fs');
const { homedir } = require('node:os');
const { basename, dirname, join } = require('node:path');

/**
 * `$XDG_CACHE_HOME/pictify-hooks/code-cache/<node>-<arch>`, if it exists or can be made and nobody else can change
 * what is read from it — checked along the whole path, as ssh checks a key's: cached bytecode runs as code, so a
 * folder another user could swap (a parent they can write) is as bad as one they can write into.
 */
function cacheFolder(env) {
  if (process.platform === 'win32' || typeof process.getuid !== 'function') return undefined;
  const root = env.XDG_CACHE_HOME || join(homedir(), process.platform === 'darwin' ? 'Library/Caches' : '.cache');
  const ours = [join(root, 'pictify-hooks')];
  ours.push(join(ours[0], 'code-cache'), join(ours[0], 'code-cache', `${process.version}-${process.arch}`));
  const uid = process.getuid();
  try {
    fs.mkdirSync(ours[2], { recursive: true, mode: 0o700 });
    // The root may be anyone's sticky folder (/tmp) or ours/root's and closed to others; each folder below it ours
    // alone, and not a link.
    const top = fs.statSync(root);
    const closed = (top.mode & 0o022) === 0 || (top.mode & 0o1000) !== 0;
    if (!top.isDirectory() || (top.uid !== uid && top.uid !== 0) || !closed) return undefined;
    for (const folder of ours) {
      const stat = fs.lstatSync(folder);
      if (!stat.isDirectory() || stat.uid !== uid || (stat.mode & 0o022) !== 0) return undefined;
    }
    return (fs.lstatSync(ours[2]).mode & 0o077) === 0 ? ours[2] : undefined;
  } catch {
    return undefined;
  }
}

/** Compiles the chunks of `bundleDir` through the cache from now on (the require()s that load them). */
function useCodeCache(bundleDir, env = process.env) {
  const dir = cacheFolder(env);
  if (!dir) return;
  const vm = require('node:vm');
  const Module = module.constructor;
  const compile = Module.prototype._compile;
  // Another install's bundle (its own inode) keeps its own caches, not replacing this one's.
  let install;
  try {
    install = fs.statSync(bundleDir).ino;
  } catch {
    return;
  }
  /** Scripts compiled without a usable cache: theirs is written when the process exits (with what ran compiled). */
  const unsaved = [];
  Module.prototype._compile = function (content, filename) {
    if (dirname(filename) !== bundleDir) return compile.call(this, content, filename);
    let file;
    let cachedData;
    try {
      const stat = fs.statSync(filename);
      file = join(dir, `${basename(filename)}@${install}-${stat.size}-${stat.ino}-${Math.trunc(stat.ctimeMs)}`);
      cachedData = fs.readFileSync(file);
    } catch {
      // no cache yet
    }
    const script = new vm.Script(Module.wrap(content), { filename, cachedData });
    if (file && (!cachedData || script.cachedDataRejected)) unsaved.push({ script, file });
    const run = script.runInThisContext({ displayErrors: true });
    const require = (id) => this.require(id);
    return run.call(this.exports, this.exports, require, this, filename, dirname(filename));
  };
  process.once('exit', () => {
    let existing = [];
    try {
      existing = fs.readdirSync(dir);
    } catch {
      // nothing to replace
    }
    for (const { script, file } of unsaved) {
      const temporary = `${file}.${process.pid}.tmp`;
      try {
        fs.writeFileSync(temporary, script.createCachedData(), { mode: 0o600 });
        fs.renameSync(temporary, file);
        // This install's caches of the same chunk from earlier builds: `<chunk>@<install>-<size>-<inode>-<ctime>`.
        const chunk = basename(file).replace(/(-\d+){3}$/, '-');
        for (const name of existing)
          if (name.startsWith(chunk) && /^(\d+-){2}\d+$/.test(name.slice(chunk.length)) && name !== basename(file))
            fs.rmSync(join(dir, name), { force: true });
      } catch {
        fs.rmSync(temporary, { force: true });
      }
    }
  });
}

module.exports = { useCodeCache };
