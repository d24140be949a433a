// Every command's spec, in the order the top-level help lists them within their group. Specs are tiny and hold no
// implementation, so loading them all keeps `pictify-hooks --help` near bare Node.
import type { CommandSpec } from '../cli/spec.js';
import { spec as apply } from './apply/spec.js';
import { spec as auth } from './auth.js';
import { spec as check } from './check.js';
import { spec as cleanup } from './cleanup.js';
import { spec as completion } from './completion.js';
import { spec as config } from './config.js';
import { spec as create } from './create.js';
import { spec as del } from './delete.js';
import { spec as deliveries } from './deliveries.js';
import { spec as demo } from './demo.js';
import { spec as emulator } from './emulator.js';
import { spec as events } from './events.js';
import { spec as get } from './get.js';
import { spec as importSpec } from './import/spec.js';
import { spec as inspect } from './inspect.js';
import { spec as list } from './list.js';
import { spec as listen } from './listen.js';
import { spec as login } from './login.js';
import { spec as logout } from './logout.js';
import { spec as pause } from './pause.js';
import { spec as plan } from './plan/spec.js';
import { spec as replay } from './replay.js';
import { spec as resume } from './resume.js';
import { spec as secrets } from './secrets.js';
import { spec as send } from './send.js';
import { spec as sign } from './sign.js';
import { spec as trigger } from './trigger.js';
import { spec as update } from './update.js';
import { spec as verify } from './verify.js';

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
];
