/**
 * @module
 * Doctor: config.yaml's `notify:` channels can deliver: the desktop notifier is on PATH, the
 * webhook is an http or https URL with a host, the command is found.
 */

import { channelsOf } from "../../notify/notify.ts";
import { findExecutable } from "../../sys/proc.ts";
import type { CheckResult, DoctorContext } from "../types.ts";

/** The program that shows desktop notifications on `os`. */
function desktopProgram(os: string): string {
  return os === "darwin" ? "osascript" : "notify-send";
}

/** Why `url` cannot be posted to, or undefined when it can. Pure. */
export function webhookProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "is not a URL";
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    return `uses ${parsed.protocol.slice(0, -1)}, not http or https`;
  }
  if (parsed.hostname === "") return "has no host";
  return undefined;
}

/** Checks each notification channel config.yaml turns on. */
export async function checkNotify(ctx: DoctorContext): Promise<CheckResult[]> {
  // A config.yaml that does not load is reported by the home check.
  if (ctx.global instanceof Error) return [];
  const global = ctx.global;
  const channels = channelsOf(global);
  if (channels.length === 0) {
    return [{
      id: "notify",
      status: "ok",
      message: "Notifications are off (config.yaml has no notify: channel)",
    }];
  }
  const path = ctx.env.get("PATH");
  const results: CheckResult[] = [];
  for (const channel of channels) {
    switch (channel) {
      case "desktop": {
        const program = desktopProgram(ctx.os);
        const found = await findExecutable(program, path);
        results.push(
          found
            ? {
              id: "notify:desktop",
              status: "ok",
              message: `Desktop notifications through ${found}`,
            }
            : {
              id: "notify:desktop",
              status: "fail",
              message: `Desktop notifications are on, but ${program} is not on PATH: none can be ` +
                "shown",
              fix: ctx.os === "darwin"
                ? "put /usr/bin on PATH (osascript is part of macOS)"
                : "install notify-send (Debian, Ubuntu: sudo apt install libnotify-bin; Fedora: " +
                  "sudo dnf install libnotify), or write macos: false under notify: in " +
                  ctx.paths.config,
            },
        );
        break;
      }
      case "webhook": {
        const url = global.notify?.webhook ?? "";
        const problem = webhookProblem(url);
        results.push(
          problem === undefined
            ? { id: "notify:webhook", status: "ok", message: `Webhook ${url}` }
            : {
              id: "notify:webhook",
              status: "fail",
              message: `The webhook "${url}" ${problem}`,
              fix:
                `write webhook: https://hooks.example.com/clodputer under notify: in ${ctx.paths.config}`,
            },
        );
        break;
      }
      case "command": {
        const program = global.notify?.command?.[0] ?? "";
        const found = program === "" ? undefined : await findExecutable(program, path);
        results.push(
          found
            ? { id: "notify:command", status: "ok", message: `Notification command ${found}` }
            : {
              id: "notify:command",
              status: "fail",
              message: `The notification command "${program}" is not found or not executable`,
              fix:
                `install it, or write its absolute path: command: ["/usr/local/bin/my-notifier"] under notify: in ${ctx.paths.config}`,
            },
        );
        break;
      }
    }
  }
  return results;
}
