import { type Diagnostic, diagnostic } from "../common/diagnostic";
import { ISOLATIONS, type Isolation, isIsolation } from "./isolation";
import { isLockName } from "./lock-name";

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * `parallelization.isolation` and `parallelization.exclusive` of config.json. A bad value is a
 * diagnostic naming it and falls back on its own (an unknown isolation means shared; a bad
 * exclusive entry is left out), so it never resets the other settings.
 */
export function repoSettings(
  par: { isolation?: unknown; exclusive?: unknown } | undefined,
  file: string,
  diagnostics: Diagnostic[],
): { isolation: Isolation; exclusive: Record<string, string> } {
  let isolation: Isolation = "shared";
  const iso = par?.isolation;
  if (typeof iso === "string" && isIsolation(iso)) isolation = iso;
  else if (iso !== undefined)
    diagnostics.push(diagnostic("error", "config-invalid", `parallelization.isolation: must be one of ${ISOLATIONS.join(", ")}; shared is used`, { file }));
  const exclusive: Record<string, string> = {};
  const ex = par?.exclusive;
  if (isRecord(ex)) {
    for (const [name, command] of Object.entries(ex)) {
      if (!isLockName(name))
        diagnostics.push(
          diagnostic("error", "config-invalid", `parallelization.exclusive.${name}: a name has letters, digits, '.', '_' and '-' only; left out`, { file }),
        );
      else if (typeof command !== "string" || command.trim() === "" || command.length > 4000)
        diagnostics.push(
          diagnostic("error", "config-invalid", `parallelization.exclusive.${name}: must be a command line (a non-empty string); left out`, { file }),
        );
      else exclusive[name] = command;
    }
  } else if (ex !== undefined)
    diagnostics.push(diagnostic("error", "config-invalid", `parallelization.exclusive: must be an object of name: "command"; ignored`, { file }));
  return { isolation, exclusive };
}
