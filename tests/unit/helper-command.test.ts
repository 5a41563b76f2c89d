import fc from "fast-check";
import { shellLine, shellQuote } from "../../lib/core/common/shell-quote";
import { looseSegments, plainWords } from "../../lib/core/common/shell-words";
import { ALLOW_REASON, EXCLUSIVE_REASON, type HelperFacts, judgeHelperCall } from "../../lib/core/queue/helper-command";

const H = "/plug/it's here/dist/cli.js";
const NODE = "/usr/local/bin/node";

/** A machine where `node` (and /usr/local/bin/node, and /usr/bin/node linking to it) is the real node, cwd /plug/it's here. */
function facts(over: Partial<HelperFacts> = {}): HelperFacts {
  const links: Record<string, string> = { "/usr/bin/node": NODE, [NODE]: NODE };
  return {
    helper: H,
    helperReal: H,
    projectDir: "/plug/it's here",
    isRealNode: (w) => w === "node" || (w.startsWith("/") && links[w] === NODE),
    realPath: (w) => {
      const abs = w.startsWith("/") ? w : `/plug/it's here/${w}`;
      if (abs.startsWith("/plug/it's here/.gsd-worktrees/") || abs === "/elsewhere") return abs;
      return abs === H || abs === "/plug/it's here/./dist/cli.js" ? H : abs === "/plug/link/cli.js" ? H : undefined;
    },
    ...over,
  };
}

const judge = (command: string, f = facts()) => judgeHelperCall(command, f);
const kind = (command: string, f = facts()) => judge(command, f).kind;

describe("plainWords reads exactly what shellQuote writes", () => {
  test("any argv printed by shellLine reads back as the same words", () => {
    fc.assert(fc.property(fc.array(fc.string(), { minLength: 1, maxLength: 6 }), (argv) => expect(plainWords(shellLine(argv))).toEqual(argv)));
  });
  test("quotes and backslash escapes join into one word", () => {
    expect(plainWords(`a 'it'\\''s' "b c" d\\ e`)).toEqual(["a", "it's", "b c", "d e"]);
    expect(plainWords(shellQuote("it's"))).toEqual(["it's"]);
  });
  test.each([";", "&&", "|", ">", "<", "$(x)", "`x`", "$X", '"$X"', '"a\\b"', "*", "~", "{a,b}", "#c", "(x)", "a\nb", "x \\\ny", "'open", '"open', "a\\"])(
    "refuses %j",
    (syntax) => expect(plainWords(`node H ${syntax}`)).toBeUndefined(),
  );
});

describe("looseSegments splits a line into simple commands", () => {
  test("lists, pipes, substitutions and redirections start new segments", () => {
    expect(looseSegments(`cd /x && node 'a b' s; ls | wc -l > o $(echo y) \`z\``)).toEqual([
      ["cd", "/x"],
      ["node", "a b", "s"],
      ["ls"],
      ["wc", "-l"],
      ["o"],
      ["echo", "y"],
      ["z"],
    ]);
  });
  test("here-document bodies are skipped, stray quotes in them included", () => {
    const line = `cat > S.md <<'EOF'\ndon't; node fake\nEOF\ncat <<-END\n\tx "y\n\tEND\nnode H complete 'p'`;
    expect(looseSegments(line)).toEqual([["cat"], ["S.md"], ["cat"], ["node", "H", "complete", "p"]]);
  });
});

describe("the hook and `exclusive`", () => {
  test("a shared command the user named in config.json is allowed, with or without --cwd", () => {
    expect(judge(`node ${shellQuote(H)} exclusive tests`)).toEqual({ kind: "allow", reason: EXCLUSIVE_REASON });
    expect(kind(`node ${shellQuote(H)} exclusive tests --cwd ${shellQuote("/plug/it's here/.gsd-worktrees/01-x/01-01")}`)).toBe("allow");
  });
  test("anything but exactly a name and --cwd into the project is left to Claude Code", () => {
    // Words after the name would run as a program; another directory's config.json is not this user's.
    for (const rest of ["tests touch x", "zzz echo x", "tests --json", "tests --cwd /elsewhere", "tests --cwd /nowhere", "'bad name!'", ""])
      expect({ rest, kind: kind(`node ${shellQuote(H)} exclusive ${rest}`) }).toEqual({ rest, kind: "pass" });
  });
  test("a command of the caller's own after -- is left to Claude Code, however harmless it looks", () => {
    expect(judge(`node ${shellQuote(H)} exclusive tests -- npm test`)).toEqual({ kind: "pass", why: expect.stringMatching(/a command or options of its own/) });
    expect(kind(`node ${shellQuote(H)} exclusive x --cwd /tmp -- rm -rf /`)).toBe("pass");
  });
  test("shell syntax around it is denied as for any helper call", () => {
    expect(kind(`node ${shellQuote(H)} exclusive tests && rm -rf /`)).toBe("deny");
  });
});

describe("the hook allows only the real node running the real helper", () => {
  test.each([
    `node '${H.replace(/'/g, `'\\''`)}' status --json`,
    `node "${H}" start --dry-run --json -- '2'`,
    `/usr/bin/node "${H}" analyze`,
    `${NODE} "${H}" status`,
    `  node "${H}" cancel  `,
  ])("allows %s", (command) => expect(judge(command)).toEqual({ kind: "allow", reason: ALLOW_REASON }));

  test("(a) not any executable named node", () => {
    expect(kind(`tools/node "${H}" status`)).toBe("pass");
    expect(kind(`/any/dir/node "${H}" status`)).toBe("pass");
    expect(kind(`./node "${H}" status`)).toBe("pass");
    // Bare node when PATH finds another node first.
    expect(kind(`node "${H}" status`, facts({ isRealNode: () => false }))).toBe("pass");
  });

  test("(b) the helper's own printed lines, with ' in the path and '\\'' in a reason", () => {
    const record = shellLine(["node", H, "fail", ".planning/phases/01-a/01-01-PLAN.md", "--cwd", "/p/it's", "--run", "r1"]);
    expect(kind(`${record} --reason 'the agent'\\''s tests failed; see log'`)).toBe("allow");
    expect(kind(shellLine(["node", H, "complete", "x y'z", "--reason", `a'b"c$d\`e`]))).toBe("allow");
  });

  test("(d) other commands on the helper file and other subcommands get no answer", () => {
    for (const c of [
      `ls -l "${H}"`,
      `sha256sum '${H.replace(/'/g, `'\\''`)}'`,
      `node "${H}" --version`,
      `node "${H}" --help`,
      `node "${H}"`,
      `node "${H}" hook pre-tool-use`,
      `node "${H}" install --global`,
    ])
      expect(kind(c)).toBe("pass");
  });

  test("(e) a relative helper path is resolved against the payload's cwd", () => {
    expect(kind(`node dist/cli.js status`)).toBe("allow");
    expect(kind(`node ./dist/cli.js status`)).toBe("allow");
    expect(kind(`node /plug/link/cli.js status`)).toBe("allow");
    expect(kind(`node other/cli.js status`)).toBe("pass");
  });

  test("commands that do not mention the helper get no answer", () => {
    for (const c of ["true", "git status && npm test", "node -e 0", "node x.js; rm y", "ls dist/ | head"]) expect(kind(c)).toBe("pass");
  });
});

describe("the hook denies the helper mixed with other shell syntax, and says what to run", () => {
  test("(c) an agent's here-document then its complete line: denied, with that exact line to run alone", () => {
    const line = shellLine(["node", H, "complete", ".planning/phases/02-x/02-01-PLAN.md", "--cwd", "/proj", "--run", "r-1"]);
    const chained = `cat > /proj/.planning/phases/02-x/02-01-SUMMARY.md <<'EOF'\n---\nplan: 02-01\n---\nIt didn't need changes.\nEOF\n${line}`;
    const d = judge(chained);
    expect(d.kind).toBe("deny");
    const reason = d.kind === "deny" ? d.reason : "";
    expect(reason).toContain("Write tool");
    expect(reason.endsWith(`: ${line}`)).toBe(true);
    // What the reason says to run is allowed on its own.
    expect(kind(reason.slice(reason.lastIndexOf(": node ") + 2))).toBe("allow");
  });

  test("(c) the same for fail with its reason, and for && and cd chains", () => {
    const fail = shellLine(["node", H, "fail", "p.md", "--reason", "it's broken"]);
    for (const chained of [`cd /proj && ${fail}`, `${fail} 2>&1`, `echo done; ${fail} | cat`]) {
      const d = judge(chained);
      expect(d.kind).toBe("deny");
      expect(d.kind === "deny" && d.reason.endsWith(`: ${fail}`)).toBe(true);
    }
  });

  test.each([
    `node "${H}" start -- '1'; touch PWNED4; echo ''`,
    `node "${H}" start --dry-run --json -- '1' && touch PWNED`,
    `node "${H}" status -- '$(touch PWNED)'x$(touch P2)`,
    `echo $(node "${H}" status)`,
    `env node "${H}" start -- '1'; touch P`,
    `node dist/cli.js start -- '1' | tee x`,
  ])("hostile or unclear: %s is denied without a repaired line to run", (command) => {
    const d = judge(command);
    expect(d.kind).toBe("deny");
    expect(d.kind === "deny" && d.reason.endsWith("exactly as you were given it.")).toBe(true);
  });

  test("one simple command of plain words that is not the exact call is left to Claude Code", () => {
    // Its words cannot break out of anything; no rule of the plugin lets `bash -c` run unasked.
    expect(kind(`bash -c "node '${H}' start -- 1; touch P"`)).toBe("pass");
  });

  test("a line that only looks at the helper file, without node, is left to Claude Code", () => {
    expect(kind(`ls "${H}" | head -1`)).toBe("pass");
    expect(kind(`sha256sum "${H}" > sums.txt`)).toBe("pass");
  });
});
