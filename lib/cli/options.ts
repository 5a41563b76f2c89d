import { type Command, InvalidArgumentError } from "commander";

/** The options every command takes: where the project is, JSON for machines, colour off. */
export function commonOptions(cmd: Command): Command {
  return cmd
    .option("--cwd <dir>", "project directory (default: the nearest directory with .planning/ above the current one)")
    .option("--json", "print machine-readable JSON (documented in the README)")
    .option("--no-color", "plain text even on a terminal (NO_COLOR is honoured too)");
}

/** A parser for whole-number options from 1 to 64 (agents at once); a bad value is a usage error. */
export function positiveInt(name: string): (v: string) => number {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError(`${name} must be a whole number from 1 to 64`);
    return n;
  };
}
