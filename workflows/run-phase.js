export const meta = {
  name: "run-phase",
  description: "gsd-async: run one GSD phase's plans as their dependency graph, a capped number of agents at once",
  whenToUse: "Only with the args a gsd-async helper answer hands out in its workflow item.",
};

// Runs the graph the helper computed (args: run, launch, phase, cap, order, complete, plans[{id, label,
// prompt, agentType?, after}]). A plan starts the moment its last prerequisite succeeded and a slot
// is free, highest priority first: there is no barrier between "waves". A plan whose agent failed,
// gave no result or threw skips its dependents (transitively) and nothing else. The agents record
// their outcome with the helper themselves; the value returned here lets a later `status` settle
// what an agent reported but never recorded. No clock and no randomness: the helper owns both.

const RESULT_SCHEMA = {
  type: "object",
  properties: {
    outcome: { type: "string", enum: ["completed", "failed"] },
    reason: { type: "string" },
  },
  required: ["outcome"],
};

const RESULT_LINE = "Last, return the outcome you recorded with the helper: outcome completed, or outcome failed with a one-line reason.";

const input = args !== null && typeof args === "object" ? args : {};
const plans = Array.isArray(input.plans) ? input.plans.filter((p) => p && typeof p.id === "string") : [];
const cap = Math.max(1, Math.floor(Number(input.cap)) || 1);
const byId = new Map(plans.map((p) => [p.id, p]));
const order = Array.isArray(input.order) ? input.order : [];
const rank = new Map(plans.map((p, i) => [p.id, order.includes(p.id) ? order.indexOf(p.id) : order.length + i]));
const succeeded = new Set(Array.isArray(input.complete) ? input.complete : []);
const failed = new Set();
const started = new Set();
const results = {};
const dependents = new Map(plans.map((p) => [p.id, []]));
for (const p of plans) for (const d of p.after || []) if (dependents.has(d)) dependents.get(d).push(p.id);

let running = 0;
let finish;
const allDone = new Promise((resolve) => {
  finish = resolve;
});

const prerequisites = (p) => (Array.isArray(p.after) ? p.after : []);
const isReady = (p) => !started.has(p.id) && !(p.id in results) && prerequisites(p).every((d) => succeeded.has(d));

/** A plan that will not run, and every plan downstream of it. */
function skip(id, because) {
  if (id in results || started.has(id)) return;
  results[id] = { outcome: "skipped", blockedBy: because };
  for (const next of dependents.get(id) || []) skip(next, [id]);
}

function settle(id, outcome) {
  running--;
  results[id] = outcome;
  if (outcome.outcome === "completed") succeeded.add(id);
  else {
    failed.add(id);
    for (const next of dependents.get(id) || []) skip(next, [id]);
  }
  log(`${id}: ${outcome.outcome}`);
  pump();
}

function launch(p) {
  started.add(p.id);
  running++;
  const opts = { label: typeof p.label === "string" ? p.label : p.id, schema: RESULT_SCHEMA };
  if (typeof p.agentType === "string") opts.agentType = p.agentType;
  let call;
  try {
    call = Promise.resolve(agent(`${p.prompt}\n${RESULT_LINE}`, opts));
  } catch (e) {
    call = Promise.reject(e);
  }
  call.then(
    (r) => {
      if (r === null || r === undefined) settle(p.id, { outcome: "no-result", reason: "the agent ended without a result (an API error)" });
      else if (r.outcome === "completed") settle(p.id, { outcome: "completed" });
      else settle(p.id, { outcome: "failed", reason: typeof r.reason === "string" ? r.reason : "the agent reported a failure" });
    },
    (e) => settle(p.id, { outcome: "failed", reason: `the agent call threw: ${String(e && e.message ? e.message : e)}` }),
  );
}

/** Fills free slots with ready plans, best first; ends the run when nothing runs or can run. */
function pump() {
  const ready = plans.filter(isReady).sort((a, b) => rank.get(a.id) - rank.get(b.id));
  for (const p of ready) {
    if (running >= cap) break;
    launch(p);
  }
  if (running > 0) return;
  // Nothing runs and nothing is ready: what is left waits on something that will never succeed.
  for (const p of plans) {
    if (p.id in results || started.has(p.id)) continue;
    const missing = prerequisites(p).filter((d) => !succeeded.has(d));
    results[p.id] = { outcome: "skipped", blockedBy: missing };
  }
  finish();
}

for (const p of plans) {
  const missing = prerequisites(p).filter((d) => !succeeded.has(d) && !byId.has(d));
  if (missing.length > 0) skip(p.id, missing);
}
pump();
await allDone;

const ordered = {};
for (const p of plans) ordered[p.id] = results[p.id];
return { gsdAsyncRun: input.run, launch: input.launch, phase: input.phase, results: ordered };
