/**
 * The shell script every job of an exported workflow runs (written beside the workflow as
 * `.github/gsd-async/plan-job.sh`). Everything it acts on arrives in environment variables,
 * never pasted into a command line, and every expansion is quoted. Records go to the phase
 * branch through one loop: fetch the branch, apply the change on top of it, commit, push; a
 * push refused because another job pushed first is retried on the new tip, so merges and
 * records are serialised by git itself and no job waits in a concurrency group.
 */
// Bash's own `${...}` is written `%{...}` here (a template literal would read it).
export const PLAN_JOB_SCRIPT = String.raw`#!/usr/bin/env bash
# gsd-async: one step of a phase workflow (prepare | wait | begin | finish | summary).
# Inputs come from the environment only (see the workflow); nothing here is evaluated.
set -uo pipefail

HISTORY=.planning/agent-history.json
WORKSPACE=%{GITHUB_WORKSPACE:-$PWD}
HELPER="$WORKSPACE/$GSD_HELPER"
ATTEMPTS=%{GSD_PUSH_ATTEMPTS:-10}

say() { printf 'gsd-async: %s\n' "$(printf '%s' "$*" | tr '\r\n' '  ')"; }
output() { printf '%s=%s\n' "$1" "$2" >> "$GITHUB_OUTPUT"; }

git_remote() {
  if [ -n "%{GSD_TOKEN:-}" ]; then
    local basic
    basic=$(printf 'x-access-token:%s' "$GSD_TOKEN" | base64 | tr -d '\n')
    git -c "http.%{GITHUB_SERVER_URL:-https://github.com}/.extraheader=AUTHORIZATION: basic $basic" "$@"
  else
    git "$@"
  fi
}

# Checks out the newest commit of the phase branch (detached), dropping local changes.
fresh() {
  git_remote fetch -q origin "refs/heads/$GSD_PHASE_BRANCH" || return 1
  git checkout -q -f --detach FETCH_HEAD
}

# record MESSAGE COMMAND...: on a fresh copy of the phase branch, run COMMAND, commit the queue
# file and push; retried on a new tip when another job pushed first. Returns COMMAND's failure.
record() {
  local message=$1 attempt rc
  shift
  for attempt in $(seq 1 "$ATTEMPTS"); do
    fresh || { sleep 2; continue; }
    "$@"
    rc=$?
    [ "$rc" -eq 0 ] || return "$rc"
    git add -- "$HISTORY"
    git diff --cached --quiet || git commit -q -m "$message"
    if git_remote push -q origin "HEAD:refs/heads/$GSD_PHASE_BRANCH"; then return 0; fi
    say "the phase branch moved; trying again ($attempt of $ATTEMPTS)"
    sleep $((attempt + RANDOM % 4))
  done
  return 75
}

prepare() {
  if [ "%{GITHUB_REF_TYPE:-branch}" != branch ]; then say "run this workflow on the phase branch, not on a tag"; exit 1; fi
  cd "$GSD_PROJECT_DIR" || exit 1
  local wanted=() id kind key plan summary known to_run="," already="," all=" "
  read -r -a wanted <<< "$(printf '%s' "%{GSD_SELECT:-}" | tr ',;' '  ')"
  while IFS=$'\t' read -r kind key plan summary; do
    [ -n "$key" ] || continue
    [ "$kind" = job ] && all="$all$plan "
  done <<< "$GSD_TABLE"
  for id in "%{wanted[@]}"; do
    case "$all" in *" $id "*) ;; *) say "not a plan of this workflow: $id (plans:$all)"; exit 1 ;; esac
  done
  while IFS=$'\t' read -r kind key plan summary; do
    [ -n "$key" ] || continue
    if git cat-file -e "HEAD:./$summary" 2>/dev/null; then
      already="$already$key,"
      continue
    fi
    [ "$kind" = job ] || continue
    known=%{#wanted[@]}
    if [ "$known" -gt 0 ]; then
      case " %{wanted[*]} " in *" $plan "*) ;; *) continue ;; esac
    fi
    to_run="$to_run$key,"
  done <<< "$GSD_TABLE"
  output run "$to_run"
  output done "$already"
  say "jobs to run: $to_run  complete already: $already"
}

# With a smaller cap than exported, job i waits for job i - cap (by name) to finish, polling
# this run's jobs through the API: cap chains of jobs, so never more than cap plans at once.
job_state() {
  local page=1 body state
  while [ "$page" -le 20 ]; do
    body=$(curl -fsSL -H "Authorization: Bearer $GSD_TOKEN" -H "Accept: application/vnd.github+json" \
      "%{GITHUB_API_URL:-https://api.github.com}/repos/$GITHUB_REPOSITORY/actions/runs/$GITHUB_RUN_ID/attempts/$GITHUB_RUN_ATTEMPT/jobs?per_page=100&page=$page") || return 1
    state=$(printf '%s' "$body" | GSD_NAME="$1" node -e '
      const jobs = JSON.parse(require("fs").readFileSync(0, "utf8")).jobs ?? [];
      const job = jobs.find((j) => j.name === process.env.GSD_NAME);
      process.stdout.write(job ? String(job.status) : jobs.length < 100 ? "absent" : "");')
    [ -n "$state" ] && { printf '%s' "$state"; return 0; }
    page=$((page + 1))
  done
  printf 'absent'
}

wait_turn() {
  local name state
  name=$(node -e 'process.stdout.write(JSON.parse(process.env.GSD_WAIT_FOR || "{}")[process.env.GSD_CAP || ""] ?? "")')
  [ -n "$name" ] || return 0
  say "run with at most $GSD_CAP at once: waiting for $name to finish"
  while :; do
    state=$(job_state "$name") || state=unknown
    case "$state" in
      completed) return 0 ;;
      absent) say "$name is not in this run; not waiting"; return 0 ;;
    esac
    sleep "%{GSD_POLL_SECONDS:-20}"
  done
}

configure() {
  git config user.name "%{GSD_GIT_NAME:-gsd-async}"
  git config user.email "%{GSD_GIT_EMAIL:-gsd-async@users.noreply.github.com}"
}

# The plan is queued in the phase's run: mark it spawned. Otherwise (no run yet, or the plan
# failed before and this is a re-run) the start command queues the phase first, as it does locally.
spawn() {
  node "$HELPER" spawned "$GSD_PLAN_FILE" --agent-id "gha-$GITHUB_RUN_ID-$GITHUB_RUN_ATTEMPT-$GSD_JOB" --json > "$RUNNER_TEMP/gsd-spawned.json"
}
start_and_spawn() {
  spawn 2> /dev/null && return 0
  node "$HELPER" start "$GSD_PHASE_DIR" --json > "$RUNNER_TEMP/gsd-start.json" || { cat "$RUNNER_TEMP/gsd-start.json"; return 1; }
  spawn
}

begin() {
  cd "$GSD_PROJECT_DIR" || exit 1
  configure
  if git cat-file -e "HEAD:./$GSD_SUMMARY_FILE" 2>/dev/null; then
    say "$GSD_PLAN_ID is complete on $GSD_PHASE_BRANCH already; nothing to do"
    output outcome already-complete
    return 0
  fi
  if ! record "gsd-async: $GSD_PLAN_ID started" start_and_spawn; then say "could not record the start of $GSD_PLAN_ID"; exit 1; fi
  output run-id "$(node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf8")).entry.run_id)' < "$RUNNER_TEMP/gsd-spawned.json")"
  output attempt "$(node -e 'process.stdout.write(String(JSON.parse(require("fs").readFileSync(0, "utf8")).entry.attempt))' < "$RUNNER_TEMP/gsd-spawned.json")"
  output outcome started
}

fail_plan() {
  local reason
  reason=$(printf '%s' "$1" | tr '\r\n' '  ')
  say "$GSD_PLAN_ID failed: $reason"
  record "gsd-async: $GSD_PLAN_ID failed" node "$HELPER" fail "$GSD_PLAN_FILE" --reason "$reason" || say "could not record the failure"
  output outcome failed
  exit 1
}

# Merges the plan's commits into the fresh phase branch; the queue file stays the branch's own.
merge_and_complete() {
  local base conflicts
  base=$(git rev-parse HEAD)
  if ! git merge-base --is-ancestor "$PLAN_HEAD" "$base"; then
    git merge -q --no-ff --no-commit "$PLAN_HEAD" > /dev/null 2>&1
    git checkout "$base" -- "$HISTORY" 2> /dev/null || true
    conflicts=$(git diff --name-only --diff-filter=U | tr '\n' ' ')
    if [ -n "$conflicts" ]; then
      git merge --abort
      CONFLICTS=$conflicts
      return 3
    fi
    git commit -q --no-verify -m "gsd-async: merge $GSD_PLAN_ID"
  fi
  node "$HELPER" complete "$GSD_PLAN_FILE" --json > /dev/null
}

finish() {
  cd "$GSD_PROJECT_DIR" || exit 1
  configure
  PLAN_HEAD=$(git rev-parse HEAD)
  CONFLICTS=
  [ "%{GSD_AGENT_OUTCOME:-}" = success ] || fail_plan "the agent step ended as %{GSD_AGENT_OUTCOME:-unknown} (see this job's log)"
  git cat-file -e "$PLAN_HEAD:./$GSD_SUMMARY_FILE" 2> /dev/null || fail_plan "the agent did not commit $GSD_SUMMARY_FILE"
  git_remote push -q -f origin "$PLAN_HEAD:refs/heads/gsd/$GITHUB_RUN_ID/$GSD_JOB" || say "could not push the plan branch (the merge goes on)"
  record "gsd-async: $GSD_PLAN_ID completed" merge_and_complete
  case $? in
    0) output outcome completed ;;
    3) fail_plan "merge conflict with $GSD_PHASE_BRANCH in $CONFLICTS(the plan's commits are on gsd/$GITHUB_RUN_ID/$GSD_JOB)" ;;
    *) fail_plan "could not merge into $GSD_PHASE_BRANCH" ;;
  esac
}

summary() {
  cd "$GSD_PROJECT_DIR" || exit 1
  printf '{"jobs":%s,"needs":%s}' "$GSD_JOBS" "$GSD_NEEDS" > "$RUNNER_TEMP/gsd-results.json"
  node "$HELPER" export run-summary "$GSD_PHASE_DIR" --results "$RUNNER_TEMP/gsd-results.json" >> "$GITHUB_STEP_SUMMARY"
}

case "%{1:-}" in
  prepare | begin | finish | summary) "$1" ;;
  wait) wait_turn ;;
  *) say "usage: plan-job.sh prepare|wait|begin|finish|summary"; exit 2 ;;
esac
`
  .split("%{")
  .join("${");
