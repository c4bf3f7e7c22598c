/**
 * What the command echoes of its own arguments: like a configuration value, at most 80
 * characters of each, and once (Node's parser names an unknown option twice).
 */
import { shortened } from '../core/inputLimits';

/** A message for an argument the parser refused. */
export function describeParseFailure(error: Error & { code?: string }): string {
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const option = /'([^]*?)'\. To specify/.exec(error.message)?.[1];
    if (option !== undefined) return `Unknown option '${shortened(option)}'`;
  }
  // Every argument quoted in the parser's sentence, cut to length.
  return error.message.replace(/'([^']*)'/g, (_all, quoted: string) => `'${shortened(quoted)}'`);
}

/** The unknown command, cut to length. */
export function describeUnknownCommand(positionals: string[]): string {
  return `Unknown command: ${shortened(positionals.join(' '))}`;
}
