import * as z from 'zod/mini';

/**
 * Expected problems in user input are values, not exceptions: every parser and analysis step
 * returns diagnostics alongside its result, so a run reports all of them at once.
 */
type Severity = "error" | "warning" | "info";
declare const DIAGNOSTIC_CODES: readonly ["frontmatter-missing", "frontmatter-after-heading", "frontmatter-invalid", "frontmatter-unsafe-engine", "field-invalid", "depends-unreadable", "files-unreadable", "file-too-large", "name-unsafe", "link-outside-project", "plan-unreadable", "plan-duplicate-id", "plan-name-unrecognised", "depends-unresolved", "depends-ambiguous", "depends-self", "cross-phase-pending", "cycle", "wave-mismatch", "write-conflict-undeclared", "path-outside-project", "ref-moved-phase", "ref-moved-ambiguous", "foreign-root", "phase-ambiguous", "phase-no-plans", "summary-invalid", "duration-unreadable", "state-unreadable", "config-invalid", "roadmap-no-phases", "roadmap-duplicate-phase", "roadmap-depends-orphan", "roadmap-depends-unparsed", "roadmap-depends-self", "roadmap-depends-unknown", "roadmap-prerequisite-incomplete", "roadmap-status-mismatch", "roadmap-phase-ambiguous"];
type DiagnosticCode = (typeof DIAGNOSTIC_CODES)[number];
interface Diagnostic {
    severity: Severity;
    code: DiagnosticCode;
    message: string;
    /** Path relative to the project root (posix separators), when the problem is in a file. */
    file?: string;
    /** 1-based line in `file`, when known. */
    line?: number;
}
declare function diagnostic(severity: Severity, code: DiagnosticCode, message: string, where?: {
    file?: string;
    line?: number;
}): Diagnostic;
/** Stable order for output: by severity, then file, then line, then code. */
declare function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[];

/**
 * One path a plan names (in `files_modified`, `<files>` or a context reference), normalised.
 *
 * Invariants of `path`: POSIX separators, no `.` segments, no empty segments, no `./` prefix;
 * `..` appears only at the start and only when `outside`. A `dir` path ends with `/`; the
 * project root itself, and `dir/**`, are expressed as their cover (`**` and `dir/`).
 * Placeholders the author left (`{timestamp}`, `<slug>`) become `*`, making the entry a glob.
 * For `outside` entries `path` keeps its root (`/abs/x`, `~/x`, `$HOME/x`, `../x`, `<tmp>/x`).
 * Normalising `path` again (quoted when it contains whitespace) gives the same entry.
 */
interface PathEntry {
    raw: string;
    path: string;
    kind: "file" | "dir" | "glob";
    /** Absolute path not under the project, home/env-relative, unknown root, or escapes with `../`. */
    outside: boolean;
}

/** Why one plan must wait for another. Every edge carries at least one. */
type EdgeKind = "declared" | "plan-ref" | "summary-ref" | "read-after-write" | "write-conflict" | "cross-phase" | "prose";
/**
 * How an inferred reason was found when the text did not say it literally: a reference read in
 * the phase's new directory (`moved-phase`), or a path of the author's machine read relative to
 * the project (`foreign-root`) or compared as written with another plan's (`foreign-path`).
 */
type ReasonVia = "moved-phase" | "foreign-root" | "foreign-path";
interface EdgeReason {
    kind: EdgeKind;
    /** The file behind an inferred reason, or the referenced plan/summary file. */
    file?: string;
    /** Line in the dependent plan where the reason is written, when there is one. */
    line?: number;
    via?: ReasonVia;
    /** For `prose`: the sentence of the dependent plan that names the prerequisite. */
    text?: string;
}

/**
 * Plans named in a plan's prose: "added by Plan 01", "uses the table from 16-01", an
 * `<interfaces>` block saying "From 02-03: ...". Each mention keeps the sentence it was found
 * in, which becomes the reason of a `prose` edge.
 *
 * Rules (chosen from what real plans write):
 * - `NN-MM` (phase, dash, plan) with no digit, dot, dash, slash or letter glued to either side,
 *   so dates (`2026-01-15`), versions and paths do not count; `NN-MM-SUMMARY.md` does.
 * - `NN.M` likewise, but it only names a plan in trees whose plan ids are dotted (`01.3-PLAN.md`).
 * - `Plan MM`, `Plans 01 and 02`, `plans 01/02, 03` (a list of plan numbers after the word),
 *   unless "Phase NN" comes right before it: then the phase is that one.
 * - A sentence that says the plans are unrelated ("in parallel with Plan 02", "independent",
 *   "same wave", "no file overlaps with", "does not depend on") names no prerequisite: its
 *   mentions are dropped.
 */
interface PlanMention {
    /** Phase number as written, when the mention names one. */
    phase?: string;
    /** Plan token as written (`01`, `3a`). */
    plan: string;
    /** Written `NN.M`, as trees that name plans `01.3-PLAN.md` do. */
    dotted?: boolean;
    /** 1-based line in the plan file. */
    line: number;
    /** The sentence, trimmed to at most 200 characters. */
    text: string;
}

/** Kinds of human checkpoint GSD uses (`checkpoint:human-verify`, `:decision`, `:human-action`...). */
interface Task {
    /** `auto`, `checkpoint:human-verify`, `tdd`... as written; `auto` for `## Task N` headings. */
    type: string;
    name: string;
    /** Raw text of `<files>`, split later by the path rules. */
    filesText?: string;
    /** Raw text of `<read_first>`: files the task reads before it starts. */
    readFirstText?: string;
    checkpoint?: string;
    gate?: string;
    /** 1-based line of the task's opening tag or heading in the whole file. */
    line: number;
    /** Offset of the inner text, so callers can map inner positions back to lines. */
    innerOffset: number;
    form: "xml" | "heading";
}

/** One `depends_on` entry exactly as the author wrote it, with where it was written. */
interface DependsEntry {
    value: string;
    line?: number;
}
/** A file a plan reads: an @-reference in `<context>`, or a file its tasks touch or read first. */
interface ReadRef {
    path: string;
    line: number;
    via: "context" | "task" | "read_first";
    /** Written under the author's root and read relative to the project (see foreign-paths). */
    rebased?: boolean;
}
/** Everything the plan's own text says, before it is related to other plans. Pure data. */
interface PlanDoc {
    hasFrontMatter: boolean;
    phase?: string;
    plan?: string;
    type?: string;
    wave?: number;
    dependsOn: DependsEntry[];
    filesModified: PathEntry[];
    /**
     * `files_modified` entries under an absolute, drive or home root outside the project (see
     * foreign-paths); the analysis decides what they mean and says so.
     */
    foreignWrites: PathEntry[];
    /** Files under such a root that its tasks touch or read first. */
    foreignReads: {
        entry: PathEntry;
        line: number;
        via: ReadRef["via"];
    }[];
    /** The `autonomous` field as written; absent when the plan does not say. */
    autonomous?: boolean;
    requirements: string[];
    mustHaves?: unknown;
    tasks: Task[];
    /** Checkpoint kinds of its tasks, e.g. `human-verify`. */
    checkpoints: string[];
    reads: ReadRef[];
    /** Plans named in the body's prose (see prose-links). */
    mentions: PlanMention[];
    /** 1-based line of each front-matter key, for diagnostics. */
    keyLines: Record<string, number>;
    diagnostics: Diagnostic[];
}
declare function parsePlanDoc(text: string, file: string, projectRootAbs?: string): PlanDoc;

/**
 * What a plan's or summary's file name says about it. Real trees use `02-01-PLAN.md`,
 * `02-01-slug-PLAN.md`, `33-slug-01-PLAN.md`, `02-01a-PLAN.md`, `02-FIX-PLAN.md`, `02-PLAN.md`,
 * `05.1-PLAN.md` (plan 1 of phase 05), `07-slug-PLAN.md` (plan 07, phase from the directory),
 * and files whose number differs in padding from the directory (`82-01` in `082-slug`).
 */
interface PlanName {
    kind: "plan" | "summary";
    /** File name without `-PLAN.md` / `-SUMMARY.md`; `PLAN.md` alone has stem "". */
    stem: string;
    /** The plan's token within its phase (`01`, `3a`, `FIX`); absent for a whole-phase plan. */
    planToken?: string;
    /** Short id used by people and `depends_on`: `02-01`, `02.1-03`, `05.1`, or the stem. */
    id: string;
}

/**
 * What the shell found on disk, as plain data: every phase directory of the tree with the
 * names of its files. Plan identity is a file path; phase numbers can repeat across
 * milestones and workstreams, so a phase is identified by its directory.
 */
interface PhaseListing {
    /** Project-relative POSIX path, e.g. `.planning/phases/02-core`. */
    dir: string;
    name: string;
    /** Phase number as written in the directory name (`02.1`, `36B`); absent for `tools-x`. */
    number?: string;
    /** Container path inside `.planning`: `phases`, `milestones/v1.0-phases`, `workstreams/w/phases`. */
    container: string;
    /** In a live `phases/` container (top level or a workstream's), not a milestone archive. */
    active: boolean;
    files: string[];
    /** Files that are symbolic links to somewhere outside the project: listed, never read. */
    outsideLinks?: string[];
}
interface PlanningTree {
    /** Project-relative path of the planning directory, normally `.planning`. */
    root: string;
    phases: PhaseListing[];
    /** Containers and phase directories that are links to outside the project: not followed. */
    outsideLinks?: string[];
}
interface PlanFileRef extends PlanName {
    file: string;
    phaseDir: string;
}
interface PhaseFiles {
    plans: PlanFileRef[];
    summaries: PlanFileRef[];
}
/** Plans and summaries of one phase directory, in plan order. */
declare function phaseFiles(phase: PhaseListing): PhaseFiles;
/** The summary that marks `plan` done: same stem first, else the same short id. */
declare function summaryFor(plan: PlanFileRef, summaries: readonly PlanFileRef[]): PlanFileRef | undefined;
/** Where a plan's SUMMARY.md is (or will be): same directory, `-PLAN.md` replaced by `-SUMMARY.md`. */
declare function expectedSummaryPath(planFile: string): string;

interface AnalyzedEdge {
    from: string;
    to: string;
    fromFile: string;
    toFile: string;
    /** The prerequisite lives in another phase. */
    external: boolean;
    /** For external prerequisites: whether it is complete (it then no longer blocks). */
    satisfied?: boolean;
    reasons: EdgeReason[];
}

/** The parts of a plan that say how much work it is for an agent (token sizing reads these). */
interface PlanSize {
    /** Tasks the agent does (checkpoint tasks excluded). */
    tasks: number;
    checkpoints: number;
    filesModified: number;
    /** Distinct files the plan reads that it does not also modify. */
    contextRefs: number;
    chars: number;
}
declare function planSize(doc: Pick<PlanDoc, "tasks" | "filesModified" | "reads">, text: string): PlanSize;

/**
 * - `complete`: it has a SUMMARY.md (that does not say otherwise);
 * - `pending`: no SUMMARY.md yet;
 * - `halted`: its SUMMARY.md says `status: halted`: it stopped before its work was done, it is
 *   not complete and its dependents wait for a person;
 * - `superseded`: its SUMMARY.md says `status: superseded`: retired, not work, never blocks.
 */
type PlanStatus = "complete" | "pending" | "halted" | "superseded";
interface AnalyzedPlan {
    id: string;
    file: string;
    stem: string;
    planToken?: string;
    status: PlanStatus;
    summaryFile?: string;
    wave: number;
    declaredWave?: number;
    /** Direct prerequisites after analysis: same-phase ids, then other phases' ids. */
    dependsOn: string[];
    /** `depends_on` exactly as written. */
    declaredDependsOn: string[];
    /** False when the plan says `autonomous: false` or has checkpoint tasks: it needs a person. */
    autonomous: boolean;
    checkpoints: string[];
    durationMinutes: number;
    durationSource: "summary" | "estimate";
    taskCount: number;
    filesModified: string[];
    readable: boolean;
    /** How much work the plan is (token sizing), from the text the analysis already read. */
    size: PlanSize;
}
interface PhaseAnalysis {
    phase: Pick<PhaseListing, "dir" | "name" | "number" | "container" | "active">;
    plans: AnalyzedPlan[];
    edges: AnalyzedEdge[];
    waves: string[][];
    criticalPath: string[];
    criticalPathMinutes: number;
    cycles: string[][];
    diagnostics: Diagnostic[];
}
interface AnalysisInput {
    tree: PlanningTree;
    phase: PhaseListing;
    /** Text of the phase's plan and summary files by project-relative path; missing = unreadable. */
    texts: ReadonlyMap<string, string>;
    projectRootAbs?: string;
    /**
     * Project-relative paths known to exist, for recognising the project root in paths written on
     * another machine (see foreign-paths); optional.
     */
    projectFiles?: ReadonlySet<string>;
}
declare function analyzePhase(input: AnalysisInput): PhaseAnalysis;

/**
 * How parallel agents share the repository. `shared`: one working tree, commits through
 * `gsd-async commit` (exactly the named paths, under the repository lock). `worktree`: one git
 * worktree and branch per plan, merged into the phase's integration branch when the plan completes.
 */
declare const ISOLATIONS: readonly ["shared", "worktree"];
type Isolation = (typeof ISOLATIONS)[number];

/**
 * The scheduler: a pure function from the phase graph and where each plan stands to what
 * starts now. Invariants (checked by property tests):
 * - never more than `maxConcurrent` plans running (running + starting <= cap);
 * - a plan starts only when every prerequisite is done;
 * - a failed prerequisite blocks its dependents (transitively) and nothing else;
 * - plans that need a person are reported, not started, unless checkpoints are included.
 */
type Strategy = "critical-path" | "fifo";
declare const STRATEGIES: readonly Strategy[];
/** Where a plan stands, as the scheduler sees it. */
type SchedState = "completed" | "running" | "failed" | "pending";
interface SchedPlan {
    id: string;
    /** Plan order in the phase: the tie-breaker. */
    order: number;
    /** Prerequisites in this phase. */
    deps: readonly string[];
    /** Prerequisites in other phases that are not complete yet: the plan cannot start. */
    externalPending: readonly string[];
    autonomous: boolean;
    minutes: number;
    state: SchedState;
    /** Not part of this run (a single-plan run): never started, not queued. */
    hold?: boolean;
}
/**
 * Asked before each ready plan starts, with the plans already chosen to start in this step.
 * A refusal is soft by default: "not with the others", so with nothing running or starting the
 * plan still goes alone (a group too big to run at once falls back to sequential, never to a
 * stall). `hard` means "not even alone": starting it would cross a limit that must hold (the
 * token budget's stop threshold), so it is not started at all and the note says why.
 */
type BudgetVerdict = {
    ok: true;
} | {
    ok: false;
    reason: string;
    hard?: boolean;
};
type BudgetCheck = (candidate: string, alreadyStarting: readonly string[]) => BudgetVerdict;
interface ScheduleInput {
    plans: readonly SchedPlan[];
    maxConcurrent: number;
    strategy: Strategy;
    includeCheckpoints: boolean;
    /** Optional token-budget gate; with none, nothing changes. */
    budget?: BudgetCheck;
}
interface Waiting {
    id: string;
    /** Prerequisites not done yet; empty when the plan is ready but the cap is full. */
    waitsFor: string[];
    /** Place in the background queue; null for a plan that will need the foreground anyway. */
    position: number | null;
}
interface Schedule {
    start: string[];
    running: string[];
    waiting: Waiting[];
    blocked: {
        id: string;
        blockedBy: string[];
    }[];
    needsForeground: string[];
    done: string[];
    failed: string[];
    /** Why fewer plans start than the cap allows, when the budget said no. */
    budgetNote?: string;
}
/** Longest remaining path (minutes) from each unfinished plan to the end of the phase. */
declare function remainingPath(plans: readonly SchedPlan[]): Map<string, number>;
declare function schedule(input: ScheduleInput): Schedule;

/** One plan the workflow script runs: what its agent is told, and what must succeed first. */
interface WorkflowPlan {
    id: string;
    /** Shown in Claude Code's progress tree and written to the run's journal beside the agent id. */
    label: string;
    prompt: string;
    /** A plugin agent type (`agentType` of agent()); absent: the workflow's own subagent. */
    agentType?: string;
    /** Prerequisites in this phase that are not complete yet; each is in `plans` too. */
    after: string[];
}
/** Exactly the Workflow tool's `args` for the plugin's script (workflows/run-phase.js). */
interface WorkflowArgs {
    /** The gsd-async run the agents report to; the script returns it so its result can be matched. */
    run: string;
    /** When the helper handed these args out: the script returns it, so its report settles only this launch's claims. */
    launch: string;
    phase: string;
    /** Agents at once, at most. */
    cap: number;
    /** Every plan id of `plans`, highest priority first: the order free slots are given out in. */
    order: string[];
    /** Plans already complete: prerequisites the script treats as succeeded. */
    complete: string[];
    plans: WorkflowPlan[];
}

/**
 * How a run's plans are run. `agents`: the orchestrating conversation starts each plan's
 * background agent as the helper hands it out, and is woken for each one that ends. `workflow`:
 * one Claude Code Workflow runs the whole graph (the plugin's workflows/run-phase.js) and wakes the
 * conversation once, at its end.
 */
declare const ENGINES: readonly ["agents", "workflow"];
type Engine = (typeof ENGINES)[number];
/** The one call the orchestrating model makes for a workflow run: the Workflow tool with this input. */
interface WorkflowItem {
    tool: "Workflow";
    input: {
        name: string;
        args: WorkflowArgs;
    };
}

/** What the engine uses, with defaults filled in. */
interface Settings {
    mode: "yolo" | "interactive";
    maxConcurrent: number;
    /** Plans needing a person are not started in the background unless this is false. */
    skipCheckpoints: boolean;
    parallel: boolean;
    /** `parallelization.isolation`: one shared working tree (default) or one git worktree per plan. */
    isolation: Isolation;
    /** `parallelization.exclusive`: named shell commands the user wrote, run one at a time by `gsd-async exclusive`. */
    exclusive: Record<string, string>;
    /** `parallelization.stall_minutes` / `restart_stalled` / `max_restarts`: see StallPolicy in liveness.ts. */
    stall: StallPolicy;
    /** `parallelization.engine`: background agents one by one (default) or one Claude Code Workflow. */
    engine: Engine;
    /** The file as read, unknown keys included, so writers can preserve them. */
    raw: Record<string, unknown>;
}
/**
 * A stalled agent is alive (or not known dead) but has produced nothing for a while: it is shown,
 * and with `restart` on it is stopped and its plan retried, at most `maxRestarts` times per plan.
 */
interface StallPolicy {
    minutes: number;
    restart: boolean;
    maxRestarts: number;
}
declare function defaultSettings(): Settings;
/** Reads config text; problems become diagnostics and defaults are used for the bad parts. */
declare function parseConfig(text: string, file: string): {
    settings: Settings;
    diagnostics: Diagnostic[];
};

type PhaseSelection = {
    ok: true;
    phase: PhaseListing;
    note?: string;
} | {
    ok: false;
    reason: string;
    candidates: string[];
};
/**
 * Finds the phase a user named: by directory path (always exact), by directory name, or by
 * number in any padding (`2`, `02`, `002`, `2.1`, `36B`). A number found in several places
 * prefers the top-level `phases/` directory, then a single live workstream one, and says so.
 */
declare function selectPhase(tree: PlanningTree, arg: string): PhaseSelection;

/** A project opened for a command: where it is, its phases, its settings. */
interface Project {
    root: string;
    tree: PlanningTree;
    settings: Settings;
    diagnostics: Diagnostic[];
}
type OpenResult = {
    ok: true;
    project: Project;
} | {
    ok: false;
    reason: string;
};
declare function openProject(cwd: string): OpenResult;
/**
 * The phase a command works on: the one named, else STATE.md's current phase, else the first
 * active phase that still has unfinished plans (and the note says which rule chose it).
 */
declare function choosePhase(project: Project, arg: string | undefined): PhaseSelection;
/** Reads the phase's plan and summary files and runs the pure analysis. */
declare function analyzeProjectPhase(project: Project, phase: PhaseListing): PhaseAnalysis;

/**
 * The project root: the nearest directory at or above `start` that has a `.planning/`
 * directory. Returns undefined when there is none up to the filesystem root.
 */
declare function findProjectRoot(start: string): string | undefined;

/**
 * Lists every phase directory under `.planning/` (in `phases/`, `milestones/*-phases/`,
 * `archive/<x>/phases/`, `workstreams/<ws>/phases/`...) with the names of its files. Only
 * names are read here; file contents are read for the phase being analysed.
 *
 * Symbolic links (to a container, a phase directory or a plan) are followed when their target
 * is inside the project. One pointing outside is not followed: a linked container or directory
 * is listed in `outsideLinks` of the tree, a linked file in `outsideLinks` of its phase, and
 * analysis reports both.
 */
declare function loadTree(projectRoot: string): PlanningTree;

/**
 * What a SUMMARY.md says about the finished plan: how long it took and when it was completed.
 *
 * Where the duration is looked for, first readable wins:
 * 1. top-level front matter (`duration: 4min`, `duration_minutes: 12`, ...);
 * 2. the `metrics:` mapping of the front matter, the only nesting GSD summaries use;
 * 3. the body: `**Duration:** 4 min`, `- Duration: 4 min`, `*Duration: 4 min*`,
 *    `| Duration | 4 min |`, or the first line under a `## Duration` heading.
 * Fenced code in the body is skipped: test-runner output prints `Duration  1.2s`.
 */
type DurationSource = "frontmatter" | "metrics" | "body";
interface SummaryInfo {
    durationMinutes?: number;
    durationSource?: DurationSource;
    /** 1-based line of the value the duration was read from. */
    durationLine?: number;
    /** Date or timestamp as written (`2026-02-11`, `2026-02-11T21:45:24Z`). */
    completed?: string;
    /**
     * The plan's outcome when the front matter's `status:` says it ended other than complete:
     * `halted` (stopped before the work was done; it blocks its dependents) or `superseded`
     * (retired: not work, and no longer a prerequisite). Any other status is a completed plan.
     */
    outcome?: SummaryOutcome;
    /** 1-based line of that `status:`. */
    outcomeLine?: number;
    diagnostics: Diagnostic[];
}
type SummaryOutcome = "halted" | "superseded";
declare function parseSummary(text: string, file: string): SummaryInfo;

declare function estimateMinutes(doc: Pick<PlanDoc, "tasks" | "filesModified" | "checkpoints">): number;

/**
 * The documented `--json` shapes. Every command validates its output against these before
 * printing, so a field can only change here (and in the README), never by accident.
 */
declare const JSON_SCHEMA_VERSION = 1;
declare const AnalysisJson: z.ZodMiniObject<{
    schemaVersion: z.ZodMiniLiteral<1>;
    command: z.ZodMiniLiteral<"analyze">;
    projectRoot: z.ZodMiniString<string>;
    phase: z.ZodMiniObject<{
        dir: z.ZodMiniString<string>;
        name: z.ZodMiniString<string>;
        number: z.ZodMiniOptional<z.ZodMiniString<string>>;
        container: z.ZodMiniString<string>;
        active: z.ZodMiniBoolean<boolean>;
    }, z.core.$strip>;
    note: z.ZodMiniOptional<z.ZodMiniString<string>>;
    plans: z.ZodMiniArray<z.ZodMiniObject<{
        id: z.ZodMiniString<string>;
        file: z.ZodMiniString<string>;
        status: z.ZodMiniEnum<{
            complete: "complete";
            pending: "pending";
        }>;
        outcome: z.ZodMiniEnum<{
            halted: "halted";
            superseded: "superseded";
            complete: "complete";
            pending: "pending";
        }>;
        wave: z.ZodMiniInt;
        declaredWave: z.ZodMiniNullable<z.ZodMiniInt>;
        dependsOn: z.ZodMiniArray<z.ZodMiniString<string>>;
        declaredDependsOn: z.ZodMiniArray<z.ZodMiniString<string>>;
        autonomous: z.ZodMiniBoolean<boolean>;
        checkpoints: z.ZodMiniArray<z.ZodMiniString<string>>;
        durationMinutes: z.ZodMiniNumber<number>;
        durationSource: z.ZodMiniEnum<{
            summary: "summary";
            estimate: "estimate";
        }>;
        taskCount: z.ZodMiniInt;
        filesModified: z.ZodMiniArray<z.ZodMiniString<string>>;
        summaryFile: z.ZodMiniNullable<z.ZodMiniString<string>>;
    }, z.core.$strip>>;
    edges: z.ZodMiniArray<z.ZodMiniObject<{
        from: z.ZodMiniString<string>;
        to: z.ZodMiniString<string>;
        fromFile: z.ZodMiniString<string>;
        toFile: z.ZodMiniString<string>;
        external: z.ZodMiniBoolean<boolean>;
        satisfied: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
        reasons: z.ZodMiniArray<z.ZodMiniObject<{
            kind: z.ZodMiniEnum<{
                declared: "declared";
                "plan-ref": "plan-ref";
                "summary-ref": "summary-ref";
                "read-after-write": "read-after-write";
                "write-conflict": "write-conflict";
                "cross-phase": "cross-phase";
                prose: "prose";
            }>;
            file: z.ZodMiniOptional<z.ZodMiniString<string>>;
            line: z.ZodMiniOptional<z.ZodMiniInt>;
            via: z.ZodMiniOptional<z.ZodMiniEnum<{
                "foreign-root": "foreign-root";
                "moved-phase": "moved-phase";
                "foreign-path": "foreign-path";
            }>>;
            text: z.ZodMiniOptional<z.ZodMiniString<string>>;
        }, z.core.$strip>>;
    }, z.core.$strip>>;
    waves: z.ZodMiniArray<z.ZodMiniArray<z.ZodMiniString<string>>>;
    criticalPath: z.ZodMiniArray<z.ZodMiniString<string>>;
    criticalPathMinutes: z.ZodMiniNumber<number>;
    cycles: z.ZodMiniArray<z.ZodMiniArray<z.ZodMiniString<string>>>;
    diagnostics: z.ZodMiniArray<z.ZodMiniObject<{
        severity: z.ZodMiniEnum<{
            error: "error";
            warning: "warning";
            info: "info";
        }>;
        code: z.ZodMiniEnum<{
            "frontmatter-missing": "frontmatter-missing";
            "frontmatter-after-heading": "frontmatter-after-heading";
            "frontmatter-invalid": "frontmatter-invalid";
            "frontmatter-unsafe-engine": "frontmatter-unsafe-engine";
            "field-invalid": "field-invalid";
            "depends-unreadable": "depends-unreadable";
            "files-unreadable": "files-unreadable";
            "file-too-large": "file-too-large";
            "name-unsafe": "name-unsafe";
            "link-outside-project": "link-outside-project";
            "plan-unreadable": "plan-unreadable";
            "plan-duplicate-id": "plan-duplicate-id";
            "plan-name-unrecognised": "plan-name-unrecognised";
            "depends-unresolved": "depends-unresolved";
            "depends-ambiguous": "depends-ambiguous";
            "depends-self": "depends-self";
            "cross-phase-pending": "cross-phase-pending";
            cycle: "cycle";
            "wave-mismatch": "wave-mismatch";
            "write-conflict-undeclared": "write-conflict-undeclared";
            "path-outside-project": "path-outside-project";
            "ref-moved-phase": "ref-moved-phase";
            "ref-moved-ambiguous": "ref-moved-ambiguous";
            "foreign-root": "foreign-root";
            "phase-ambiguous": "phase-ambiguous";
            "phase-no-plans": "phase-no-plans";
            "summary-invalid": "summary-invalid";
            "duration-unreadable": "duration-unreadable";
            "state-unreadable": "state-unreadable";
            "config-invalid": "config-invalid";
            "roadmap-no-phases": "roadmap-no-phases";
            "roadmap-duplicate-phase": "roadmap-duplicate-phase";
            "roadmap-depends-orphan": "roadmap-depends-orphan";
            "roadmap-depends-unparsed": "roadmap-depends-unparsed";
            "roadmap-depends-self": "roadmap-depends-self";
            "roadmap-depends-unknown": "roadmap-depends-unknown";
            "roadmap-prerequisite-incomplete": "roadmap-prerequisite-incomplete";
            "roadmap-status-mismatch": "roadmap-status-mismatch";
            "roadmap-phase-ambiguous": "roadmap-phase-ambiguous";
        }>;
        message: z.ZodMiniString<string>;
        file: z.ZodMiniOptional<z.ZodMiniString<string>>;
        line: z.ZodMiniOptional<z.ZodMiniInt>;
    }, z.core.$strip>>;
    counts: z.ZodMiniObject<{
        plans: z.ZodMiniInt;
        complete: z.ZodMiniInt;
        pending: z.ZodMiniInt;
        halted: z.ZodMiniInt;
        superseded: z.ZodMiniInt;
        edges: z.ZodMiniInt;
        errors: z.ZodMiniInt;
        warnings: z.ZodMiniInt;
    }, z.core.$strip>;
}, z.core.$strip>;
type AnalysisJsonType = z.infer<typeof AnalysisJson>;
declare function analysisToJson(a: PhaseAnalysis, projectRoot: string, note?: string): AnalysisJsonType;

/** A plan as the simulator replays it: from scratch, nothing done, every plan runnable. */
interface SimPlan {
    id: string;
    order: number;
    deps: readonly string[];
    minutes: number;
    /** Wave (1-based longest-path level) used by the wave-barrier policy. */
    wave: number;
}
interface Slot {
    id: string;
    start: number;
    end: number;
    /** Which of the `cap` lanes ran it, for drawing. */
    lane: number;
}
interface SimResult {
    makespan: number;
    slots: Slot[];
}
interface Comparison {
    sequential: number;
    waveBarrier: number;
    scheduler: number;
    lowerBound: number;
    criticalPath: number;
    totalWork: number;
    timelines: {
        waveBarrier: Slot[];
        scheduler: Slot[];
    };
}
/**
 * Replays the real scheduler against a fake clock: at each moment, ask `schedule` what starts,
 * advance to the next finish, mark it done, repeat. The same function drives live runs.
 */
declare function simulateScheduler(plans: readonly SimPlan[], cap: number, strategy?: Strategy): SimResult;
/** GSD's own way: every plan of wave N finishes before any plan of wave N+1 starts; at most `cap` at once. */
declare function simulateWaveBarrier(plans: readonly SimPlan[], cap: number): SimResult;
declare function criticalPathMinutes(plans: readonly SimPlan[]): number;
declare function compareSchedules(plans: readonly SimPlan[], cap: number, strategy?: Strategy): Comparison;

/**
 * The whole phase replayed from scratch: every plan runs, with its duration from SUMMARY.md or
 * the estimate, and only prerequisites inside the phase count (other phases are already done
 * or out of scope for a phase-level comparison). A superseded plan is not work: it is left out,
 * and nothing waits for it. A halted plan is work still to do and is replayed like the others.
 */
declare function simPlansOf(a: PhaseAnalysis): SimPlan[];

declare const RUN_STATUSES: readonly ["queued", "dispatched", "spawned", "completed", "failed", "interrupted", "blocked", "cancelled"];
type RunStatus = (typeof RUN_STATUSES)[number];
declare const TRANSITIONS: readonly ["dispatch", "expire", "spawn", "relaunch", "complete", "fail", "interrupt", "block", "unblock", "cancel", "retry", "limit"];
type Transition = (typeof TRANSITIONS)[number];
type BackgroundStatus = "queued" | "running" | "completed" | "failed" | "interrupted" | "blocked" | "cancelled";
interface StatusFacts {
    /** The seed format's `background_status`. */
    background: BackgroundStatus;
    sched: SchedState;
    /** Nothing more will happen to this attempt by itself: retention may drop it, a run of only these is over. */
    finished: boolean;
    /** An agent may be working on it (or about to): never hand it out again. */
    live: boolean;
}
/** The one table from stored status to everything derived from it. */
declare const STATUS: Record<RunStatus, StatusFacts>;
declare class IllegalTransition extends Error {
    readonly plan: string;
    readonly from: RunStatus;
    readonly transition: Transition;
    constructor(plan: string, from: RunStatus, transition: Transition);
}

/**
 * `.planning/agent-history.json`, version 2.1 (2.0 and the seed's 1.0 are migrated on read). The seed's field names (`agent_id`,
 * `task_description`, `phase`, `plan`, `segment`, `timestamp`, `status`, `completion_timestamp`,
 * `execution_mode`, `output_file`, `background_status`, `queue_position`) are kept so existing
 * GSD tooling still reads the file; the rest is what a real queue needs. Unknown fields are kept.
 */
declare const HISTORY_VERSION = "2.1";
/** A process as it can be recognised again later: pid plus start time, so a reused pid is not mistaken for it. */
declare const ProcessRecord: z.ZodMiniObject<{
    pid: z.ZodMiniInt;
    start: z.ZodMiniNullable<z.ZodMiniString<string>>;
    host: z.ZodMiniString<string>;
}, z.core.$strip>;
declare const EntrySchema: z.ZodMiniObject<{
    agent_id: z.ZodMiniNullable<z.ZodMiniString<string>>;
    task_description: z.ZodMiniString<string>;
    phase: z.ZodMiniString<string>;
    plan: z.ZodMiniString<string>;
    segment: z.ZodMiniNullable<z.ZodMiniNumber<number>>;
    timestamp: z.ZodMiniString<string>;
    status: z.ZodMiniEnum<{
        completed: "completed";
        failed: "failed";
        queued: "queued";
        dispatched: "dispatched";
        spawned: "spawned";
        interrupted: "interrupted";
        blocked: "blocked";
        cancelled: "cancelled";
    }>;
    completion_timestamp: z.ZodMiniNullable<z.ZodMiniString<string>>;
    execution_mode: z.ZodMiniEnum<{
        background: "background";
        foreground: "foreground";
    }>;
    output_file: z.ZodMiniNullable<z.ZodMiniString<string>>;
    background_status: z.ZodMiniEnum<{
        completed: "completed";
        running: "running";
        failed: "failed";
        queued: "queued";
        interrupted: "interrupted";
        blocked: "blocked";
        cancelled: "cancelled";
    }>;
    queue_position: z.ZodMiniNullable<z.ZodMiniInt>;
    plan_file: z.ZodMiniNullable<z.ZodMiniString<string>>;
    phase_dir: z.ZodMiniNullable<z.ZodMiniString<string>>;
    depends_on: z.ZodMiniArray<z.ZodMiniString<string>>;
    run_id: z.ZodMiniString<string>;
    attempt: z.ZodMiniInt;
    session_id: z.ZodMiniNullable<z.ZodMiniString<string>>;
    error: z.ZodMiniNullable<z.ZodMiniString<string>>;
    dispatched_at: z.ZodMiniNullable<z.ZodMiniString<string>>;
    dispatched_session: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
    agent_process: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniObject<{
        pid: z.ZodMiniInt;
        start: z.ZodMiniNullable<z.ZodMiniString<string>>;
        host: z.ZodMiniString<string>;
    }, z.core.$strip>>>;
    blocked_by: z.ZodMiniArray<z.ZodMiniString<string>>;
    summary_at_failure: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
    workflow_launch: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
    limited: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniObject<{
        kind: z.ZodMiniEnum<{
            rate_limit: "rate_limit";
            overloaded: "overloaded";
            usage_limit: "usage_limit";
        }>;
        at: z.ZodMiniString<string>;
        message: z.ZodMiniString<string>;
        retry_at: z.ZodMiniString<string>;
    }, z.core.$strip>>>;
    transitions: z.ZodMiniArray<z.ZodMiniObject<{
        to: z.ZodMiniEnum<{
            completed: "completed";
            failed: "failed";
            queued: "queued";
            dispatched: "dispatched";
            spawned: "spawned";
            interrupted: "interrupted";
            blocked: "blocked";
            cancelled: "cancelled";
        }>;
        at: z.ZodMiniString<string>;
        via: z.ZodMiniString<string>;
    }, z.core.$strip>>;
}, z.core.$loose>;
declare const RunSchema: z.ZodMiniObject<{
    run_id: z.ZodMiniString<string>;
    phase_dir: z.ZodMiniString<string>;
    started_at: z.ZodMiniString<string>;
    max_concurrent: z.ZodMiniInt;
    strategy: z.ZodMiniEnum<{
        "critical-path": "critical-path";
        fifo: "fifo";
    }>;
    include_checkpoints: z.ZodMiniBoolean<boolean>;
    session_id: z.ZodMiniNullable<z.ZodMiniString<string>>;
    scope: z.ZodMiniOptional<z.ZodMiniArray<z.ZodMiniString<string>>>;
    hooks_seen: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
    agent_type: z.ZodMiniOptional<z.ZodMiniString<string>>;
    engine: z.ZodMiniOptional<z.ZodMiniEnum<{
        agents: "agents";
        workflow: "workflow";
    }>>;
    throttle: z.ZodMiniOptional<z.ZodMiniObject<{
        effective: z.ZodMiniInt;
        clean: z.ZodMiniInt;
        limitsInARow: z.ZodMiniInt;
        reason: z.ZodMiniNullable<z.ZodMiniString<string>>;
    }, z.core.$strip>>;
    isolation: z.ZodMiniOptional<z.ZodMiniEnum<{
        shared: "shared";
        worktree: "worktree";
    }>>;
    repo_top: z.ZodMiniOptional<z.ZodMiniString<string>>;
}, z.core.$loose>;
declare const HistorySchema: z.ZodMiniObject<{
    version: z.ZodMiniLiteral<"2.1">;
    max_entries: z.ZodMiniInt;
    entries: z.ZodMiniArray<z.ZodMiniObject<{
        agent_id: z.ZodMiniNullable<z.ZodMiniString<string>>;
        task_description: z.ZodMiniString<string>;
        phase: z.ZodMiniString<string>;
        plan: z.ZodMiniString<string>;
        segment: z.ZodMiniNullable<z.ZodMiniNumber<number>>;
        timestamp: z.ZodMiniString<string>;
        status: z.ZodMiniEnum<{
            completed: "completed";
            failed: "failed";
            queued: "queued";
            dispatched: "dispatched";
            spawned: "spawned";
            interrupted: "interrupted";
            blocked: "blocked";
            cancelled: "cancelled";
        }>;
        completion_timestamp: z.ZodMiniNullable<z.ZodMiniString<string>>;
        execution_mode: z.ZodMiniEnum<{
            background: "background";
            foreground: "foreground";
        }>;
        output_file: z.ZodMiniNullable<z.ZodMiniString<string>>;
        background_status: z.ZodMiniEnum<{
            completed: "completed";
            running: "running";
            failed: "failed";
            queued: "queued";
            interrupted: "interrupted";
            blocked: "blocked";
            cancelled: "cancelled";
        }>;
        queue_position: z.ZodMiniNullable<z.ZodMiniInt>;
        plan_file: z.ZodMiniNullable<z.ZodMiniString<string>>;
        phase_dir: z.ZodMiniNullable<z.ZodMiniString<string>>;
        depends_on: z.ZodMiniArray<z.ZodMiniString<string>>;
        run_id: z.ZodMiniString<string>;
        attempt: z.ZodMiniInt;
        session_id: z.ZodMiniNullable<z.ZodMiniString<string>>;
        error: z.ZodMiniNullable<z.ZodMiniString<string>>;
        dispatched_at: z.ZodMiniNullable<z.ZodMiniString<string>>;
        dispatched_session: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
        agent_process: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniObject<{
            pid: z.ZodMiniInt;
            start: z.ZodMiniNullable<z.ZodMiniString<string>>;
            host: z.ZodMiniString<string>;
        }, z.core.$strip>>>;
        blocked_by: z.ZodMiniArray<z.ZodMiniString<string>>;
        summary_at_failure: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
        workflow_launch: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
        limited: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniObject<{
            kind: z.ZodMiniEnum<{
                rate_limit: "rate_limit";
                overloaded: "overloaded";
                usage_limit: "usage_limit";
            }>;
            at: z.ZodMiniString<string>;
            message: z.ZodMiniString<string>;
            retry_at: z.ZodMiniString<string>;
        }, z.core.$strip>>>;
        transitions: z.ZodMiniArray<z.ZodMiniObject<{
            to: z.ZodMiniEnum<{
                completed: "completed";
                failed: "failed";
                queued: "queued";
                dispatched: "dispatched";
                spawned: "spawned";
                interrupted: "interrupted";
                blocked: "blocked";
                cancelled: "cancelled";
            }>;
            at: z.ZodMiniString<string>;
            via: z.ZodMiniString<string>;
        }, z.core.$strip>>;
    }, z.core.$loose>>;
    runs: z.ZodMiniArray<z.ZodMiniObject<{
        run_id: z.ZodMiniString<string>;
        phase_dir: z.ZodMiniString<string>;
        started_at: z.ZodMiniString<string>;
        max_concurrent: z.ZodMiniInt;
        strategy: z.ZodMiniEnum<{
            "critical-path": "critical-path";
            fifo: "fifo";
        }>;
        include_checkpoints: z.ZodMiniBoolean<boolean>;
        session_id: z.ZodMiniNullable<z.ZodMiniString<string>>;
        scope: z.ZodMiniOptional<z.ZodMiniArray<z.ZodMiniString<string>>>;
        hooks_seen: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
        agent_type: z.ZodMiniOptional<z.ZodMiniString<string>>;
        engine: z.ZodMiniOptional<z.ZodMiniEnum<{
            agents: "agents";
            workflow: "workflow";
        }>>;
        throttle: z.ZodMiniOptional<z.ZodMiniObject<{
            effective: z.ZodMiniInt;
            clean: z.ZodMiniInt;
            limitsInARow: z.ZodMiniInt;
            reason: z.ZodMiniNullable<z.ZodMiniString<string>>;
        }, z.core.$strip>>;
        isolation: z.ZodMiniOptional<z.ZodMiniEnum<{
            shared: "shared";
            worktree: "worktree";
        }>>;
        repo_top: z.ZodMiniOptional<z.ZodMiniString<string>>;
    }, z.core.$loose>>;
}, z.core.$loose>;
type HistoryEntry = z.infer<typeof EntrySchema>;
type RunRecord = z.infer<typeof RunSchema>;
type History = z.infer<typeof HistorySchema>;
type ProcessInfo = z.infer<typeof ProcessRecord>;
declare function emptyHistory(maxEntries?: number): History;

/**
 * Why a JSON state file (agent-history.json, token-budget.json) cannot be used as it is: where
 * in the file, and what is wrong. Such a file is never rewritten; the problems are reported.
 */
interface FileProblem {
    /** `entries.1.status`, `version`, `(root)` for the whole document, `(file)` for its syntax. */
    path: string;
    message: string;
}

/** Why a history file cannot be used as it is. The file is never rewritten when this happens. */
type HistoryProblem = FileProblem;
type ReadHistory = {
    ok: true;
    history: History;
    migratedFrom?: string;
} | {
    ok: false;
    problems: HistoryProblem[];
};
/** Parses and validates history text, migrating versions 1.0 and 2.0. Pure: never touches the file. */
declare function readHistoryText(text: string): ReadHistory;

/**
 * Applies a named transition; anything the table does not allow is an IllegalTransition.
 * Fields that only mean something in one status are cleared on the way out of it, so no stale
 * lease, agent or block reason can outlive the status it belonged to.
 */
declare function transition(entry: HistoryEntry, t: Transition, at: string, patch?: Partial<HistoryEntry>): HistoryEntry;
interface NewEntryInput {
    run: RunRecord;
    planId: string;
    planFile: string;
    phase: string;
    phaseDir: string;
    description: string;
    dependsOn: string[];
    at: string;
    foreground: boolean;
}
declare function newEntry(i: NewEntryInput): HistoryEntry;
/** Entries of one run, the latest attempt of each plan. */
declare function runEntries(h: History, runId: string): HistoryEntry[];
/** The latest run of a phase that still has work that is not finished, if any. */
declare function activeRun(h: History, phaseDir: string): RunRecord | undefined;
/**
 * Keeps the file near `max_entries` by dropping whole finished runs, oldest first. Never dropped:
 * any entry of an active run, the newest run of each phase, and the latest attempt of a plan that
 * is not completed (a failed plan stays failed, with its reason, until it is retried). So the file can exceed the limit while
 * a large run is active; it shrinks again when runs finish and newer ones replace them.
 */
declare function retain(h: History): History;
/** Replaces the entry with the same run, plan and attempt (the attempt of `was` when a limit moved it on). */
declare function replaceEntry(h: History, updated: HistoryEntry, was?: HistoryEntry): History;

declare const OWNER_KINDS: readonly ["plan", "phase", "other"];
type OwnerKind = (typeof OWNER_KINDS)[number];
declare const UsageRecordSchema: z.ZodMiniObject<{
    kind: z.ZodMiniEnum<{
        plan: "plan";
        phase: "phase";
        other: "other";
    }>;
    plan_file: z.ZodMiniOptional<z.ZodMiniString<string>>;
    run_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    owner: z.ZodMiniString<string>;
    tokens: z.ZodMiniInt;
    estimate: z.ZodMiniNullable<z.ZodMiniInt>;
    basis: z.ZodMiniOptional<z.ZodMiniInt>;
    source: z.ZodMiniEnum<{
        reported: "reported";
        reservation: "reservation";
    }>;
    recorded_at: z.ZodMiniString<string>;
}, z.core.$loose>;
declare const ThresholdsSchema: z.ZodMiniObject<{
    warn: z.ZodMiniNumber<number>;
    critical: z.ZodMiniNumber<number>;
    stop: z.ZodMiniNumber<number>;
}, z.core.$strip>;
declare const BudgetSchema: z.ZodMiniObject<{
    version: z.ZodMiniLiteral<"1.0">;
    model: z.ZodMiniString<string>;
    context_limit: z.ZodMiniInt;
    thresholds: z.ZodMiniObject<{
        warn: z.ZodMiniNumber<number>;
        critical: z.ZodMiniNumber<number>;
        stop: z.ZodMiniNumber<number>;
    }, z.core.$strip>;
    reservations: z.ZodMiniRecord<z.ZodMiniString<string>, z.ZodMiniObject<{
        kind: z.ZodMiniEnum<{
            plan: "plan";
            phase: "phase";
            other: "other";
        }>;
        plan_file: z.ZodMiniOptional<z.ZodMiniString<string>>;
        run_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        tokens: z.ZodMiniInt;
        basis: z.ZodMiniOptional<z.ZodMiniInt>;
        reserved_at: z.ZodMiniString<string>;
    }, z.core.$loose>>;
    usage: z.ZodMiniArray<z.ZodMiniObject<{
        kind: z.ZodMiniEnum<{
            plan: "plan";
            phase: "phase";
            other: "other";
        }>;
        plan_file: z.ZodMiniOptional<z.ZodMiniString<string>>;
        run_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        owner: z.ZodMiniString<string>;
        tokens: z.ZodMiniInt;
        estimate: z.ZodMiniNullable<z.ZodMiniInt>;
        basis: z.ZodMiniOptional<z.ZodMiniInt>;
        source: z.ZodMiniEnum<{
            reported: "reported";
            reservation: "reservation";
        }>;
        recorded_at: z.ZodMiniString<string>;
    }, z.core.$loose>>;
    created_at: z.ZodMiniString<string>;
    updated_at: z.ZodMiniString<string>;
}, z.core.$loose>;
type UsageRecord = z.infer<typeof UsageRecordSchema>;
type Thresholds = z.infer<typeof ThresholdsSchema>;
type Ledger = z.infer<typeof BudgetSchema>;

/**
 * How far content estimates were off, from recorded use. Samples are usage records with a
 * reported count whose reservation came from a content estimate (`basis`): the factor is
 * sum(actual) / sum(basis), so big plans weigh more than small ones, as they do in the budget.
 * It is clamped to [1/4, 4]: one runaway or aborted plan must not make every estimate absurd.
 * With no samples the factor is 1.
 */
interface Calibration {
    factor: number;
    samples: number;
    actual: number;
    estimated: number;
}
declare function calibration(usage: readonly UsageRecord[]): Calibration;
interface TokenEstimate {
    /** What the scheduler reserves: the basis scaled by the calibration factor. */
    tokens: number;
    basis: number;
}
declare function estimateTokens(size: PlanSize, cal?: Pick<Calibration, "factor">): TokenEstimate;

/**
 * Whether an agent ended on a limit, from what Claude Code's StopFailure hook says: its `error`
 * (the matcher value) and the API error text. Measured on 2.1.197 and 2.1.332 (tests/e2e/README.md):
 * a 429 arrives as `rate_limit`, a 529 as `server_error` with "529" in the text; `overloaded` is in
 * the hook's list of values too. A usage limit of a subscription says so in its text ("usage limit",
 * "hit your limit"). Anything else (authentication, a bad request) is not a limit: it stays a failure.
 */
declare const LIMIT_KINDS: readonly ["rate_limit", "overloaded", "usage_limit"];
type LimitKind = (typeof LIMIT_KINDS)[number];

/** What merging a completed plan's branch into the integration branch did. */
type MergeOutcome = {
    kind: "merged";
    sha: string;
    branch: string;
}
/** The plan made no commit: there is nothing to merge; its worktree is removed all the same. */
 | {
    kind: "nothing-to-merge";
    branch: string;
}
/** The merge was aborted (the integration branch is unchanged); branch and worktree are kept for a person. */
 | {
    kind: "merge-conflict";
    files: string[];
    branch: string;
    worktree: string;
}
/** The plan's worktree still has changes nobody committed: nothing is merged or removed. */
 | {
    kind: "uncommitted";
    files: string[];
    branch: string;
    worktree: string;
};

/**
 * What the workflow script returned (workflows/run-phase.js), as Claude Code saved it when the
 * workflow ended. The agents record their own outcomes with the helper; this report settles the
 * plans whose agent never did (it died on an API error, or ended without running its line), and
 * hands back the plans the script skipped. It is matched to the claims it answers by run and launch.
 */
type ReportedOutcome = "completed" | "failed" | "no-result" | "skipped";
interface WorkflowReport {
    run: string;
    /** The `launch` of the args it ran: claims of another launch are not its business. */
    launch: string;
    results: Map<string, {
        outcome: ReportedOutcome;
        reason: string | null;
    }>;
}
/** A workflow agent that has started, and the attempt of the plan its prompt names. */
interface WorkflowAgent {
    agentId: string;
    runId: string;
    planFile: string;
    attempt: number;
}

/** How a hand-out starts its agent: the plugin's agent type, or general-purpose with the instructions file (or, without one, in the prompt). */
type AgentKind = {
    kind: "plugin-agent";
    subagentType: string;
} | {
    kind: "general-purpose";
    instructionsFile: string | null;
};
/**
 * How agents are to be started, as the shell found it. Invariant: `preferred` is what a new run
 * records; `requested` (an explicit `--agent-type`) wins over what a run recorded, which is how a
 * run falls back to general-purpose when the Agent tool does not know the plugin's type.
 */
interface AgentChoice {
    preferred: string;
    requested?: string;
    /** The executor instructions a general-purpose agent is told to read, when that file is there. */
    instructionsFile: string | null;
}

/** Everything the queue keeps: the history and, when the project has one, the token ledger. */
interface QueueState {
    history: History;
    ledger: Ledger | null;
}
/** What was seen of one spawned agent outside the lock, before the step (see liveness.ts). */
interface AgentEvidence {
    /** The Claude Code process the agent lives in: running, gone, or not known (another host, not recorded). */
    process: "alive" | "dead" | "unknown";
    /** Minutes since the agent's output or transcript file last changed; undefined when there is none. */
    outputIdleMinutes?: number;
}
/** Facts the shell gathered before the step: the step itself reads no file, clock or process. */
interface QueueFacts {
    now: string;
    /** The Claude Code session making this call (CLAUDE_CODE_SESSION_ID), when known. */
    sessionId: string | null;
    /** The Claude Code process making this call, when it is one. */
    process: ProcessInfo | null;
    /** The phase, analysed outside the lock (start, status, cancel). */
    analysis?: PhaseAnalysis;
    /** Evidence about spawned agents, by agent id (or `run/plan#attempt` for an entry without one). */
    evidence: ReadonlyMap<string, AgentEvidence>;
    /** Token estimates of unfinished plans, by plan id (only needed with a ledger). */
    estimates: ReadonlyMap<string, TokenEstimate>;
    projectRoot: string;
    /** argv that runs this helper, for the commands written into agent prompts. */
    helper: readonly string[];
    /** Which agent type hand-outs use: the plugin's executor where the helper runs from the plugin, a requested fallback. */
    agent: AgentChoice;
    settings: {
        maxConcurrent: number;
        includeCheckpoints: boolean;
        engine?: Engine;
    };
    /** What ended workflows of this session returned (workflows/run-phase.js), read from Claude Code's saved runs. */
    workflowReports?: readonly WorkflowReport[];
    /** Workflow agents that have started, from the workflows' journals: their plans are running. */
    workflowAgents?: readonly WorkflowAgent[];
    /** A hand-out that no agent claimed is offered again after this long when no hook is known to guard it. */
    leaseMinutes: number;
    /** A spawned agent with no process evidence and no news for this long is interrupted. */
    staleMinutes: number;
    /** A spawned agent whose SUMMARY.md exists but whose output has not moved for this long is complete. */
    settleMinutes: number;
    /** When a live agent counts as stalled and whether it is restarted; the defaults when absent. */
    stall?: StallPolicy;
    /** Names of `parallelization.exclusive`: the shared commands the agent prompts list. */
    exclusive?: readonly string[];
}

interface StartOptions {
    /** Only the flags the user gave: an active run keeps its settings for the rest. */
    maxConcurrent?: number;
    strategy?: Strategy;
    includeCheckpoints?: boolean;
    engine?: Engine;
    /** Plan files of a single-plan run; absent for the whole phase. */
    scope?: string[];
    newRunId: string;
    /** How a new run's agents share the repository (an active run keeps its own). */
    isolation?: Isolation;
    /** Worktree mode: the repository's top directory (found by the shell). */
    repoTop?: string;
}
/** Something that happened, or was asked for. Every change to the queue is one of these. */
type QueueEvent = {
    kind: "start";
    options: StartOptions;
} | {
    kind: "status";
} | {
    kind: "spawned";
    plan: string;
    runId?: string;
    agentId: string;
    outputFile?: string;
}
/** `merge`: in worktree mode, what merging the plan's branch did (the shell merged it before the step). */
 | {
    kind: "complete";
    plan: string;
    runId?: string;
    merge?: MergeOutcome;
}
/** `summaryExists`: the shell found the plan's SUMMARY.md in the project as the failure was reported. */
 | {
    kind: "fail";
    plan: string;
    runId?: string;
    reason: string;
    summaryExists?: boolean;
} | {
    kind: "cancel";
    plan?: string;
} | {
    kind: "hook-pre-agent";
    runId: string;
    planFile: string;
    attempt?: number;
} | {
    kind: "hook-spawned";
    runId: string;
    planFile: string;
    agentId: string;
    outputFile: string | null;
} | {
    kind: "hook-limited";
    agentId: string;
    limit: LimitKind;
    message: string;
}
/** `awaitClaim`: an agent unknown yet may be a claim whose id PostToolUse has not recorded (a StopFailure's race). */
 | {
    kind: "hook-stopped";
    agentId: string;
    lastMessage: string | null;
    summaryPresent: boolean;
    marker?: {
        runId: string;
        planFile: string;
    };
    awaitClaim?: true;
};

/** Exactly the input of Claude Code's Agent tool (alias Task) for one background agent. */
interface AgentInput {
    description: string;
    prompt: string;
    subagent_type: string;
    run_in_background: true;
}
interface SpawnInstruction {
    plan: string;
    planFile: string;
    runId: string;
    attempt: number;
    /** The same for every offer of this hand-out: a second offer is the same agent, not another one. */
    key: string;
    agentInput: AgentInput;
    /** Worktree mode: the plan's worktree (repository-relative) and branch, which the shell makes before the agent starts. */
    worktree?: PlanWorktree;
}
interface PlanWorktree {
    /** The worktree's directory, relative to the repository's top. */
    dir: string;
    branch: string;
    /** The agent's project: the project's directory inside the worktree (absolute). */
    project: string;
}
interface SpawnInput {
    planId: string;
    planFile: string;
    summaryFile: string;
    runId: string;
    attempt: number;
    projectRoot: string;
    /** argv that runs this helper, e.g. ["node", "/abs/dist/cli.js"]. */
    helper: readonly string[];
    /** The plan has checkpoint tasks and the user opted in to running it in the background anyway. */
    hasCheckpoints: boolean;
    agent: AgentKind;
    /** Name the project in the finish lines too (`--cwd`): for an agent whose working directory is not the project (CI). */
    cwdInLines?: boolean;
    /** Worktree mode: the agent works in its plan's worktree, not in the project. */
    worktree?: PlanWorktree;
    /** The worktree is made when the agent asks with the prompt's `worktree:` line (the workflow engine), not before it starts. */
    worktreeOnRequest?: boolean;
    /** Shared mode in a git repository: the agent commits through the helper's `commit` line (worktree mode always does). */
    sharedRepo?: boolean;
    /** Names of the shared commands (`parallelization.exclusive`): one line each, run through the helper's lock. */
    exclusive?: readonly string[];
}
interface Markers {
    runId?: string;
    planFile?: string;
    attempt?: number;
}
/** Reads the marker lines; leading whitespace is allowed (Workflow agents get their prompt indented). */
declare function parseMarkers(prompt: string): Markers;
/**
 * The instruction the orchestrating conversation carries out. Plan text is never pasted into the
 * prompt or a command line: the agent reads the plan file itself, and every path in the commands
 * it is told to run is single-quoted. The prompt holds only what differs per plan; the fixed
 * instructions live in the plugin (agent definition or instructions file).
 */
declare function buildSpawn(i: SpawnInput): SpawnInstruction;

/** What `status` shows for one plan, derived from its stored status, its SUMMARY.md and the schedule. */
declare const PLAN_STATES: readonly ["completed", "running", "stalled", "starting", "queued", "waiting", "blocked", "failed", "interrupted", "cancelled", "needs-person", "not-started", "halted", "superseded", "limited"];
type PlanState = (typeof PLAN_STATES)[number];
interface PlanStatusView {
    id: string;
    file: string;
    state: PlanState;
    agentId: string | null;
    outputFile: string | null;
    attempt: number | null;
    waitsFor: string[];
    blockedBy: string[];
    queuePosition: number | null;
    /** Has checkpoints and checkpoints are not run in the background: it will need the foreground. */
    needsPerson: boolean;
    /** When its spawn instruction was handed out, while no agent has been recorded for it. */
    handedOutAt: string | null;
    startedAt: string | null;
    finishedAt: string | null;
    /** Minutes from spawn to finish (or to now while running). */
    minutes: number | null;
    error: string | null;
    /** What limited its last attempt, while it waits to be tried again. */
    limit: {
        kind: LimitKind;
        message: string;
        at: string;
        retryAt: string;
    } | null;
    /** Minutes its agent has shown nothing, while it is stalled. */
    stalledMinutes: number | null;
    /** Worktree mode: the kept worktree of a plan whose merge failed (a conflict, or uncommitted changes), for a person. */
    worktree?: string;
}
/** An agent the orchestrator should end (it stalled; its plan was already retried as a new attempt). */
interface StopInstruction {
    plan: string;
    agentId: string;
    tool: "TaskStop";
    input: {
        task_id: string;
    };
}
/**
 * - `done`: every plan is complete.
 * - `in-progress`: something runs, starts, or waits for something that runs.
 * - `stopped`: nothing can move without the user (failures, blocked plans, checkpoints, the budget).
 * - `idle`: no run has been started for this phase.
 */
type Outcome = "done" | "in-progress" | "stopped" | "idle";
interface QueueChange {
    plan: string;
    transition: string;
    reason: string;
}
interface StatusView {
    phase: PhaseAnalysis["phase"];
    run: RunRecord | null;
    progress: {
        done: number;
        total: number;
        percent: number;
    };
    plans: PlanStatusView[];
    spawn: SpawnInstruction[];
    needsForeground: string[];
    changes: QueueChange[];
    /** Stalled agents to end with TaskStop. */
    stop: StopInstruction[];
    outcome: Outcome;
    budgetNote?: string;
    /** The run's cap: configured, in force after limits, and why they differ. */
    concurrency: {
        cap: number;
        effective: number;
        reason: string | null;
    } | null;
    /** Every remaining plan waits on a limit: when to look again (the earliest retry time). */
    resume?: {
        at: string;
        inSeconds: number;
        reason: string;
    };
    /** What the run's agents are started as, and where their fixed instructions come from. */
    agents: AgentsView | null;
    /** Engine `workflow`, on `start`: the one Workflow call that runs every plan left. */
    workflow?: WorkflowItem;
}
/**
 * `agent-definition`: a plugin agent type whose definition holds the instructions; `file`: a
 * general-purpose agent told to read the plugin's agent file; `prompt`: everything in the prompt.
 */
interface AgentsView {
    subagentType: string;
    instructions: "agent-definition" | "file" | "prompt";
    file: string | null;
}
interface ViewInput {
    analysis: PhaseAnalysis;
    run: RunRecord | undefined;
    /** The run's latest attempt of each plan. */
    entries: readonly HistoryEntry[];
    schedule: Schedule;
    spawn: SpawnInstruction[];
    changes: QueueChange[];
    now: string;
    /** Minutes of silence of stalled agents, by plan id. */
    stalled?: ReadonlyMap<string, number>;
    stop?: StopInstruction[];
    /** The agent kind hand-outs use; absent where nothing is handed out. */
    agent?: AgentKind;
}
declare function statusView(i: ViewInput): StatusView;

/** What one event did. The shell writes `state` (when it changed) and renders the rest. */
type StepOutcome = {
    kind: "advanced";
    view: StatusView;
} | {
    kind: "refused";
    reasons: string[];
    diagnostics: Diagnostic[];
} | {
    kind: "recorded";
    entry: HistoryEntry;
    note?: string;
} | {
    kind: "unchanged";
    entry: HistoryEntry;
    note: string;
}
/** The event names something the queue does not have (a plan, an agent, a run). */
 | {
    kind: "unknown";
    message: string;
    awaiting?: true;
}
/** The event asks for a change the state machine does not allow. */
 | {
    kind: "illegal";
    message: string;
    entry?: HistoryEntry;
} | {
    kind: "cancelled";
    runId: string;
    cancelled: string[];
    stillRunning: {
        plan: string;
        agentId: string | null;
    }[];
} | {
    kind: "no-run";
    message: string;
};
interface StepResult {
    state: QueueState;
    outcome: StepOutcome;
}
/**
 * The queue's one step: `(state, facts, event) -> (state, outcome)`. Every status change,
 * hand-out, scope check, cap change and budget outcome is decided here, on the state read under
 * the lock; the shell only gathers facts before and writes after. Pure.
 */
declare function queueStep(state: QueueState, facts: QueueFacts, ev: QueueEvent): StepResult;

interface LockOptions {
    /** Told once when the wait grows long, so a person sees why a command pauses. */
    onWait?: (message: string) => void;
    /** Longest wait for the lock before giving up with a LockError. */
    maxWaitMs?: number;
}

interface QueueTxOptions extends LockOptions {
    /** false: read both files without locks and write nothing (`status --peek`, `start --dry-run`). */
    write?: boolean;
}
/**
 * The queue's one transaction: take the ledger lock, then the history lock (always in this
 * order: no code path takes them the other way round, so two commands cannot deadlock), read
 * both, run `fn`, write what changed (ledger first: a reservation without its hand-out is
 * harmless, a hand-out without its reservation could overspend), release. If a lock was taken
 * over while held (the holder stalled past the stale time), nothing is written and the whole
 * transaction runs again on fresh state: `fn` must be pure.
 */
declare function withQueueState<T>(root: string, fn: (s: QueueState) => {
    state: QueueState;
    result: T;
}, o?: QueueTxOptions): Promise<T>;

/**
 * Why a state file (agent-history.json, token-budget.json) could not be used. Each is a value
 * the CLI maps to its own exit code; in every case the file was left exactly as it was.
 */
/** A problem found in one place of a file's content. */
interface StateProblem {
    path: string;
    message: string;
}
/** The file's content is not a valid state file (corrupt, hand-edited, a newer version, a symlink). */
declare class StateFileError extends Error {
    readonly file: string;
    readonly label: string;
    readonly problems: StateProblem[];
    constructor(file: string, label: string, problems: StateProblem[]);
}
/** The file system refused: permissions, a full disk, a read-only mount, a directory that vanished. */
declare class StateIoError extends Error {
    readonly file: string;
    readonly code: string;
    constructor(file: string, code: string, detail: string);
}
/** A lock could not be taken: held for longer than the wait allows, or the lock path is not a lock. */
declare class LockError extends Error {
    readonly lockPath: string;
    constructor(lockPath: string, message: string);
}

declare const HISTORY_FILE: string;
declare function historyPath(root: string): string;
/** Reads and validates the history; a missing file is an empty history. Never writes. */
declare function readHistory(root: string): {
    history: History;
    exists: boolean;
    text: string | null;
};
/**
 * A read-modify-write of the history alone, under its lock. Queue commands use withQueueState
 * (both files, in lock order); this is for changes that never touch the token ledger.
 */
declare function updateHistory<T>(root: string, fn: (h: History) => {
    history: History;
    result: T;
}, o?: LockOptions): Promise<T>;

/**
 * Ledger maths. Pure: every operation takes the ledger and the time and returns a new ledger.
 *
 * Rules:
 * - The ceiling is `floor(stop * limit)`; `available = ceiling - used - reserved`.
 * - A reservation is granted only when it fits under the ceiling, so reservations alone never
 *   cross the stop threshold. Reserving again for the same owner replaces its reservation
 *   (the old one does not count against the new one).
 * - Recorded use is what happened: it is always recorded, even past the ceiling (the level then
 *   says `stop` and nothing more can be reserved). It replaces the owner's reservation, or the
 *   stand-in use recorded when the owner's plan finished without a count.
 * - The level compares the committed share `(used + reserved) / limit` with the thresholds:
 *   below warn `ok`, from warn `warn`, from critical `critical`, from stop `stop`.
 */
type BudgetLevel = "ok" | "warn" | "critical" | "stop";
interface OwnerMeta {
    kind?: OwnerKind;
    plan_file?: string;
    run_id?: string;
    /** The uncalibrated content estimate, when the scheduler reserves for a plan. */
    basis?: number;
}
/** Tokens that can still be reserved (for `owner`: not counting what it already holds). */
declare const availableTokens: (l: Ledger, owner?: string) => number;
type ReserveResult = {
    ok: true;
    ledger: Ledger;
    tokens: number;
    replaced: number | null;
} | {
    ok: false;
    reason: string;
    available: number;
};
declare function reserveTokens(l: Ledger, tokens: number, owner: string, meta: OwnerMeta, now: string): ReserveResult;
interface RecordResult {
    ledger: Ledger;
    /** The reservation (or the stand-in use of a finished plan) the record replaced, if any. */
    replaced: number | null;
    /** Set when recorded use takes the budget past the stop threshold. */
    warning?: string;
}
declare function recordUse(l: Ledger, tokens: number, owner: string, meta: OwnerMeta, now: string, source?: UsageRecord["source"]): RecordResult;

/** One owner's line in the report: what it holds now and what it has used so far. */
interface OwnerLine {
    owner: string;
    kind: OwnerKind;
    reserved: number;
    used: number;
    /** How many usage records the owner has (a retried plan records more than once). */
    records: number;
    planFile: string | null;
    runId: string | null;
}
interface BudgetReport {
    model: string;
    contextLimit: number;
    thresholds: Thresholds;
    /** floor(stop * limit): reservations never go past it. */
    ceiling: number;
    used: number;
    reserved: number;
    committed: number;
    /** What can still be reserved; 0 when recorded use went past the ceiling. */
    available: number;
    /** Shares of the context limit, in percent with one decimal. */
    percent: {
        used: number;
        reserved: number;
        committed: number;
    };
    level: BudgetLevel;
    /** What the level means for the queue, in one sentence. */
    message: string;
    owners: OwnerLine[];
    updatedAt: string;
}
declare function budgetReport(l: Ledger): BudgetReport;

declare const BUDGET_FILE: string;
declare function budgetPath(root: string): string;
/** Reads and validates the ledger; null when there is none. Never writes. */
declare function readBudget(root: string): Ledger | null;
/**
 * The locked read-modify-write of the ledger alone. `fn` sees the ledger (null when there is
 * none) and returns the ledger to write, or none to leave the file as it is. A corrupt file
 * throws StateFileError before `fn` runs, so it is never overwritten. Two processes reserving at
 * once are serialised here: the second one reads what the first one wrote.
 */
declare function updateBudget<T>(root: string, fn: (ledger: Ledger | null) => {
    ledger?: Ledger;
    result: T;
}, o?: LockOptions): Promise<T>;

/**
 * Exit codes, in one place. Commands return an outcome kind; only `main` turns it into a number.
 * - 0 ok: the command did its job (for `check`: no problems).
 * - 1 problems: the plans have problems (`check`), or the requested work failed.
 * - 2 usage: unknown flag or command, bad argument value, a phase that does not exist.
 * - 3 no project: no `.planning/` directory at or above the working directory.
 * - 4 state: `.planning/agent-history.json` or `token-budget.json` is corrupt or invalid, or (install,
 *   uninstall) `settings.json` or `install-manifest.json` is; the file is left untouched.
 * - 5 in progress: `status` found work still running or queued (0 means the phase is done).
 * - 6 environment: a file could not be read or written (permissions, full disk, a directory that vanished); nothing was changed.
 * - 7 locked: a state file's lock could not be taken (held past the wait limit, or the lock path is not a lock).
 * - 8 refused: `commit` refused its paths (outside the project, inside .git, not changed, ignored); nothing was committed.
 * - 70 internal: a bug in gsd-async (an invariant broke); the message asks for a report.
 */
declare const EXIT: {
    readonly ok: 0;
    readonly problems: 1;
    readonly usage: 2;
    readonly noProject: 3;
    readonly state: 4;
    readonly inProgress: 5;
    readonly environment: 6;
    readonly locked: 7;
    readonly refused: 8;
    readonly internal: 70;
};
type OutcomeKind = keyof typeof EXIT;
/** A failure the user can act on, carried to `main` as a value. */
interface Failure {
    kind: Exclude<OutcomeKind, "ok" | "problems" | "inProgress" | "refused">;
    message: string;
    hint?: string;
}

/** What a command may touch of the outside world; tests pass their own. */
interface Io {
    cwd: string;
    env: NodeJS.ProcessEnv;
    isTTY: boolean;
    out(text: string): void;
    err(text: string): void;
    /** The clock; tests pass a fake one. */
    now(): Date;
    /** argv that runs this helper again, for the commands written into spawn instructions. */
    helper: readonly string[];
    /** The node binary running this process (the PreToolUse hook allows only calls run by it). */
    nodePath?: string;
    /** Standard input as text (hooks read their JSON payload from it). */
    readStdin(): Promise<string>;
    /** The parent process id (to find the Claude Code process a call comes from). */
    ppid?: number;
    /** Resolves at the first change under `dirs` or after `maxMs` (`status --wait`); tests pass a fake. */
    waitForChange?: (dirs: readonly string[], maxMs: number) => Promise<void>;
}
interface CommonOptions {
    cwd?: string;
    json?: boolean;
    color?: boolean;
}

type CommandResult = OutcomeKind | Failure;

/**
 * `gsd-async budget init|reserve|record|release|report|estimate` (alias `token ...`, the names
 * GSD users know). Exit codes: 0 done (reserve: granted), 1 refused (reserve: does not fit;
 * release: nothing reserved; init: a ledger exists), 2 usage (also: no ledger yet),
 * 3 no project, 4 the ledger is unusable (it is left untouched).
 */
interface OwnerFlags extends CommonOptions {
    for: string;
    planFile?: string;
    run?: string;
}
declare function reserveCommand(io: Io, tokens: number, flags: OwnerFlags): Promise<CommandResult>;

/**
 * The progress table at the end of a GSD roadmap:
 *
 *   | Phase | Milestone | Plans Complete | Status | Completed |
 *   | 2. Core | v1.0 | 3/3 | Complete | 2026-01-02 |
 *
 * A table counts as a progress table when its FIRST header cell is `Phase` and another is
 * `Status`: requirement tables (`| Requirement | Phase | Status |`) have a phase column too,
 * but not first, and list one phase many times. The phase cell is `2. Name`, `2`,
 * `Phase 2: Name` or `v1.2 Phase 2: Name`.
 */
type ProgressState = "complete" | "in-progress" | "not-started" | "other";
interface ProgressRow {
    id: string;
    name: string;
    /** The status cell as written, without emphasis. */
    status: string;
    state: ProgressState;
    line: number;
}

type RoadmapStatus = "complete" | "in-progress" | "pending";
type StatusSource = "directory" | "roadmap" | "none";
/** The shapes of a parsed ROADMAP.md and of its analysis (kept apart so parser, resolver and analysis share them without import cycles). */
interface RoadmapDepends {
    text: string;
    line: number;
}
type RoadmapDepKind = "declared" | "range" | "note";
interface RoadmapDep {
    id: string;
    line: number;
    /** `declared` names the phase, `range` came from `Phases 1-3`, `note` from a parenthetical. */
    kind: RoadmapDepKind;
}
interface RoadmapPhase {
    /** Normalised: `2`, `2.1`, `36B`, or a provisional letter `A`. */
    id: string;
    /** As first written: `02.1`. */
    written: string;
    name: string;
    /** Line of the heading, else the checklist item, else the progress row. */
    line: number;
    inserted: boolean;
    heading?: number;
    /** Line of its list item, with or without a checkbox. */
    item?: number;
    checkbox?: {
        checked: boolean;
        line: number;
    };
    progress?: ProgressRow;
    depends: RoadmapDepends[];
    /** Prerequisites in this roadmap, first mention first, never the phase itself. */
    dependsOn: RoadmapDep[];
    /** References to phases this roadmap does not list; the analysis looks for their directories. */
    unresolved: {
        id: string;
        to?: string;
        line: number;
        text: string;
    }[];
}
interface ParsedRoadmap {
    file: string;
    phases: RoadmapPhase[];
    diagnostics: Diagnostic[];
}
interface PhaseDuration {
    minutes: number;
    plans: number;
    /** Plans whose duration came from a SUMMARY.md; the rest were estimated. */
    fromSummaries: number;
}
type PhaseDurationSource = "summary" | "estimate" | "mixed" | "assumed";
interface RoadmapAnalysisInput {
    roadmap: ParsedRoadmap;
    tree: PlanningTree;
    /** Containers this roadmap describes first, e.g. `milestones/v1.0-phases` for an archive. */
    containers?: readonly string[];
    /** By phase directory path. */
    durations?: ReadonlyMap<string, PhaseDuration>;
}
interface AnalyzedRoadmapPhase {
    id: string;
    written: string;
    name: string;
    line: number;
    inserted: boolean;
    dir?: string;
    plans: {
        total: number;
        complete: number;
    };
    status: RoadmapStatus;
    statusSource: StatusSource;
    checkbox?: boolean;
    progressStatus?: string;
    /** Prerequisites: roadmap phases, then phases found only as directories. */
    dependsOn: string[];
    /** The `Depends on` texts as written. */
    declaredDependsOn: string[];
    /** 1-based level among the phases still to do; absent when complete or blocked. */
    level?: number;
    /** On a cycle, or waiting for one: never scheduled. */
    blocked: boolean;
    onCycle: boolean;
    minutes: number;
    durationSource: PhaseDurationSource;
}
interface RoadmapEdge {
    from: string;
    to: string;
    /** The prerequisite is not in this roadmap; it was found as a phase directory. */
    external: boolean;
    fromDir?: string;
    /** The prerequisite is complete, so it no longer holds anything up. */
    satisfied: boolean;
    reasons: {
        kind: RoadmapDepKind;
        line: number;
    }[];
}
interface RoadmapAnalysis {
    file: string;
    phases: AnalyzedRoadmapPhase[];
    edges: RoadmapEdge[];
    levels: string[][];
    criticalPath: string[];
    criticalPathMinutes: number;
    cycles: string[][];
    diagnostics: Diagnostic[];
}

declare function parseRoadmap(text: string, file: string): ParsedRoadmap;

declare function analyzeRoadmap(input: RoadmapAnalysisInput): RoadmapAnalysis;

/**
 * Where roadmaps live and how they are read: `.planning/ROADMAP.md`, and archived milestone
 * roadmaps `.planning/milestones/v1.0-ROADMAP.md` (or `milestones/v1.0/ROADMAP.md`) when asked.
 * The pure analysis gets the text, the tree and the per-phase durations from here.
 */
declare const ROADMAP_FILE = ".planning/ROADMAP.md";
/** Every archived roadmap, project-relative, in milestone order (v1.9 before v1.10). */
declare function archivedRoadmaps(root: string): string[];
/**
 * `--milestone` accepts a version (`v1.0`, `1.0`), a file name (`v1.0-ROADMAP.md`) or a path
 * (relative to the project, to `.planning/`, to `milestones/`, or absolute inside the project).
 */
declare function resolveMilestone(root: string, arg: string): string | undefined;
declare function readRoadmap(root: string, file: string): ParsedRoadmap | undefined;
/** Reads, parses and analyses one roadmap file; durations only when `withDurations`. */
declare function analyzeRoadmapFile(project: Project, file: string, withDurations: boolean): RoadmapAnalysis | undefined;

/**
 * Runs the CLI on `argv` (without node and script) and resolves to the exit code.
 *
 * `--bang` is for `!` lines in slash commands: a failing `!` line silently aborts the whole
 * command in Claude Code, so in that mode every message goes to stdout (where the model sees
 * it) and the exit code is always 0.
 */
declare function run(argv: readonly string[], rawIo: Io): Promise<number>;

export { type AgentEvidence, type AgentInput, type AnalysisInput, type AnalyzedEdge, type AnalyzedPlan, type AnalyzedRoadmapPhase, BUDGET_FILE, type Diagnostic, HISTORY_FILE, HISTORY_VERSION, type History, type HistoryEntry, IllegalTransition, type Io, JSON_SCHEMA_VERSION, type Ledger, LockError, type Outcome, type ParsedRoadmap, type PhaseAnalysis, type PhaseListing, type PlanDoc, type PlanSize, type PlanState, type PlanStatusView, type PlanningTree, type Project, type QueueEvent, type QueueFacts, type QueueState, ROADMAP_FILE, RUN_STATUSES, type RoadmapAnalysis, type RoadmapEdge, type RoadmapPhase, type RunRecord, type RunStatus, STATUS, STRATEGIES, type SchedPlan, type Schedule, type ScheduleInput, type Settings, type Severity, type SimPlan, type SpawnInstruction, StateFileError, StateIoError, type StatusView, type StepOutcome, type StepResult, type Strategy, TRANSITIONS, type TokenEstimate, type Transition, activeRun, analysisToJson, analyzePhase, analyzeProjectPhase, analyzeRoadmap, analyzeRoadmapFile, archivedRoadmaps, availableTokens, budgetPath, budgetReport, reserveCommand as budgetReserveCommand, buildSpawn, calibration, choosePhase, compareSchedules, criticalPathMinutes, defaultSettings, diagnostic, emptyHistory, estimateMinutes, estimateTokens, expectedSummaryPath, findProjectRoot, historyPath, loadTree, newEntry, openProject, parseConfig, parseMarkers, parsePlanDoc, parseRoadmap, parseSummary, phaseFiles, planSize, queueStep, readBudget, readHistory, readHistoryText, readRoadmap, recordUse, remainingPath, replaceEntry, reserveTokens, resolveMilestone, retain, run, runEntries, schedule, selectPhase, simPlansOf, simulateScheduler, simulateWaveBarrier, sortDiagnostics, statusView, summaryFor, transition, updateBudget, updateHistory, withQueueState };
