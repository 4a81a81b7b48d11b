/** The `.env` file dfx writes (`DFX_NETWORK`, `CANISTER_ID_<NAME>`). */

/** Replaces dfx's section of `.env`, keeping everything else. */
export function updateEnvFile(existing: string, vars: Record<string, string>): string {
  const begin = '# DFX CANISTER ENVIRONMENT VARIABLES';
  const end = '# END DFX CANISTER ENVIRONMENT VARIABLES';
  const lines = existing.split('\n');
  const out: string[] = [];
  let inSection = false;
  for (const line of lines) {
    if (line.trim() === begin) inSection = true;
    else if (line.trim() === end) inSection = false;
    else if (!inSection && !Object.keys(vars).some((k) => line.startsWith(`${k}=`))) out.push(line);
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  const section = [begin, ...Object.entries(vars).map(([k, v]) => `${k}='${v}'`), end];
  return [...out, ...(out.length ? [''] : []), ...section, ''].join('\n');
}
