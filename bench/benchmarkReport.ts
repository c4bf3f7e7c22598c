/**
 * BENCHMARKS.md holds two reports: the check benchmark's (`npm run bench`) and, in its own marked
 * section, the directory benchmark's (`npm run bench:directory`, which needs a test DC). Each
 * rewrites only its own part, so running one keeps the other's figures.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const START = '<!-- directory benchmark: written by npm run bench:directory -->';
const END = '<!-- end of directory benchmark -->';

function current(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

/** The directory section of the file as it is (markers included), or ''. */
function directorySection(text: string): string {
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  return start === -1 || end < start ? '' : text.slice(start, end + END.length);
}

/** Writes the check benchmark's report, keeping the directory section already in the file. */
export function writeCheckReport(file: string, report: string): void {
  const kept = directorySection(current(file));
  writeFileSync(file, kept ? `${report.trimEnd()}\n\n${kept}\n` : report);
}

/** Writes (or replaces) the directory section, keeping the rest of the file. */
export function writeDirectoryReport(file: string, section: string): void {
  const text = current(file);
  const block = `${START}\n\n${section.trim()}\n\n${END}`;
  const old = directorySection(text);
  writeFileSync(
    file,
    old ? text.replace(old, block) : `${text.trimEnd()}${text ? '\n\n' : ''}${block}\n`,
  );
}
