/**
 * The layers of lib/, lowest first: core (pure) <- shell (files, locks, clock) <- json (output
 * schemas) <- render (text for people) <- cli (commands, exit codes). A module may import its own
 * layer and the ones below it, never one above; and no import cycles anywhere.
 */
const layer = (name, above) => ({
  name: `no-${name}-to-higher-layer`,
  severity: "error",
  comment: `lib/${name} may not import ${above.join(", ")}`,
  from: { path: `^lib/${name}/` },
  to: { path: `^lib/(${above.join("|")})/` },
});

module.exports = {
  forbidden: [
    layer("core", ["shell", "json", "render", "cli"]),
    layer("shell", ["json", "render", "cli"]),
    layer("json", ["shell", "render", "cli"]),
    layer("render", ["cli"]),
    {
      name: "core-common-is-a-leaf",
      severity: "error",
      comment: "lib/core/common holds helpers every concept uses; it depends on no concept",
      from: { path: "^lib/core/common/" },
      to: { path: "^lib/core/(?!common/)" },
    },
    { name: "no-cycles", severity: "error", from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
  },
};
