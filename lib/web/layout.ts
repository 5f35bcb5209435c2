/**
 * @module
 * The frame of every page: the document head (our one stylesheet and script, the token for the
 * page's POSTs), the navigation, and the error page. Pure.
 */

import { html, type HtmlValue, type SafeHtml } from "./html.ts";

/** The sections the navigation names. */
export type Section = "overview" | "cost" | "logs" | "task" | "run" | "none";

const NAV: readonly { section: Section; path: string; label: string }[] = [
  { section: "overview", path: "/", label: "Overview" },
  { section: "cost", path: "/cost", label: "Cost" },
  { section: "logs", path: "/logs", label: "Logs" },
];

/** A whole page: `body` inside the frame. `token` goes in a meta tag for the page's POSTs. */
export function layout(options: {
  title: string;
  section: Section;
  token: string;
  body: HtmlValue;
}): SafeHtml {
  return html`
    <!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="clodputer-token" content="${options.token}">
        <title>${options.title} · Clodputer</title>
        <link rel="stylesheet" href="/assets/app.css">
        <script type="module" src="/assets/app.js"></script>
      </head>
      <body>
        <header class="top">
          <a class="brand" href="/">Clodputer</a>
          <nav>${NAV.map((n) =>
            html`
              <a href="${n.path}" ${n.section === options.section
                ? html`
                  aria-current="page"
                `
                : ""}>${n.label}</a>
            `
          )}</nav>
          <span id="live-state" class="live-state" data-state="off" title="live updates"></span>
        </header>
        <div id="flash" class="flash" role="status" aria-live="polite" hidden></div>
        <main>
    ${options.body}
        </main>
      </body>
    </html>
  `;
}

/** The page for a refused or failed request: what went wrong and what to do. No token in it. */
export function errorPage(message: string, hint: string | undefined): SafeHtml {
  return html`
    <!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8">
        <title>Clodputer</title>
      </head>
      <body>
        <main class="error-page">
    <h1>${message}</h1>
    ${hint === undefined ? "" : html`<p class="hint">${hint}</p>`}
        </main>
      </body>
    </html>
  `;
}
