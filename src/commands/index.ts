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
  registerCompletion,
  registerCheck,
];

export function registerCommands(program: Command, ctx: Context): void {
  for (const register of modules) register(program, ctx);
}
