// Every command module, in the order `--help` lists them. Each module is light: heavy work is imported in its action.
import type { Command } from 'commander';
import type { Context } from '../context.js';
import { register as registerCreate } from './create.js';
import { register as registerList } from './list.js';
import { register as registerGet } from './get.js';
import { register as registerUpdate } from './update.js';
import { register as registerDelete } from './delete.js';
import { register as registerPauseResume } from './pause-resume.js';
import { register as registerSecrets } from './secrets.js';
import { register as registerLogin } from './login.js';
import { register as registerConfig } from './config.js';
import { register as registerCompletion } from './completion.js';
import { register as registerCheck } from './check.js';
import { register as registerSign } from './sign.js';
import { register as registerVerify } from './verify.js';
import { register as registerSend } from './send.js';
import { register as registerEmulator } from './emulator.js';
import { register as registerTrigger } from './trigger.js';
import { register as registerDeliveries } from './deliveries.js';
import { register as registerListen } from './listen.js';
import { register as registerEvents } from './events.js';
import { register as registerReplay } from './replay.js';
import { register as registerDemo } from './demo.js';

type Register = (program: Command, ctx: Context) => void;

const modules: Register[] = [
  registerCreate,
  registerList,
  registerGet,
  registerUpdate,
  registerDelete,
  registerPauseResume,
  registerSecrets,
  registerLogin,
  registerConfig,
  registerSign,
  registerVerify,
  registerSend,
  registerListen,
  registerEvents,
  registerReplay,
  registerCheck,
  registerEmulator,
  registerTrigger,
  registerDeliveries,
  registerDemo,
  registerCompletion,
];

export function registerCommands(program: Command, ctx: Context): void {
  for (const register of modules) register(program, ctx);
}
