/**
 * @module
 * The LaunchAgent alternative to the crontab (macOS): a plist that runs `clodputer tick` every
 * 60 seconds, and `launchctl` to load and unload it. The plist is an argv array (no shell), with
 * its variables in EnvironmentVariables.
 */

/**
 * The agent's ProcessType. `Background` would put the tick, and so claude and everything it
 * starts, under macOS's background CPU and I/O limits; `Standard` is launchd's default.
 */
const PROCESS_TYPE = "Standard";

import { join } from "../sys/posix_path.ts";

/** The agent's label, and the stem of its plist file. */
export const LAUNCHD_LABEL = "dev.clodputer.tick";

/** Where the agent's plist lives for the user whose home is `home`. */
export function plistPath(home: string): string {
  return join(home, "Library", "LaunchAgents", `${LAUNCHD_LABEL}.plist`);
}

function xml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;").replaceAll("'", "&apos;");
}

/** The agent's plist (XML, version 1.0). Pure. */
export function renderPlist(input: {
  argv: readonly string[];
  env: Readonly<Record<string, string>>;
  /** stdout and stderr of each tick go here. */
  logPath: string;
  /** The tick's working folder (launchd's own is /): the user's home, as under cron. */
  workingDirectory: string;
  intervalSeconds?: number;
}): string {
  const strings = (items: readonly string[]) =>
    items.map((a) => `\t\t<string>${xml(a)}</string>`).join("\n");
  const env = Object.entries(input.env)
    .map(([k, v]) => `\t\t<key>${xml(k)}</key>\n\t\t<string>${xml(v)}</string>`).join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
\t<key>Label</key>
\t<string>${LAUNCHD_LABEL}</string>
\t<key>ProgramArguments</key>
\t<array>
${strings(input.argv)}
\t</array>
\t<key>EnvironmentVariables</key>
\t<dict>
${env}
\t</dict>
\t<key>WorkingDirectory</key>
\t<string>${xml(input.workingDirectory)}</string>
\t<key>StartInterval</key>
\t<integer>${input.intervalSeconds ?? 60}</integer>
\t<key>RunAtLoad</key>
\t<true/>
\t<key>ProcessType</key>
\t<string>${PROCESS_TYPE}</string>
\t<key>StandardOutPath</key>
\t<string>${xml(input.logPath)}</string>
\t<key>StandardErrorPath</key>
\t<string>${xml(input.logPath)}</string>
</dict>
</plist>
`;
}

/** The ProgramArguments and EnvironmentVariables of a plist this module wrote. Pure. */
export function readPlist(
  text: string,
): { argv: string[]; env: Record<string, string> } | undefined {
  const unxml = (s: string) =>
    s.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&quot;", '"')
      .replaceAll("&apos;", "'").replaceAll("&amp;", "&");
  const args = text.match(/<key>ProgramArguments<\/key>\s*<array>([\s\S]*?)<\/array>/);
  if (!args) return undefined;
  const argv = [...(args[1] ?? "").matchAll(/<string>([\s\S]*?)<\/string>/g)]
    .map((m) => unxml(m[1] ?? ""));
  const envBlock = text.match(/<key>EnvironmentVariables<\/key>\s*<dict>([\s\S]*?)<\/dict>/);
  const env: Record<string, string> = {};
  for (
    const m of (envBlock?.[1] ?? "").matchAll(
      /<key>([\s\S]*?)<\/key>\s*<string>([\s\S]*?)<\/string>/g,
    )
  ) {
    env[unxml(m[1] ?? "")] = unxml(m[2] ?? "");
  }
  return { argv, env };
}
