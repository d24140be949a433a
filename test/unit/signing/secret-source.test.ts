import { describe, expect, it } from 'vitest';
import {
  describeSource,
  ENV_SOURCE,
  flagSource,
  namedForMessages,
  secretLabel,
  SELF_TEST_SOURCE,
  sourceFromLabel,
  subscriptionSource,
  type SecretSource,
} from '../../../src/signing/secret-source.js';

describe('SecretSource: one label form, one human form', () => {
  const cases: [SecretSource, string, string][] = [
    [flagSource(), 'flag', '--secret'],
    [flagSource(1, 3), '--secret #2', '--secret #2'],
    [ENV_SOURCE, 'PICTIFY_WEBHOOK_SECRET', 'PICTIFY_WEBHOOK_SECRET'],
    [subscriptionSource('wh_1'), 'wh_1', 'the secret of wh_1'],
    [SELF_TEST_SOURCE, 'self-test', 'the self-test secret'],
  ];

  it.each(cases)('%o is stored as %s and named %s', (source, label, human) => {
    expect(secretLabel(source)).toBe(label);
    expect(describeSource(source)).toBe(human);
    // Read back from a store file, the label names the same secret in the same words.
    expect(secretLabel(sourceFromLabel(label))).toBe(label);
    expect(describeSource(sourceFromLabel(label))).toBe(human);
  });

  it('reads any other label as a subscription uid (stores written before sources existed)', () => {
    expect(sourceFromLabel('sub_abc')).toEqual({ kind: 'subscription', uid: 'sub_abc' });
    expect(sourceFromLabel('--secret #0')).toEqual({ kind: 'subscription', uid: '--secret #0' });
  });

  it("names secrets for diagnose's sentences, leaving unsourced ones to its positional names", () => {
    expect(namedForMessages([{ secret: 'a', source: ENV_SOURCE }, { secret: 'b' }])).toEqual([
      { secret: 'a', label: 'PICTIFY_WEBHOOK_SECRET' },
      { secret: 'b' },
    ]);
  });
});
