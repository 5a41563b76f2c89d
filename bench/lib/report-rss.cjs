// Preloaded into a measured child process (`node --require`): writes its peak resident set size
// in KB to $GSD_ASYNC_BENCH_RSS when it exits, so the bench can report memory per command.
const { writeFileSync } = require("node:fs");
process.on("exit", () => {
  if (process.env.GSD_ASYNC_BENCH_RSS) writeFileSync(process.env.GSD_ASYNC_BENCH_RSS, String(process.resourceUsage().maxRSS));
});
