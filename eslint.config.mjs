// Lint rules for the project. The `lib/core` block is the "pure core" rule: no Node modules,
// no process, no clock, no timers there; the shell passes those in as data.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const impure = [
  { name: "process", message: "lib/core is pure: the shell passes environment and argv in as data." },
  { name: "setTimeout", message: "lib/core is pure: waiting belongs to the shell." },
  { name: "setInterval", message: "lib/core is pure: waiting belongs to the shell." },
  { name: "setImmediate", message: "lib/core is pure: waiting belongs to the shell." },
  { name: "clearTimeout", message: "lib/core is pure: waiting belongs to the shell." },
  { name: "require", message: "lib/core is pure: import modules statically." },
];

export default tseslint.config(
  // workflows/*.js are Workflow scripts: an async function's body (top-level await and return),
  // which no ESLint source type parses; tests/unit/workflow-script.test.ts runs them instead.
  { ignores: ["dist/**", "node_modules/**", ".cache/**", "coverage/**", "examples/**", "workflows/*.js"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: "readonly", process: "readonly", require: "readonly", module: "writable", __dirname: "readonly", Buffer: "readonly", setTimeout: "readonly", clearTimeout: "readonly", setInterval: "readonly", clearInterval: "readonly", setImmediate: "readonly", URL: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/no-require-imports": "off",
      "no-control-regex": "off",
      "prefer-const": "error",
      eqeqeq: ["error", "smart"],
    },
  },
  {
    files: ["lib/core/**/*.ts"],
    rules: {
      "no-restricted-globals": ["error", ...impure],
      "no-restricted-imports": ["error", { patterns: [{ group: ["node:*", "fs", "path", "os", "child_process", "crypto"], message: "lib/core is pure: no Node modules." }] }],
      "no-restricted-syntax": [
        "error",
        { selector: "MemberExpression[object.name='Date'][property.name='now']", message: "lib/core is pure: take `now` as an argument." },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "lib/core is pure: take `now` as an argument." },
        { selector: "MemberExpression[object.name='Math'][property.name='random']", message: "lib/core is pure: take randomness as an argument." },
      ],
    },
  },
  {
    files: ["tests/**/*.ts", "tests/**/*.js", "bench/**/*.mjs", "scripts/**/*.mjs"],
    rules: { "@typescript-eslint/no-explicit-any": "off", "@typescript-eslint/no-unused-expressions": "off" },
  },
);
