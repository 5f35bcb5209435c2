/**
 * @module
 * The overview page: the status model (`readStatus`, what `status` shows), live.
 */

import { readStatus, type StatusView } from "../../status/read.ts";
import { htmlResponse, type Route, type RouteContext } from "../context.ts";
import { href, html, type SafeHtml } from "../html.ts";
import { layout } from "../layout.ts";

/** The overview's live part, from the status model. Pure. */
export function renderOverview(view: StatusView): SafeHtml {
  const runner = view.runner;
  return html`
    <section class="runner">
      <h2>Runner</h2>
      <p>${runner.state === "running"
        ? html`Running <a href="${href("tasks", runner.task)}">${runner.task}</a> (<a href="${
          href("runs", runner.run_id)
        }">${runner.run_id}</a>)`
        : runner.state}</p>
    </section>
    <section class="recent">
      <h2>Last runs</h2>
      <table>
        <thead>
          <tr>
            <th>Task</th>
            <th>Run</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>${view.recent.map((r) =>
          html`
            <tr>
              <td><a href="${href("tasks", r.task)}">${r.task}</a></td>
              <td><a href="${href("runs", r.id)}">${r.id}</a></td>
              <td>${r.status}</td>
            </tr>
          `
        )}</tbody>
      </table>
    </section>
  `;
}

async function overview(context: RouteContext): Promise<SafeHtml> {
  return renderOverview(await readStatus(context.deps));
}

/** The overview's routes: the page, and its live fragment. */
export function overviewRoutes(): Route[] {
  return [
    {
      method: "GET",
      path: "/",
      handle: async (context) =>
        htmlResponse(
          layout({
            title: "Overview",
            section: "overview",
            token: context.token,
            body: html`
              <h1>Overview</h1>
              <div data-live="/fragments/overview"
                data-live-on="run-started run-progress run-finished queue hold pause">${await overview(
                  context,
                )}</div>
            `,
          }),
        ),
    },
    {
      method: "GET",
      path: "/fragments/overview",
      handle: async (context) => htmlResponse(await overview(context)),
    },
  ];
}
