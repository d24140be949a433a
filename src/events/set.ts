import { InputError } from '../errors.js';

// `--set data.templateId=tmpl_1` support: dot paths with JSON values, so numbers, booleans, null, objects and
// arrays can be written, while plain words need no quoting.

/** Segments that would reach Object.prototype through a plain object. */
const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);

/** JSON when the text parses as JSON (`42`, `true`, `"x"`, `{"a":1}`), otherwise the text itself as a string. */
export function parseSetValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** Splits `path=value` at the first `=`. */
export function parseSetArgument(argument: string): { path: string; raw: string } {
  const eq = argument.indexOf('=');
  if (eq <= 0) {
    throw new InputError(`--set expects path=value, got "${argument}"`, 'invalid_set');
  }
  return { path: argument.slice(0, eq).trim(), raw: argument.slice(eq + 1) };
}

function splitPath(path: string): string[] {
  const segments = path.split('.');
  if (path === '' || segments.some((s) => s === '')) {
    throw new InputError(`Invalid field path "${path}"`, 'invalid_path');
  }
  const bad = segments.find((s) => FORBIDDEN.has(s));
  if (bad !== undefined) throw new InputError(`Field path "${path}" may not contain "${bad}"`, 'forbidden_path');
  return segments;
}

/**
 * Sets `path` in `target` to the JSON-parsed `raw` (non-JSON text is taken as a string), creating intermediate
 * objects. Numeric segments index existing arrays. Mutates and returns `target`.
 */
export function applySet<T extends object>(target: T, path: string, raw: string): T {
  const segments = splitPath(path);
  let node: Record<string, unknown> | unknown[] = target as Record<string, unknown>;
  for (let i = 0; i < segments.length; i++) {
    const key = segments[i];
    const last = i === segments.length - 1;
    if (Array.isArray(node)) {
      if (!/^\d+$/.test(key)) {
        throw new InputError(
          `Cannot set "${path}": "${segments.slice(0, i).join('.')}" is an array, index it with a number`,
          'not_an_index',
        );
      }
      const index = Number(key);
      if (last) {
        node[index] = parseSetValue(raw);
        return target;
      }
      node[index] ??= {};
      node = descend(node[index], path, segments, i);
    } else {
      if (last) {
        node[key] = parseSetValue(raw);
        return target;
      }
      if (!Object.hasOwn(node, key) || node[key] === undefined || node[key] === null) node[key] = {};
      node = descend(node[key], path, segments, i);
    }
  }
  return target;
}

function descend(child: unknown, path: string, segments: string[], i: number): Record<string, unknown> | unknown[] {
  if (typeof child !== 'object' || child === null) {
    const at = segments.slice(0, i + 1).join('.');
    throw new InputError(`Cannot set "${path}": "${at}" is a ${typeof child}, not an object`, 'path_through_value', {
      at,
    });
  }
  return child as Record<string, unknown> | unknown[];
}
