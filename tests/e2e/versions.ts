import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The Claude Code versions the e2e suite knows (versions.json), for tests that check every one. */
export const VERSIONS = JSON.parse(readFileSync(join(__dirname, "versions.json"), "utf8")) as { oldest: string; newest: string; all: string[] };
