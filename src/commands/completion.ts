// `completion bash|zsh|fish`: the script is generated from the live commander tree, so new commands and flags
// complete without anyone remembering to update a hand-written list. Event names complete after --event.
import { Argument, type Command } from 'commander';
import type { Context } from '../cli/context.js';
import { EVENT_NAMES } from '../events/names.js';
import { examples } from './kit.js';

interface Node {
  path: string[];
  flags: string[];
  subcommands: string[];
}

function walk(command: Command, path: string[], out: Node[], globalFlags: string[]): void {
  const flags = [
    ...new Set([
      ...command.options.flatMap((o) => [o.long, o.short]).filter((f): f is string => !!f),
      ...globalFlags,
      '--help',
    ]),
  ];
  const subs = command.commands.filter((c) => c.name() !== 'help');
  out.push({ path, flags, subcommands: subs.map((c) => c.name()) });
  for (const sub of subs) walk(sub, [...path, sub.name()], out, globalFlags);
}

export function completionTree(program: Command): Node[] {
  const globals = program.options.flatMap((o) => [o.long, o.short]).filter((f): f is string => !!f);
  const nodes: Node[] = [];
  walk(program, [], nodes, globals);
  return nodes;
}

const eventFlags = ['--event', '--wait-for'];

export function bashScript(nodes: Node[]): string {
  const cases = nodes
    .map((n) => `    "${n.path.join(' ')}") words="${[...n.subcommands, ...n.flags].join(' ')}" ;;`)
    .join('\n');
  const commandNames = new Set(nodes.flatMap((n) => n.subcommands));
  return `# pictify-hooks bash completion. Load with: source <(pictify-hooks completion bash)
_pictify_hooks() {
  local cur prev path="" w i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  case "$prev" in
    ${eventFlags.join('|')}) COMPREPLY=( $(compgen -W "${EVENT_NAMES.join(' ')}" -- "$cur") ); return ;;
  esac
  for ((i=1; i<COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    case "$w" in -*) continue ;; esac
    case " ${[...commandNames].join(' ')} " in *" $w "*) path="\${path:+$path }$w" ;; esac
  done
  local words=""
  case "$path" in
${cases}
  esac
  case "$path" in
    send|sign|trigger) words="$words ${EVENT_NAMES.join(' ')}" ;;
  esac
  COMPREPLY=( $(compgen -W "$words" -- "$cur") )
}
complete -F _pictify_hooks pictify-hooks
`;
}

export function zshScript(nodes: Node[]): string {
  return `#compdef pictify-hooks
# pictify-hooks zsh completion. Load with: source <(pictify-hooks completion zsh)
autoload -U +X bashcompinit && bashcompinit
${bashScript(nodes)}`;
}

export function fishScript(nodes: Node[]): string {
  const lines = [
    '# pictify-hooks fish completion. Load with: pictify-hooks completion fish | source',
    'complete -c pictify-hooks -f',
  ];
  for (const n of nodes) {
    const condition =
      n.path.length === 0 ? '__fish_use_subcommand' : `__fish_seen_subcommand_from ${n.path[n.path.length - 1]}`;
    for (const sub of n.subcommands) lines.push(`complete -c pictify-hooks -n '${condition}' -a ${sub}`);
    for (const flag of n.flags.filter((f) => f.startsWith('--')))
      lines.push(`complete -c pictify-hooks -n '${condition}' -l ${flag.slice(2)}`);
  }
  for (const flag of eventFlags)
    lines.push(`complete -c pictify-hooks -l ${flag.slice(2)} -x -a '${EVENT_NAMES.join(' ')}'`);
  lines.push(
    `complete -c pictify-hooks -n '__fish_seen_subcommand_from send sign trigger' -a '${EVENT_NAMES.join(' ')}'`,
  );
  return `${lines.join('\n')}\n`;
}

export function register(program: Command, ctx: Context): void {
  const cmd = program
    .command('completion')
    .description('Print a shell completion script (commands, flags and event names)')
    .addArgument(new Argument('<shell>', 'your shell').choices(['bash', 'zsh', 'fish']))
    .action(async (shell: 'bash' | 'zsh' | 'fish') => {
      // The running program holds stubs for the commands not invoked; completion needs every flag.
      const { buildProgram } = await import('../cli/main.js');
      const nodes = completionTree(await buildProgram(ctx, 'all'));
      ctx.io.stdout.write(
        shell === 'bash' ? bashScript(nodes) : shell === 'zsh' ? zshScript(nodes) : fishScript(nodes),
      );
    });
  examples(cmd, [
    'source <(pictify-hooks completion bash)',
    'pictify-hooks completion zsh > "${fpath[1]}/_pictify-hooks"',
    'pictify-hooks completion fish | source',
  ]);
}
