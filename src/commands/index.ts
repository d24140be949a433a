// Every command's spec, in the order the top-level help lists them within their group. Specs are tiny and hold no
// implementation, so loading them all keeps `pictify-hooks --help` near bare Node.
//
// Adding a command `foo`: make a folder src/commands/foo/ with
//   flags.ts  its flags, each declared once: `export const flags = { port: value('--port <n>', 'port', parsePort,
//             { default: '3000' }), dryRun: bool('--dry-run', '…'), secrets: list('--secret <s>', '…') }` and
//             `export type FooOptions = FlagValues<typeof flags>` (builders in cli/spec.ts: bool, text, value, list,
//             oneOf; parsers in cli/flags.ts). The key is the name run reads; the value arrives parsed and typed.
//   spec.ts   `export const spec = defineCommand({ name: 'foo', summary, group, flags, examples,
//             run: async (ctx, args, options) => (await import('./run.js')).run(ctx, options) })`
//   run.ts    `export async function run(ctx: Context, options: FooOptions)`: parse nothing here, wire the engine.
// then import its spec below and list it. A helper that several commands use goes in shared/; an engine (the thing
// the command drives) goes in its domain folder, not here. test/commands/foo.test.ts runs it; a command with more
// than five flags also gets test/commands/foo.flags.test.ts (argv → options, through test/helpers/flags.ts).
import type { CommandSpec } from '../cli/spec.js';
import { spec as apply } from './apply/spec.js';
import { spec as auth } from './auth/spec.js';
import { spec as check } from './check/spec.js';
import { spec as cleanup } from './cleanup/spec.js';
import { spec as completion } from './completion/spec.js';
import { spec as config } from './config/spec.js';
import { spec as create } from './create/spec.js';
import { spec as del } from './delete/spec.js';
import { spec as deliveries } from './deliveries/spec.js';
import { spec as demo } from './demo/spec.js';
import { spec as emulator } from './emulator/spec.js';
import { spec as events } from './events/spec.js';
import { spec as get } from './get/spec.js';
import { spec as importSpec } from './import/spec.js';
import { spec as inspect } from './inspect/spec.js';
import { spec as list } from './list/spec.js';
import { spec as listen } from './listen/spec.js';
import { spec as login } from './login/spec.js';
import { spec as logout } from './logout/spec.js';
import { spec as mcp } from './mcp/spec.js';
import { spec as pause } from './pause/spec.js';
import { spec as plan } from './plan/spec.js';
import { spec as replay } from './replay/spec.js';
import { spec as resume } from './resume/spec.js';
import { spec as secrets } from './secrets/spec.js';
import { spec as send } from './send/spec.js';
import { spec as sign } from './sign/spec.js';
import { spec as trigger } from './trigger/spec.js';
import { spec as update } from './update/spec.js';
import { spec as verify } from './verify/spec.js';

export const COMMAND_SPECS: readonly CommandSpec[] = [
  create,
  list,
  get,
  update,
  del,
  pause,
  resume,
  plan,
  apply,
  importSpec,
  secrets,
  login,
  logout,
  auth,
  config,
  sign,
  verify,
  send,
  check,
  listen,
  cleanup,
  events,
  replay,
  inspect,
  emulator,
  trigger,
  deliveries,
  demo,
  completion,
  mcp,
];
