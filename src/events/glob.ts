// Event globs (`render.*`, `*.failed`, `batch.?ailed`): `*` matches any run of characters, dots included; `?` one.
export function globToRegExp(glob: string): RegExp {
  const source = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`);
}

export function matchesGlob(glob: string, value: string): boolean {
  return globToRegExp(glob).test(value);
}

export function isGlob(value: string): boolean {
  return /[*?]/.test(value);
}
