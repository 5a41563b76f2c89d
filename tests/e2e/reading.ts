/**
 * How the scripted model reads the text it is given: the expanded command and the @-included
 * protocol (as Claude Code delivers it, with the Read tool's line numbers), the way a model
 * picks a command out of prose. Commands are taken from the text only: inline code spans and
 * indented code lines that run the helper. `HELPER ...` spans of the protocol are filled in with
 * the helper invocation the text defines; a placeholder such as `${CLAUDE_PLUGIN_ROOT}` is copied
 * as it stands, as a model would copy it.
 */

/** The Read tool shows files as `   12\t<line>`; a model reads past the numbers. */
export function withoutLineNumbers(text: string): string {
  return text.replace(/^ *\d+\t/gm, "");
}

/** Inline code spans (single backticks) and indented code lines, in reading order. */
export function codeSpans(text: string): string[] {
  const out: Array<{ at: number; code: string }> = [];
  for (const m of text.matchAll(/(?<!`)`([^`\n]+)`(?!`)/g)) out.push({ at: m.index ?? 0, code: m[1]!.trim() });
  for (const m of text.matchAll(/^(?: {4,}|\t)(\S.*)$/gm)) out.push({ at: m.index ?? 0, code: m[1]!.trim() });
  return out.sort((a, b) => a.at - b.at).map((x) => x.code);
}

const RUNS_HELPER = /^node\s+("[^"]*cli\.js"|'[^']*cli\.js'|\S*cli\.js)/;

/** The text split where a model would: the command's own text, and what came with it. */
export interface Instructions {
  /** The expanded command (after Claude Code's `<command-name>`/`<command-args>` markers), or everything. */
  command: string;
  /** The rest: the @-included protocol, reminders. */
  context: string;
}

export function splitInstructions(firstUserText: string): Instructions {
  const text = withoutLineNumbers(firstUserText);
  const marks = [...text.matchAll(/<\/command-(?:name|args)>/g)];
  const at = marks.length > 0 ? (marks[marks.length - 1]!.index ?? 0) : -1;
  if (at < 0) return { command: text, context: "" };
  return { command: text.slice(at), context: text.slice(0, at) };
}

/** The helper invocation the text defines (`node "<path>/cli.js"` alone), first found wins. */
export function helperDefinition(ins: Instructions): string | undefined {
  for (const part of [ins.command, ins.context]) {
    for (const span of codeSpans(part)) {
      const m = RUNS_HELPER.exec(span);
      if (m && span === m[0]) return span;
    }
  }
  return undefined;
}

/**
 * Every command line the text shows for running the helper, the command's own first, with
 * `HELPER` filled in from the definition.
 */
export function helperCommands(ins: Instructions): string[] {
  const helper = helperDefinition(ins);
  const out: string[] = [];
  for (const part of [ins.command, ins.context]) {
    for (const span of codeSpans(part)) {
      if (RUNS_HELPER.test(span) && span !== RUNS_HELPER.exec(span)?.[0]) out.push(span);
      else if (/^HELPER\s+\S/.test(span) && helper) out.push(span.replace(/^HELPER/, helper));
    }
  }
  return out;
}

/** What a step of a command asks for, as a test on the command line the text shows. */
export type Intent = "preview" | "start" | "status" | "wait" | "agent-fallback";

const INTENTS: Record<Intent, (c: string) => boolean> = {
  preview: (c) => /\sstart\s/.test(c) && /--dry-run/.test(c),
  start: (c) => /\sstart\s/.test(c) && !/--dry-run/.test(c),
  status: (c) => /\sstatus(\s|$)/.test(c) && !/--wait|--peek|--agent-type|<agent-id>/.test(c),
  wait: (c) => /\sstatus\s/.test(c) && /--wait/.test(c),
  /** What to run when the Agent tool does not know the agent type it was given. */
  "agent-fallback": (c) => /\sstatus\s/.test(c) && /--agent-type/.test(c),
};

/** The command line the text shows for an intent, or undefined when it shows none. */
export function commandFor(ins: Instructions, intent: Intent): string | undefined {
  return helperCommands(ins).find(INTENTS[intent]);
}

/**
 * A shown command with the user's argument filled in where the text has a `<placeholder>` in
 * quotes, pasted as it is (this model does not apply the protocol's check of the argument, so
 * the hostile-input tests reach the layers below it); with no argument the `-- '<...>'` part is
 * left out, as the command text says.
 */
export function fillArgument(command: string, arg: string): string {
  const a = arg.trim();
  if (a === "") return command.replace(/\s+--\s+'<[^>]*>'/, "");
  return command.replace(/'<[^>]*>'/, `'${a}'`);
}

/** The Bash `timeout` the text asks for next to a command (e.g. "`timeout` set to 600000"). */
export function timeoutAskedFor(text: string): number | undefined {
  const m = /`timeout`\s+set to\s+(\d+)/.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** A command a refusal or an error message tells the model to run instead, in backticks. */
export function suggestedCommand(text: string): string | undefined {
  const spans = codeSpans(text).filter((s) => RUNS_HELPER.test(s) || /^(cd|cat|mkdir)\s/.test(s));
  return spans.find((s) => !s.includes("<"));
}
