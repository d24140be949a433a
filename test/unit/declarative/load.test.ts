// The subscriptions file: YAML or JSON, profile overrides, ${env:…}, and a bad file reported at its line and column.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SubscriptionsFileError } from '../../../src/declarative/errors.js';
import { parseSubscriptionsFile, readSubscriptionsFile } from '../../../src/declarative/load.js';
import { FILE_KEYS } from '../../../src/declarative/load.js';
import { THREE_SUBSCRIPTIONS } from '../../helpers/subscriptions-file.js';

const load = (text: string, profile = 'default', env: Record<string, string> = {}) =>
  parseSubscriptionsFile(text, { path: 'pictify-hooks.yaml', profile, env });

function failure(text: string, profile = 'default', env: Record<string, string> = {}): SubscriptionsFileError {
  try {
    load(text, profile, env);
  } catch (error) {
    expect(error).toBeInstanceOf(SubscriptionsFileError);
    return error as SubscriptionsFileError;
  }
  throw new Error('loaded without an error');
}

describe('loading a subscriptions file', () => {
  it("reads the issue's example (and a third) with defaults filled in and each entry's line", () => {
    const file = load(THREE_SUBSCRIPTIONS);
    expect(file.subscriptions).toEqual([
      {
        name: 'blog-cards',
        event: 'render.completed',
        url: 'https://example.com/webhooks/pictify',
        platform: 'custom',
        status: 'active',
        filters: { templateId: 'tmpl_blog_card' },
        line: 3,
      },
      {
        name: 'failures',
        event: 'render.failed',
        url: 'https://example.com/webhooks/pictify',
        platform: 'custom',
        status: 'active',
        filters: {},
        line: 7,
      },
      {
        name: 'bindings',
        event: 'binding.updated',
        url: 'https://example.com/webhooks/bindings',
        platform: 'custom',
        status: 'active',
        filters: {},
        line: 10,
      },
    ]);
  });

  it('reads the same file written as JSON', () => {
    const json = JSON.stringify({
      subscriptions: [{ name: 'a', event: 'binding.failed', url: 'https://x.example/h', status: 'paused' }],
    });
    expect(load(json).subscriptions[0]).toMatchObject({ name: 'a', event: 'binding.failed', status: 'paused' });
  });

  it('applies the active profile’s override and substitutes ${env:…} after it', () => {
    const text = `subscriptions:
  - name: cards
    event: render.completed
    url: \${env:PROD_URL}/hooks
    profiles:
      staging:
        url: \${env:STAGING_URL}/hooks
        filters: { type: pdf }
`;
    // Production never needs STAGING_URL, staging never needs PROD_URL.
    expect(load(text, 'default', { PROD_URL: 'https://prod.example' }).subscriptions[0]).toMatchObject({
      url: 'https://prod.example/hooks',
      filters: {},
    });
    expect(load(text, 'staging', { STAGING_URL: 'https://stg.example' }).subscriptions[0]).toMatchObject({
      url: 'https://stg.example/hooks',
      filters: { type: 'pdf' },
    });
    const missing = failure(text, 'staging');
    expect(missing.message).toBe('pictify-hooks.yaml:7:14: cards: url: ${env:STAGING_URL} is not set');
  });

  const bad: Array<[string, string, string]> = [
    ['a YAML syntax error', 'subscriptions:\n  - name: a\n    event: [render.completed\n', ':4:1: '],
    [
      'an unknown key',
      'subscriptions:\n  - name: a\n    evnt: render.completed\n',
      ':3:5: a subscription: unknown key "evnt"',
    ],
    [
      'an unknown event',
      'subscriptions:\n  - name: a\n    event: render.done\n    url: https://x.example\n',
      ':3:12: a: unknown event "render.done"',
    ],
    [
      'a url that is not http(s)',
      'subscriptions:\n  - name: a\n    event: render.failed\n    url: ftp://x\n',
      ':4:10: a: url must be an absolute http(s) url',
    ],
    ['a missing url', 'subscriptions:\n  - name: a\n    event: render.failed\n', ':2:5: a: "url" is missing'],
    [
      'a missing name',
      'subscriptions:\n  - event: render.failed\n    url: https://x.example\n',
      ':2:5: a subscription has no "name"',
    ],
    [
      'a name used twice',
      'subscriptions:\n  - { name: a, event: render.failed, url: "https://x.example" }\n  - { name: a, event: render.failed, url: "https://x.example" }\n',
      ':3:5: the name "a" is used twice',
    ],
    [
      'names that collide as env variables',
      'subscriptions:\n  - { name: a-b, event: render.failed, url: "https://x.example" }\n  - { name: a.b, event: render.failed, url: "https://x.example" }\n',
      ':3:5: names "a-b" and "a.b" are too alike',
    ],
    [
      'a bad filter',
      'subscriptions:\n  - name: a\n    event: render.failed\n    url: https://x.example\n    filters: { type: mp4 }\n',
      ':5:14: a: filters.type must be one of image, gif, pdf',
    ],
    [
      'an unknown filter',
      'subscriptions:\n  - name: a\n    event: render.failed\n    url: https://x.example\n    filters: { template: t }\n',
      ':5:16: a: filters: unknown key "template"',
    ],
    [
      'a bad status',
      'subscriptions:\n  - name: a\n    event: render.failed\n    url: https://x.example\n    status: failed\n',
      ':5:13: a: status must be active or paused',
    ],
    ['no subscriptions list', 'subs: []\n', ':1:1: the top level: unknown key "subs"'],
    ['subscriptions not a list', 'subscriptions: {}\n', ':1:16: "subscriptions" must be a list'],
    ['an empty file', '', 'pictify-hooks.yaml: the file is empty'],
    ['a duplicate key', 'subscriptions:\n  - name: a\n    name: b\n', ':3:5: '],
    [
      'an unsupported substitution',
      'subscriptions:\n  - name: a\n    event: render.failed\n    url: https://x.example/${HOME}\n',
      ':4:10: a: url: "${HOME}" is not a substitution',
    ],
    [
      'a bad name',
      'subscriptions:\n  - name: "-x y"\n    event: render.failed\n    url: https://x.example\n',
      ':2:11: name "-x y": use letters',
    ],
    [
      'an override of the name',
      'subscriptions:\n  - name: a\n    event: render.failed\n    url: https://x.example\n    profiles: { staging: { name: b } }\n',
      ':5:28: a: profile "staging": unknown key "name"',
    ],
  ];
  for (const [what, text, expected] of bad) {
    it(`reports ${what} with its place`, () => {
      const error = failure(text);
      expect(error.message).toContain(expected);
      expect(error.message.startsWith('pictify-hooks.yaml')).toBe(true);
      expect(error.message).not.toContain('\n');
    });
  }

  it('says a missing file is missing', async () => {
    await expect(
      readSubscriptionsFile({ path: '/nonexistent/pictify-hooks.yaml', profile: 'default', env: {} }),
    ).rejects.toThrow('/nonexistent/pictify-hooks.yaml: no such file');
  });

  it('accepts an empty list (everything unmanaged) and the schema key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pictify-hooks-load-'));
    try {
      writeFileSync(
        join(dir, 'f.yaml'),
        '$schema: ./node_modules/pictify-hooks/schema/pictify-hooks.schema.json\nversion: 1\nsubscriptions: []\n',
      );
      expect(load(readFileSync(join(dir, 'f.yaml'), 'utf8')).subscriptions).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the published JSON Schema', () => {
  const schema = JSON.parse(
    readFileSync(new URL('../../../schema/pictify-hooks.schema.json', import.meta.url), 'utf8'),
  ) as {
    $defs: Record<string, { properties?: Record<string, unknown>; enum?: string[] }>;
    properties: Record<string, unknown>;
  };

  it('allows exactly the keys the loader allows, with the same choices', async () => {
    const { EVENT_NAMES } = await import('../../../src/events/names.js');
    const { PLATFORMS, RENDER_TYPES } = await import('../../../src/api/contract.js');
    expect(Object.keys(schema.$defs.subscription!.properties!).sort()).toEqual([...FILE_KEYS.entry].sort());
    expect(Object.keys(schema.$defs.override!.properties!).sort()).toEqual([...FILE_KEYS.override].sort());
    expect(Object.keys(schema.properties).sort()).toEqual([...FILE_KEYS.top].sort());
    expect(schema.$defs.event!.enum).toEqual([...EVENT_NAMES]);
    expect(schema.$defs.platform!.enum).toEqual([...PLATFORMS]);
    expect((schema.$defs.filters!.properties!.type as { enum: string[] }).enum).toEqual([...RENDER_TYPES]);
  });

  it('is exported as pictify-hooks/schema.json and shipped', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
    expect(pkg.exports['./schema.json']).toBe('./schema/pictify-hooks.schema.json');
    expect(pkg.files).toContain('schema');
  });
});
