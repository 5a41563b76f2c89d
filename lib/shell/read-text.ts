import { closeSync, fstatSync, openSync, readSync } from "node:fs";

/**
 * Reading a user file with a ceiling: a plan, summary, STATE.md or ROADMAP.md larger than
 * `MAX_TEXT_BYTES` is read up to the limit only (cut at the last line break before it), and the
 * caller is told, so it can say so in a diagnostic. A 50 MB file costs what a 1 MiB one does.
 */
export const MAX_TEXT_BYTES = 1024 * 1024;

export interface CappedText {
  text: string;
  /** Size of the whole file in bytes; larger than the text when `truncated`. */
  bytes: number;
  truncated: boolean;
}

/** The file's text (UTF-8), at most `limit` bytes of it; undefined when it cannot be read. */
export function readTextCapped(abs: string, limit = MAX_TEXT_BYTES): CappedText | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(abs, "r");
    const bytes = fstatSync(fd).size;
    // Not zero-filled: only the `got` bytes read are ever decoded or searched.
    const buf = Buffer.allocUnsafe(Math.min(bytes, limit) + 1);
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, got);
      if (n === 0) break;
      got += n;
    }
    if (got <= limit) return { text: buf.toString("utf8", 0, got), bytes: Math.max(bytes, got), truncated: false };
    const cut = buf.lastIndexOf(0x0a, limit - 1);
    const text = buf.toString("utf8", 0, cut >= 0 ? cut + 1 : limit);
    return { text, bytes: Math.max(bytes, got), truncated: true };
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
