// Reads a subscriptions file (YAML; JSON is YAML too) into the subscriptions the active profile should have.
// Every value is checked where it stands, so a mistake is reported with its line and column, not as a stack.
// A profile's override replaces the fields it names; `${env:VAR}` is substituted after that, so a variable that
// only another profile uses need not be set.
import { readFile } from 'node:fs/promises';
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node,
  type ParsedNode,
} from 'yaml';
import { PLATFORMS, RENDER_TYPES } from '../api/contract.js';
import { EVENT_NAMES, isEventName } from '../events/names.js';
import { SubscriptionsFileError } from './errors.js';
import { NAME_PATTERN, secretEnvName } from './names.js';
import { DESIRED_STATUSES, FILTER_KEYS, type DesiredSubscription, type SubscriptionsFile } from './types.js';

export interface LoadOptions {
  path: string;
  /** The active profile: its `profiles.<name>` override applies. */
  profile: string;
  env: Record<string, string | undefined>;
}

const TOP_KEYS = ['subscriptions', 'version', '$schema'];
const ENTRY_KEYS = ['name', 'event', 'url', 'platform', 'filters', 'status', 'uid', 'profiles'];
const OVERRIDE_KEYS = ['event', 'url', 'platform', 'filters', 'status', 'uid'];
/** The keys each level of the file accepts (the published JSON Schema lists the same). */
export const FILE_KEYS = { top: TOP_KEYS, entry: ENTRY_KEYS, override: OVERRIDE_KEYS } as const;
const ENV_REF = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g;

export async function readSubscriptionsFile(options: LoadOptions): Promise<SubscriptionsFile> {
  let text: string;
  try {
    text = await readFile(options.path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new SubscriptionsFileError(options.path, 'no such file', {}, error, 'not_found');
    throw new SubscriptionsFileError(options.path, (error as Error).message, {}, error);
  }
  return parseSubscriptionsFile(text, options);
}

interface Field {
  key: Node;
  value: Node | null;
}

class Reader {
  readonly lines = new LineCounter();
  doc!: Document.Parsed;
  constructor(readonly options: LoadOptions) {}

  fail(node: Node | null | undefined, reason: string): never {
    const range = node?.range;
    const at = range ? this.lines.linePos(range[0]) : undefined;
    throw new SubscriptionsFileError(this.options.path, reason, at ? { line: at.line, column: at.col } : {});
  }

  lineOf(node: Node): number {
    return node.range ? this.lines.linePos(node.range[0]).line : 1;
  }

  deref(node: unknown): Node | null {
    if (isAlias(node)) return (node.resolve(this.doc) as Node | undefined) ?? null;
    return (node as Node | null | undefined) ?? null;
  }

  /** The pairs of a map, keyed by their text; an unknown or repeated key is an error at the key. */
  fields(node: Node | null, allowed: readonly string[], what: string): Map<string, Field> {
    if (!isMap(node)) this.fail(node, `${what} must be a map (key: value)`);
    const out = new Map<string, Field>();
    for (const pair of node.items) {
      const key = pair.key as Node;
      if (!isScalar(key) || typeof key.value !== 'string') this.fail(key, `${what}: keys must be plain words`);
      if (!allowed.includes(key.value)) {
        this.fail(key, `${what}: unknown key "${key.value}" (allowed: ${allowed.join(', ')})`);
      }
      out.set(key.value, { key, value: this.deref(pair.value) });
    }
    return out;
  }

  /** A string value with `${env:VAR}` substituted. */
  text(field: Field, name: string): string {
    const { value } = field;
    if (!isScalar(value) || (typeof value.value !== 'string' && typeof value.value !== 'number')) {
      this.fail(value ?? field.key, `${name} must be a string`);
    }
    const raw = String(value.value);
    const substituted = raw.replace(ENV_REF, (_all, variable: string) => {
      const found = this.options.env[variable];
      if (found === undefined || found === '') this.fail(value, `${name}: \${env:${variable}} is not set`);
      return found;
    });
    const leftover = /\$\{[^}]*\}?/.exec(substituted.replace(ENV_REF, ''));
    if (leftover && raw.includes(leftover[0])) {
      this.fail(value, `${name}: "${leftover[0]}" is not a substitution this file supports (use \${env:NAME})`);
    }
    if (substituted.trim() === '') this.fail(value, `${name} is empty`);
    return substituted;
  }
}

export function parseSubscriptionsFile(text: string, options: LoadOptions): SubscriptionsFile {
  const r: Reader = new Reader(options);
  r.doc = parseDocument(text, { lineCounter: r.lines, uniqueKeys: true, prettyErrors: false });
  const problem = r.doc.errors[0];
  if (problem) {
    const at = r.lines.linePos(problem.pos[0]);
    throw new SubscriptionsFileError(
      options.path,
      problem.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''),
      { line: at.line, column: at.col },
    );
  }
  const root = r.deref(r.doc.contents as ParsedNode | null);
  if (root === null) r.fail(undefined, 'the file is empty: it needs a top-level "subscriptions:" list');
  const top = r.fields(root, TOP_KEYS, 'the top level');
  const version = top.get('version');
  if (version && !(isScalar(version.value) && version.value.value === 1)) r.fail(version.value, 'version must be 1');
  const list = top.get('subscriptions');
  if (!list) r.fail(root, 'the top level has no "subscriptions:" list');
  if (!isSeq(list.value)) r.fail(list.value ?? list.key, '"subscriptions" must be a list (items start with "- ")');

  const subscriptions: DesiredSubscription[] = [];
  const byEnvName = new Map<string, string>();
  for (const item of list.value.items) {
    const entry = readEntry(r, r.deref(item));
    const envName = secretEnvName(entry.name);
    const clash = byEnvName.get(envName);
    if (clash !== undefined) {
      const same = clash === entry.name ? `the name "${entry.name}" is used twice` : '';
      r.fail(
        r.deref(item),
        same || `names "${clash}" and "${entry.name}" are too alike: both would be ${envName} in an env file`,
      );
    }
    byEnvName.set(envName, entry.name);
    subscriptions.push(entry);
  }
  return { path: options.path, profile: options.profile, subscriptions };
}

function readEntry(r: Reader, node: Node | null): DesiredSubscription {
  const own = r.fields(node, ENTRY_KEYS, 'a subscription');
  const nameField = own.get('name');
  if (!nameField) r.fail(node, 'a subscription has no "name" (its identity across runs)');
  const name = r.text(nameField, 'name');
  if (!NAME_PATTERN.test(name)) {
    r.fail(
      nameField.value,
      `name "${name}": use letters, digits, ".", "_" or "-" (up to 64), starting with a letter or digit`,
    );
  }
  const fields = new Map(own);
  const profiles = own.get('profiles');
  if (profiles) {
    if (!isMap(profiles.value))
      r.fail(profiles.value ?? profiles.key, `${name}: profiles must map profile names to overrides`);
    for (const pair of profiles.value.items) {
      const key = pair.key as Node;
      if (!isScalar(key) || (typeof key.value !== 'string' && typeof key.value !== 'number')) {
        r.fail(key, `${name}: profile names must be plain words`);
      }
      const override = r.fields(r.deref(pair.value), OVERRIDE_KEYS, `${name}: profile "${String(key.value)}"`);
      if (String(key.value) === r.options.profile) for (const [k, v] of override) fields.set(k, v);
    }
  }
  const need = (key: string): string => {
    const field = fields.get(key);
    if (!field) r.fail(node, `${name}: "${key}" is missing`);
    return r.text(field, `${name}: ${key}`);
  };
  const optional = (key: string): string | undefined => {
    const field = fields.get(key);
    return field ? r.text(field, `${name}: ${key}`) : undefined;
  };

  const event = need('event');
  if (!isEventName(event))
    r.fail(fields.get('event')!.value, `${name}: unknown event "${event}" (one of ${EVENT_NAMES.join(', ')})`);
  const url = need('url');
  if (!isHttpUrl(url)) r.fail(fields.get('url')!.value, `${name}: url must be an absolute http(s) url, got "${url}"`);
  const platform = optional('platform') ?? 'custom';
  if (!(PLATFORMS as readonly string[]).includes(platform)) {
    r.fail(fields.get('platform')!.value, `${name}: platform must be one of ${PLATFORMS.join(', ')}`);
  }
  const status = optional('status') ?? 'active';
  if (!(DESIRED_STATUSES as readonly string[]).includes(status)) {
    r.fail(fields.get('status')!.value, `${name}: status must be active or paused`);
  }
  const uid = optional('uid');
  const filters: Record<string, string> = {};
  const filterField = fields.get('filters');
  if (filterField && filterField.value !== null) {
    for (const [key, field] of r.fields(filterField.value, FILTER_KEYS, `${name}: filters`)) {
      filters[key] = r.text(field, `${name}: filters.${key}`);
    }
    if (filters.type !== undefined && !(RENDER_TYPES as readonly string[]).includes(filters.type)) {
      r.fail(filterField.value, `${name}: filters.type must be one of ${RENDER_TYPES.join(', ')}`);
    }
  }
  return {
    name,
    event,
    url,
    platform,
    status: status as DesiredSubscription['status'],
    filters,
    ...(uid !== undefined && { uid }),
    line: r.lineOf(node!),
  };
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
