import { parsePort, parsePositiveNumber } from '../../cli/flags.js';
import { bool, text, value, type FlagValues } from '../../cli/spec.js';

export const flags = {
  port: value('--port <n>', 'port to listen on (0 picks a free one)', parsePort, { default: '4010' }),
  host: text('--host <host>', 'address to bind', { default: '127.0.0.1' }),
  dataDir: text(
    '--data-dir <dir>',
    'keep subscriptions, secrets and pending retries in this folder (default: in memory)',
  ),
  retryScale: value(
    '--retry-scale <factor>',
    'multiply the retry delays (1 min, 5 min, 30 min, 2 h, 24 h), e.g. 0.001',
    parsePositiveNumber,
    { default: '1' },
  ),
  allowRemote: bool(
    '--allow-remote',
    'also deliver to targets that are not loopback addresses (default: offline, loopback only)',
  ),
  readyFile: text(
    '--ready-file <file>',
    'write the url to this file once listening (removed on exit), for scripts to wait on',
  ),
};
export type EmulatorFlags = FlagValues<typeof flags>;
