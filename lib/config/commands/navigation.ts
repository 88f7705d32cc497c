// `exit` and `end`, valid in every mode as in IOS: `exit` leaves the current
// submode (and warns at the top level, where there is nothing to leave), `end` stops reading the file (lines after it are ignored, with a
// warning).
import { command, type CommandSpec } from '../command';
import { MODE_NAMES } from '../modes';
import { kw } from '../syntax';

export const navigationCommands: CommandSpec[] = MODE_NAMES.flatMap((mode) => {
  const end = command({ mode, syntax: kw('end'), run: (ctx) => ctx.endConfig() });
  const exit = command({ mode, syntax: kw('exit'), run: (ctx) => ctx.exitMode() });
  return [end, exit];
});
