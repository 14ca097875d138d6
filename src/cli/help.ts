/**
 * `skiff --help` and `skiff check --help`: the options under their headings, each description
 * wrapped to fit a 100-column terminal.
 */
import { optionGroups, optionSpecs, type OptionGroup, type OptionSpec } from './options.js';

const WIDTH = 100;
/** Where descriptions start; an option longer than this gets its description on the next line. */
const HELP_COLUMN = 36;

export function usage(): string {
  const lines = [
    'Usage: skiff [options]',
    '       skiff check [options]   validate routes files, manifests and plugins offline (check --help)',
    '',
    ...wrap(
      'Every option can also be set as an environment variable: SKIFF_ and the name in upper case, "-" ' +
        'written "_" (--drain-delay is SKIFF_DRAIN_DELAY); a repeatable option takes a comma-separated ' +
        'list. The command line wins over the variable. Durations are written as in Go: 500ms, 10s, 1m30s.',
      WIDTH,
    ),
  ];
  for (const group of Object.keys(optionGroups) as OptionGroup[]) {
    lines.push('', `${optionGroups[group]}:`);
    for (const o of optionSpecs) if (o.group === group) lines.push(...entry(o));
  }
  return lines.join('\n') + '\n';
}

export function checkUsage(): string {
  const lines = [
    'Usage: skiff check [options]',
    '',
    ...wrap(
      'Checks a configuration offline, as the router would load it: loads the filter plugins, parses ' +
        'the routes files, translates the --ingress-dir manifests with the translation options given, and ' +
        "builds every listener's route table. Nothing listens and no API is called. Prints one " +
        '"FILE:LINE:COLUMN: message" line per problem, then a summary ("N routes OK"). Exit status: 0 ' +
        'valid, 1 problems found, 2 bad command line.',
      WIDTH,
    ),
    '',
    ...wrap(
      "Takes the router's options: those below are read, the others (--address, --workers, ...) are " +
        "accepted and ignored, so a router's argument list can be checked as it is. Skipper's single-dash " +
        'spelling (-routes-file FILE) works for the options Skipper has under the same name.',
      WIDTH,
    ),
    '',
    'Options read:',
    ...optionSpecs.filter((o) => o.check === true).flatMap(entry),
  ];
  return lines.join('\n') + '\n';
}

/** One option: `  --name ARG` and its description, wrapped under the description column. */
function entry(o: OptionSpec): string[] {
  const left = `  --${o.name}${o.arg === null ? '' : ` ${o.arg}`}`;
  const text = wrap(o.help, WIDTH - HELP_COLUMN);
  const pad = ' '.repeat(HELP_COLUMN);
  if (left.length > HELP_COLUMN - 2) return [left, ...text.map((t) => pad + t)];
  return [left.padEnd(HELP_COLUMN) + text[0], ...text.slice(1).map((t) => pad + t)];
}

/** Words into lines of at most `width` characters (a longer word gets a line of its own). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (word === '') continue;
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}
