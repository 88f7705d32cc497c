// The grammar table: every command of every mode, assembled from the area
// files under commands/. Each mode's commands (and their `no` forms) become one
// alternative node, so the matcher sees every keyword that is valid at a
// position at once and abbreviations are resolved against all of them.
import type { CommandSpec } from './command';
import { authorizationCommands } from './commands/authorization';
import { clientCommands } from './commands/client';
import { clusterCommands } from './commands/cluster';
import { globalCommands } from './commands/global';
import { ikev2GlobalCommands } from './commands/ikev2-global';
import { interfaceCommands } from './commands/interface';
import { ipsecCommands } from './commands/ipsec';
import { keyringCommands } from './commands/keyring';
import { navigationCommands } from './commands/navigation';
import { pkiCommands } from './commands/pki';
import { poolCommands } from './commands/pool';
import { profileCommands } from './commands/profile';
import { proposalCommands } from './commands/proposal';
import { redirectCommands } from './commands/redirect';
import { standbyCommands } from './commands/standby';
import { MODE_NAMES, type ModeName } from './modes';
import { choice, kw, leadingKeywords, type Node, seq, set } from './syntax';

export const COMMANDS: readonly CommandSpec[] = [
  ...navigationCommands,
  ...globalCommands,
  ...interfaceCommands,
  ...standbyCommands,
  ...poolCommands,
  ...authorizationCommands,
  ...ikev2GlobalCommands,
  ...redirectCommands,
  ...clusterCommands,
  ...proposalCommands,
  ...keyringCommands,
  ...profileCommands,
  ...clientCommands,
  ...ipsecCommands,
  ...pkiCommands,
];

/** Binding names the mode grammar uses to say which command matched. */
export const SPEC_INDEX = '$spec';
export const NEGATED = '$no';

export interface ModeGrammar {
  readonly root: Node;
  /** First keywords of the mode's commands, for "did you mean". */
  readonly firstWords: readonly string[];
}

function buildGrammar(mode: ModeName): ModeGrammar {
  const alts: Node[] = [];
  const firstWords = new Set<string>();
  COMMANDS.forEach((spec, index) => {
    if (spec.mode !== mode) return;
    alts.push(seq(set(SPEC_INDEX, index), spec.syntax));
    if (spec.no !== undefined) alts.push(seq(kw('no'), set(SPEC_INDEX, index), set(NEGATED, true), spec.no.syntax));
    const first = leadingKeywords(spec.syntax)[0];
    if (first !== undefined) firstWords.add(first);
    if (spec.no !== undefined) firstWords.add('no');
  });
  return { root: choice(...alts), firstWords: [...firstWords] };
}

const grammars = new Map<ModeName, ModeGrammar>(MODE_NAMES.map((mode) => [mode, buildGrammar(mode)]));

export function grammarOf(mode: ModeName): ModeGrammar {
  const grammar = grammars.get(mode);
  if (grammar === undefined) throw new Error(`config grammar: no mode ${mode}`);
  return grammar;
}

export function specAt(index: number): CommandSpec {
  const spec = COMMANDS[index];
  if (spec === undefined) throw new Error(`config grammar: no command ${index}`);
  return spec;
}
