/**
 * @module
 * Templates: rendering, filters, missing values, parse problems, variables.
 */

import assert from "node:assert/strict";
import {
  findTemplateVariables,
  parseTemplate,
  renderTemplate,
  TemplateError,
} from "../../lib/config/template.ts";

const scope = {
  name: "todo-triage",
  error: "timed out",
  context: { file_path: "/in/a.md", now: "2025-01-02T03:04:05.000Z", n: 0, empty: "" },
  result: { today: ["a", "b", "c"], events_processed: 4, nothing: null, flag: false },
  metadata: { path: "/in/a.md", tags: ["x", "y"] },
};

Deno.test("renderTemplate() fills paths, with or without inner spaces", () => {
  const cases: [string, string][] = [
    ["{{name}}", "todo-triage"],
    ["{{ name }}", "todo-triage"],
    ["{{  context.file_path  }}", "/in/a.md"],
    ["{{\ncontext.now\n}}", "2025-01-02T03:04:05.000Z"],
    ["{{ result.today.1 }}", "b"],
    ["{{ result.today[2] }}", "c"],
    ["{{ result['events_processed'] }}", "4"],
    ["{{ context.n }}", "0"],
    ["{{ context.empty }}!", "!"],
    ["{{ result.flag }}", "false"],
    ["{{ result.nothing }}", ""],
    ["{{ result.today }}", '["a","b","c"]'],
    ["{{ name }} failed: {{ error }}", "todo-triage failed: timed out"],
    ["no templates here { { x } }", "no templates here { { x } }"],
  ];
  for (const [text, expected] of cases) assert.equal(renderTemplate(text, scope), expected, text);
});

Deno.test("renderTemplate() applies filters, chained left to right", () => {
  const cases: [string, string][] = [
    ["{{ result.today | length }}", "3"],
    ["{{ name | length }}", "11"],
    ["{{ result | length }}", "4"],
    ["{{ result.missing | default(0) }}", "0"],
    ['{{ result.missing | default("none") }}', "none"],
    ["{{ result.missing | default('none') }}", "none"],
    ["{{ result.missing | default(true) }}", "true"],
    ["{{ result.nothing | default(-1.5) }}", "-1.5"],
    ["{{ result.events_processed | default(0) }}", "4"],
    ["{{ context.n | default(7) }}", "0"],
    ["{{ result.today | length | default(0) }}", "3"],
    ["{{ result.missing | length | default(0) }}", "0"],
    ['{{ metadata.tags | join(", ") }}', "x, y"],
    ["{{ metadata.tags | join }}", "xy"],
    ["{{ metadata.tags | json }}", '["x","y"]'],
    ["{{ name | upper }}", "TODO-TRIAGE"],
    ['{{ result.missing | default(" Hi ") | trim | lower }}', "hi"],
  ];
  for (const [text, expected] of cases) assert.equal(renderTemplate(text, scope), expected, text);
});

Deno.test("renderTemplate() throws a TemplateError naming a missing variable", () => {
  const cases: [string, string][] = [
    ["{{ context.nope }}", "context.nope"],
    ["{{ secrets.TOKEN }}", "secrets.TOKEN"],
    ["{{ result.today.9 }}", "result.today.9"],
    ["{{ name.first }}", "name.first"],
    ["{{ result.missing | length }}", "result.missing"],
    ["{{ constructor }}", "constructor"],
    ["{{ context.toString }}", "context.toString"],
    ["{{ __proto__ }}", "__proto__"],
  ];
  for (const [text, variable] of cases) {
    assert.throws(
      () => renderTemplate(`x ${text} y`, scope),
      (error: unknown) => {
        assert.ok(error instanceof TemplateError, text);
        assert.equal(error.variable, variable);
        assert.equal(error.message, `Template variable "${variable}" has no value`);
        return true;
      },
    );
  }
});

Deno.test("renderTemplate() keeps or empties missing variables when asked", () => {
  const text = "a {{ secrets.TOKEN }} b {{ name }} c {{context.nope|upper}}";
  assert.equal(
    renderTemplate(text, scope, { onMissing: "keep" }),
    "a {{ secrets.TOKEN }} b todo-triage c {{context.nope|upper}}",
  );
  assert.equal(renderTemplate(text, scope, { onMissing: "empty" }), "a  b todo-triage c ");
});

Deno.test("renderTemplate() throws on a template it cannot parse or apply, unless keeping", () => {
  const cases: [string, string][] = [
    ["{{ name | lenght }}", 'Unknown template filter "lenght" in "{{ name | lenght }}"'],
    ["{{ }}", 'Empty template in "{{ }}"'],
    ["{{ 1 + 2 }}", 'Template must start with a variable name, not "1 + 2" in "{{ 1 + 2 }}"'],
    [
      "{{ context.n | length }}",
      'Filter "length" cannot apply to a number in "{{ context.n | length }}"',
    ],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => renderTemplate(text, scope), (error: unknown) => {
      assert.ok(error instanceof TemplateError, text);
      assert.equal(error.message, message);
      return true;
    });
    assert.equal(renderTemplate(text, scope, { onMissing: "keep" }), text);
  }
});

Deno.test("findTemplateVariables() lists each variable once, in order, without filters", () => {
  assert.deepEqual(
    findTemplateVariables(
      "{{ env.HOME }} {{secrets.TOKEN}} {{ env.HOME | default(1) }} {{ result.items[0] }} {{ bad | }}",
    ),
    ["env.HOME", "secrets.TOKEN", "result.items.0"],
  );
  assert.deepEqual(findTemplateVariables("plain text"), []);
});

Deno.test("parseTemplate() reports each unusable template with its offsets and a hint", () => {
  const text = "ok {{ a }} then {{ a | lenght }} and {{ a | default }} and {{ a | default(1, 2) }}";
  const { expressions, problems } = parseTemplate(text);
  assert.deepEqual(expressions.map((e) => [e.variable, e.start, e.end]), [["a", 3, 10]]);
  assert.deepEqual(
    problems.map((p) => [p.start, text.slice(p.start, p.end), p.message, p.hint]),
    [
      [16, "{{ a | lenght }}", 'Unknown template filter "lenght"', 'did you mean "length"?'],
      [
        37,
        "{{ a | default }}",
        'Filter "default" takes 1 argument, got 0',
        'write default(0) or default("none")',
      ],
      [
        59,
        "{{ a | default(1, 2) }}",
        'Filter "default" takes 1 argument, got 2',
        'write default(0) or default("none")',
      ],
    ],
  );
  assert.equal(
    parseTemplate("{{ a | length(1) }}").problems[0]?.message,
    'Filter "length" takes no arguments',
  );
  assert.equal(
    parseTemplate("{{ a | default(x) }}").problems[0]?.message,
    'Filter "default" has an argument that is not a number, quoted text, true, false or null',
  );
});
