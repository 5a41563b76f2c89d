import matter from "gray-matter";

/**
 * gray-matter's own YAML engine (js-yaml's safe loader), called without gray-matter around it.
 * For one block gray-matter also copies the whole input into a Buffer, builds its options and
 * file object and looks for an excerpt: that costs about as much again as the YAML itself, on
 * every plan and summary. Not in gray-matter's typings, hence the cast.
 */
const yamlEngine = (matter as unknown as { engines: { yaml: { parse(text: string): unknown } } }).engines.yaml;

/**
 * The `data` gray-matter 4 gives for `block` (an opening fence line through the closing one, the
 * fence naming no language or YAML: parseFrontMatter refuses any other) when asked for YAML, step by step as it does it: a byte-order mark dropped; the text after the
 * opening `---`, without the rest of that line only when it names a language; up to the first
 * `\n---`; a block of only comments and blanks is `{}`; YAML errors are thrown as they are; and an
 * empty document (`null`) becomes `{}` as gray-matter's excerpt step makes it. Line numbers in
 * js-yaml's errors are therefore relative to the same text as before.
 */
export function matterData(block: string): unknown {
  let str = block.charCodeAt(0) === 0xfeff ? block.slice(1) : block;
  if (!str.startsWith("---") || str.charAt(3) === "-") return {};
  str = str.slice(3);
  const language = str.slice(0, str.search(/\r?\n/));
  if (language.trim() !== "") str = str.slice(language.length);
  const close = str.indexOf("\n---");
  const yaml = close < 0 ? str : str.slice(0, close);
  if (yaml.replace(/^\s*#[^\n]+/gm, "").trim() === "") return {};
  return yamlEngine.parse(yaml) ?? {};
}
