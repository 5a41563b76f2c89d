/**
 * The command modules `analyze`, `check` and `graph` do not need, loaded when their command
 * runs. esbuild keeps a module reached only through `require` uninitialised until that call, so
 * a short-lived `analyze` process does not build the queue's, the installer's, the exporter's
 * and the hooks' JSON schemas, nor run anything else those modules do when loaded.
 */
export const commandModules = {
  start: () => require("./start-command") as typeof import("./start-command"),
  status: () => require("./status-command") as typeof import("./status-command"),
  record: () => require("./record-command") as typeof import("./record-command"),
  commit: () => require("./commit-command") as typeof import("./commit-command"),
  exclusive: () => require("./exclusive-command") as typeof import("./exclusive-command"),
  worktree: () => require("./worktree-command") as typeof import("./worktree-command"),
  cancel: () => require("./cancel-command") as typeof import("./cancel-command"),
  hook: () => require("./hook-commands") as typeof import("./hook-commands"),
  simulate: () => require("./simulate-command") as typeof import("./simulate-command"),
  repair: () => require("./repair-command") as typeof import("./repair-command"),
  install: () => require("./install-command") as typeof import("./install-command"),
  export: () => require("./export-command") as typeof import("./export-command"),
};
