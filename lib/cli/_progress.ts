/**
 * @module
 * Live progress of one run: a spinner with elapsed time and the latest activity on a terminal,
 * plain lines on stderr otherwise, nothing with --json.
 */

import type { ProgressEvent } from "../run/stream.ts";
import type { Clock } from "../sys/clock.ts";
import type { Output } from "../ui/output.ts";
import { foldActivity, type RunActivity, startActivity } from "../run/live.ts";
import { activityText, progressLine, spinnerLine } from "../ui/run_view.ts";

/** Shows the progress of one task's run. */
export class Progress {
  #out: Output;
  #clock: Clock;
  #task: string;
  #mode: "spinner" | "lines" | "quiet";
  #activity: RunActivity = startActivity("waiting");
  #started: number;
  #stop = new AbortController();
  #spinner: Promise<void> = Promise.resolve();

  constructor(out: Output, clock: Clock, options: { task: string; quiet: boolean }) {
    this.#out = out;
    this.#clock = clock;
    this.#task = options.task;
    this.#mode = options.quiet ? "quiet" : out.errIsTerminal ? "spinner" : "lines";
    this.#started = clock.now();
  }

  /** Starts the spinner (on a terminal). */
  start(): void {
    if (this.#mode !== "spinner") return;
    this.#spinner = (async () => {
      for (let frame = 0; !this.#stop.signal.aborted; frame++) {
        this.#out.status(
          spinnerLine(
            this.#task,
            this.#clock.now() - this.#started,
            activityText(this.#activity),
            frame,
          ),
        );
        await this.#clock.sleep(100, this.#stop.signal);
      }
    })();
  }

  /** Sets what the spinner says (or prints it as a line). */
  activity(text: string): void {
    if (activityText(this.#activity) === text) return;
    this.#activity = { ...this.#activity, activity: text, turn: null };
    if (this.#mode === "lines") this.#out.error(text);
  }

  /** Restarts the elapsed time (when the run itself starts after waiting in the queue). */
  restartClock(): void {
    this.#started = this.#clock.now();
  }

  /** Shows one event of the run. */
  event(event: ProgressEvent): void {
    if (this.#mode === "spinner") {
      this.#activity = foldActivity(this.#activity, event);
    } else if (this.#mode === "lines") {
      const line = progressLine(event);
      if (line) this.#out.error(line);
    }
  }

  /** Stops the spinner and clears its line. */
  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#spinner;
    this.#out.clearStatus();
  }
}
