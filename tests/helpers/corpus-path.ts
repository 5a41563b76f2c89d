import { resolve } from "node:path";

/** The read-only corpus of real `.planning/` trees: ../shared/corpus, or $GSD_ASYNC_CORPUS. */
export const CORPUS = process.env.GSD_ASYNC_CORPUS ? resolve(process.env.GSD_ASYNC_CORPUS) : resolve(__dirname, "..", "..", "..", "shared", "corpus");
