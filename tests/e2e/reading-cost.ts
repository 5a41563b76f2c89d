import { Conversation, blocks, textOf } from "./conversation";
import { isAgentRequest } from "./gsd-model";
import type { LoggedRequest } from "./mock-api";

/**
 * What the orchestrating model had to read, from the mock's request log, main-thread requests
 * only (background agents excluded): the instructions it was opened with, and everything that
 * reached it afterwards (tool results, task notifications, system messages), each counted once
 * per conversation however often Claude Code resends the history.
 */
export interface ReadingCost {
  conversations: number;
  instructionChars: number;
  /** Tool results of helper calls (Bash commands that ran the helper). */
  helperChars: number;
  /** Everything else that arrived after the first reply: Agent results, notifications, reminders. */
  otherChars: number;
  largestHelperResult: number;
}

export function readingCost(requests: LoggedRequest[]): ReadingCost {
  const seenConv = new Set<string>();
  const seenBlock = new Set<string>();
  const cost: ReadingCost = { conversations: 0, instructionChars: 0, helperChars: 0, otherChars: 0, largestHelperResult: 0 };
  for (const r of requests) {
    if (r.path !== "/v1/messages" || !r.body || isAgentRequest(r.body)) continue;
    const conv = new Conversation(r.body);
    if (!conv.command) continue;
    const opening = conv.firstUserText;
    if (!seenConv.has(opening)) {
      seenConv.add(opening);
      cost.conversations++;
      cost.instructionChars += opening.length;
    }
    const helperIds = new Set(conv.calls.filter((c) => c.use.name === "Bash" && /cli\.js/.test(String(c.use.input.command ?? ""))).map((c) => c.use.id));
    const firstReply = conv.messages.findIndex((m) => m.role === "assistant");
    conv.messages.forEach((m, i) => {
      if (firstReply < 0 || i <= firstReply || m.role === "assistant") return;
      blocks(m).forEach((b, j) => {
        const id =
          b.type === "tool_result" ? `tr:${String((b as { tool_use_id?: string }).tool_use_id)}` : `${opening.length}:${i}:${j}:${textOf(b).slice(0, 200)}`;
        if (seenBlock.has(id)) return;
        seenBlock.add(id);
        const n = textOf(b).length;
        if (b.type === "tool_result" && helperIds.has(String((b as { tool_use_id?: string }).tool_use_id))) {
          cost.helperChars += n;
          cost.largestHelperResult = Math.max(cost.largestHelperResult, n);
        } else cost.otherChars += n;
      });
    });
  }
  return cost;
}

/** One line for a test's output: characters read per plan. */
export function describeCost(label: string, c: ReadingCost, plans: number): string {
  const per = (n: number) => (plans > 0 ? Math.round(n / plans) : 0);
  return (
    `${label}: ${plans} plans, ${c.conversations} conversation(s); the orchestrating model read ` +
    `${per(c.helperChars + c.otherChars)} chars per plan after its instructions (helper output ${per(c.helperChars)}, other ${per(c.otherChars)}; ` +
    `largest helper result ${c.largestHelperResult}); instructions ${c.instructionChars} chars`
  );
}
