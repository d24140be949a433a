// `completion bash|zsh|fish`: the script is generated from the command specs, so new commands, aliases, flags and
// their values complete without anyone remembering to update a hand-written list.
import type { Context } from '../../cli/context.js';
import type { CommandSpec, Completions, OptionSpec, ProgramSpec } from '../../cli/spec.js';
import { EVENT_NAMES } from '../../events/names.js';

interface Node {
  path: string[];
  flags: string[];
  /** Subcommand names and aliases. */
  subcommands: string[];
  /** Words for a positional argument (event names, shells, config keys). */
  words: string[];
  /** Values per flag that takes one from a known list. */
  values: Map<string, string[]>;
}

function wordsOf(complete: Completions | undefined, choices: readonly string[] | undefined): string[] {
  if (complete === 'events') return [...EVENT_NAMES];
  return [...(complete ?? choices ?? [])];
}

function flagNames(option: OptionSpec): string[] {
  return option.flags
    .split(/[ ,|]+/)
    .filter((part) => part.startsWith('-'))
    .map((part) => part.trim());
}

function walk(spec: CommandSpec, path: string[], out: Node[], globals: readonly OptionSpec[]): void {
  const options = [...Object.values(spec.flags ?? {}), ...globals].filter((o) => !o.hidden);
  const values = new Map<string, string[]>();
  for (const option of options) {
    const words = wordsOf(option.complete, option.choices);
    if (words.length > 0) for (const flag of flagNames(option)) values.set(flag, words);
  }
  const subs = spec.subcommands ?? [];
  const node: Node = {
    path,
    flags: [...new Set([...options.flatMap(flagNames), '--help'])],
    subcommands: subs.flatMap((s) => [s.name, ...(s.aliases ?? [])]),
    words: (spec.arguments ?? []).flatMap((a) => wordsOf(a.complete, a.choices)),
    values,
  };
  out.push(node);
  for (const sub of subs) {
    for (const name of [sub.name, ...(sub.aliases ?? [])]) walk(sub, [...path, name], out, globals);
  }
}

export function completionTree(program: ProgramSpec): Node[] {
  const nodes: Node[] = [];
  walk({ name: '', summary: '', subcommands: program.commands }, [], nodes, program.globals);
  return nodes;
}

export function bashScript(nodes: Node[]): string {
  const cases = nodes
    .map((n) => `    "${n.path.join(' ')}") words="${[...n.subcommands, ...n.flags, ...n.words].join(' ')}" ;;`)
    .join('\n');
  const valueCases = nodes
    .flatMap((n) =>
      [...n.values].map(([flag, words]) => `    "${n.path.join(' ')}|${flag}") words="${words.join(' ')}" ;;`),
    )
    .join('\n');
  const commandNames = new Set(nodes.flatMap((n) => n.subcommands));
  return `# pictify-hooks bash completion. Load with: source <(pictify-hooks completion bash)
_pictify_hooks() {
  local cur prev path="" w i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  for ((i=1; i<COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    case "$w" in -*) continue ;; esac
    case " ${[...commandNames].join(' ')} " in *" $w "*) path="\${path:+$path }$w" ;; esac
  done
  local words=""
  case "$path|$prev" in
${valueCases}
    *)
      case "$path" in
${cases}
      esac
      ;;
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
    if (n.words.length > 0) lines.push(`complete -c pictify-hooks -n '${condition}' -a '${n.words.join(' ')}'`);
    for (const flag of n.flags.filter((f) => f.startsWith('--'))) {
      const values = n.values.get(flag);
      const tail = values ? ` -x -a '${values.join(' ')}'` : '';
      lines.push(`complete -c pictify-hooks -n '${condition}' -l ${flag.slice(2)}${tail}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export async function run(ctx: Context, shell: 'bash' | 'zsh' | 'fish', program: ProgramSpec): Promise<void> {
  const nodes = completionTree(program);
  ctx.io.stdout.write(shell === 'bash' ? bashScript(nodes) : shell === 'zsh' ? zshScript(nodes) : fishScript(nodes));
}
