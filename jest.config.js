const { availableParallelism } = require("node:os");

/** What both projects share. */
const base = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  // Transpile only (tsconfig has isolatedModules): `npm test` type-checks the project with tsc first.
  transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] },
  moduleFileExtensions: ["ts", "js", "json"],
};

/** @type {import('jest').Config} */
module.exports = {
  // Unit, integration and corpus files run in parallel workers: many of them mostly wait on
  // child processes (git, the built CLI, hooks that sleep), so one worker per core, rather than
  // jest's default of one less, keeps both cores busy. The e2e files are a second project whose
  // runner is serial: they run one at a time, in band, after the others, as they always have
  // (each starts Claude Code processes that take a core or two).
  maxWorkers: Math.max(2, availableParallelism()),
  testTimeout: 60000,
  projects: [
    { ...base, displayName: "unit", testPathIgnorePatterns: ["/node_modules/", "<rootDir>/tests/e2e/"] },
    { ...base, displayName: "e2e", roots: ["<rootDir>/tests/e2e"], runner: "<rootDir>/tests/helpers/serial-runner.js" },
  ],
};
