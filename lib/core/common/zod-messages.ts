import * as z from "zod/mini";
import { en } from "zod/v4/locales";

/**
 * zod/mini ships without message texts (every problem reads "Invalid input"). The English
 * locale is installed once, by the modules that validate user files, so a hand-edited history
 * or config gets messages like "expected number, received string".
 */
let installed = false;

export function useEnglishMessages(): void {
  if (installed) return;
  z.config(en());
  installed = true;
}
