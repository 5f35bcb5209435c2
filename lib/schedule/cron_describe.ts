/**
 * @module
 * Cron expressions described for people ("At 08:00, Monday through Friday"). The only importer
 * of cronstrue, kept apart from cron_expr.ts so the commands that run every minute never load it.
 */

// @ts-types="cronstrue"
import cronstrue from "../../vendor/cronstrue.js";
import { normalizeCron } from "../config/cron_expr.ts";

/** A short description for people: "At 08:00, Monday through Friday". */
export function describeCron(expression: string): string {
  try {
    return cronstrue.toString(normalizeCron(expression), {
      use24HourTimeFormat: true,
      verbose: false,
    });
  } catch {
    return expression;
  }
}
