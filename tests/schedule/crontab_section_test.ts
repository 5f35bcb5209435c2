/**
 * @module
 * The crontab section as text: foreign lines kept byte for byte, idempotence, removal, quoting
 * for cron and /bin/sh.
 */

import assert from "node:assert/strict";
import {
  BEGIN,
  crontabUnsafe,
  END,
  entryCommand,
  findSection,
  parseEntry,
  renderSection,
  sectionEntry,
  shWord,
  spliceSection,
} from "../../lib/schedule/crontab_section.ts";

const SECTION = renderSection({
  argv: ["/opt/homebrew/bin/clodputer", "tick"],
  env: { PATH: "/opt/homebrew/bin:/usr/bin:/bin", SHELL: "/bin/sh" },
});

const FOREIGN_TABLES: [string, string][] = [
  ["empty", ""],
  ["comments, variables, blank lines", "# mine\nMAILTO=me@example.com\n\n0 5 * * * /bin/true\n\n"],
  ["no final newline", "SHELL=/bin/zsh\n0 5 * * * backup.sh"],
  ["only a comment without newline", "# keep me"],
  ["CRLF lines and tabs", "0\t5 * * *\t/bin/true\r\n# crlf\r\n"],
  ["percent signs", "0 5 * * * date +\\%F >> /tmp/log\n"],
];

Deno.test("renderSection() writes one tick entry between begin and end, and points to clodputer list instead of naming tasks", () => {
  const lines = SECTION.split("\n");
  assert.ok(lines[0]?.startsWith(BEGIN));
  assert.equal(lines.at(-2), END);
  assert.equal(lines.at(-1), "");
  // A list of tasks here would lag every edit until the next install.
  assert.deepEqual(lines.filter((l) => l.startsWith("#") && l !== lines[0] && l !== END), [
    "# Every minute, tick queues the scheduled tasks that are due: see them with clodputer list",
  ]);
  const entries = lines.filter((l) => !l.startsWith("#") && l !== "");
  assert.deepEqual(entries, [
    "* * * * * PATH=/opt/homebrew/bin:/usr/bin:/bin SHELL=/bin/sh /opt/homebrew/bin/clodputer tick",
  ]);
});

Deno.test("spliceSection() keeps every other byte: install then uninstall gives the table back", () => {
  for (const [name, table] of FOREIGN_TABLES) {
    const installed = spliceSection(table, SECTION);
    assert.ok(installed.endsWith(table), `${name}: foreign bytes follow the section untouched`);
    assert.equal(spliceSection(installed, SECTION), installed, `${name}: idempotent`);
    assert.equal(spliceSection(installed, undefined), table, `${name}: round trip`);
    assert.equal(spliceSection(table, undefined), table, `${name}: nothing to remove`);
  }
});

Deno.test("spliceSection() replaces a section where it stands, even moved by hand", () => {
  const table = `# top\n0 1 * * * a\n${SECTION}0 2 * * * b\n# tail`;
  const newer = renderSection({ argv: ["/usr/local/bin/clodputer", "tick"], env: {} });
  const out = spliceSection(table, newer);
  assert.equal(out, `# top\n0 1 * * * a\n${newer}0 2 * * * b\n# tail`);
  assert.equal(spliceSection(out, undefined), "# top\n0 1 * * * a\n0 2 * * * b\n# tail");
});

Deno.test("findSection() refuses a begin line without its end line", () => {
  assert.throws(() => findSection(`${BEGIN}\n* * * * * x tick\n`), /no matching "# END clodputer"/);
  assert.equal(findSection("0 5 * * * clodputer tick\n"), undefined);
});

Deno.test("entryCommand() quotes for /bin/sh and escapes % for cron; parseEntry() reads it back", () => {
  const home = `/Users/me/My "odd" folder's 100% sure`;
  const argv = ["/Applications/Clodputer Tools/clodputer", "tick"];
  const env = { PATH: "/usr/bin:/bin", CLODPUTER_HOME: home };
  const command = entryCommand(argv, env);
  assert.equal(
    command,
    `PATH=/usr/bin:/bin CLODPUTER_HOME='/Users/me/My "odd" folder'\\''s 100\\% sure' ` +
      `'/Applications/Clodputer Tools/clodputer' tick`,
  );
  assert.ok(!/(^|[^\\])%/.test(command), "no bare % (cron would end the command there)");
  assert.deepEqual(parseEntry(`* * * * * ${command}`), { schedule: "* * * * *", env, argv });
  assert.deepEqual(sectionEntry(SECTION)?.argv, ["/opt/homebrew/bin/clodputer", "tick"]);
});

Deno.test("entryCommand() is what /bin/sh runs, word for word, after cron's % handling", async () => {
  const weird = ["it's", "a b", "$(touch /tmp/clodputer-pwned)", "; echo no", "100%", "`x`", "*"];
  const script = `printf '%s\\n' "$@" "$V"`;
  const command = entryCommand(["/bin/sh", "-c", script, "sh", ...weird], { V: "x'y %" });
  // cron: `\%` becomes `%` (and a bare `%` would end the command); then /bin/sh -c.
  const forSh = command.replaceAll("\\%", "%");
  const out = await new Deno.Command("/bin/sh", {
    args: ["-c", forSh],
    clearEnv: true,
    env: { PATH: "/usr/bin:/bin" },
    stdout: "piped",
  }).output();
  assert.equal(new TextDecoder().decode(out.stdout), [...weird, "x'y %", ""].join("\n"));
});

Deno.test("shWord() and crontabUnsafe()", () => {
  assert.equal(shWord("/usr/bin/clodputer"), "/usr/bin/clodputer");
  assert.equal(shWord("a b"), "'a b'");
  assert.equal(crontabUnsafe("/ok/path with space%"), undefined);
  assert.match(crontabUnsafe("/a\nb") ?? "", /line break/);
  assert.match(crontabUnsafe("C:\\x") ?? "", /backslash/);
});
