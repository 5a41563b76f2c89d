/**
 * POSIX single-quoting: the only safe way to put a path into a command line that a model or
 * a shell will run. Inside single quotes nothing is special except the quote itself, which is
 * closed, escaped and reopened.
 */
export function shellQuote(arg: string): string {
  if (arg !== "" && /^[A-Za-z0-9_/.,:=@%+-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function shellLine(argv: readonly string[]): string {
  return argv.map(shellQuote).join(" ");
}
