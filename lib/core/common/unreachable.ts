/**
 * The end of an exhaustive switch: it compiles only when every case of a union is handled, so a
 * new status or event kind cannot be added without the compiler pointing at each switch.
 */
export function unreachable(x: never): never {
  throw new Error(`unreachable: ${JSON.stringify(x)}`);
}
