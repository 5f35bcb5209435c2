/**
 * @module
 * Secret values never reach records or logs.
 */

import assert from "node:assert/strict";
import {
  isSecretName,
  redact,
  redactDeep,
  secretEnvValues,
  StreamRedactor,
} from "../../lib/log/redact.ts";

Deno.test("redact() replaces every occurrence, longest secret first", () => {
  assert.equal(
    redact("token sk-abc123 and sk-abc123x", ["sk-abc123", "sk-abc123x"]),
    "token [redacted] and [redacted]",
  );
});

Deno.test("redact() leaves very short values alone", () => {
  assert.equal(redact("a b c", ["a"]), "a b c");
});

Deno.test("redactDeep() walks arrays and objects", () => {
  assert.deepEqual(
    redactDeep({ argv: ["--", "use s3cr3t-value"], n: 1, nested: { x: "s3cr3t-value" } }, [
      "s3cr3t-value",
    ]),
    { argv: ["--", "use [redacted]"], n: 1, nested: { x: "[redacted]" } },
  );
});

// Credential-shaped values are built from parts, so no file of ours holds one whole (a scanner
// of pushed code would stop it), and none is a real credential.
const x = (n: number, c = "a1B2") => c.repeat(Math.ceil(n / c.length)).slice(0, n);
const SHAPED: [string, string][] = [
  ["Anthropic API key", `sk-${"ant"}-api03-${x(40)}`],
  ["OpenAI project key", `sk-${"proj"}-${x(48)}`],
  ["OpenAI legacy key", `sk-${x(20)}T3Blbk${"FJ"}${x(20)}`],
  ["GitHub token", `gh${"p"}_${x(36)}`],
  ["GitHub app token", `gh${"s"}_${x(36)}`],
  ["GitHub fine-grained token", `github${"_pat"}_${x(82)}`],
  ["GitLab token", `gl${"pat"}-${x(20)}`],
  ["Slack bot token", `xo${"xb"}-123456789012-${x(24)}`],
  ["Slack webhook URL", `https://hooks.slack.com/ser${"vices"}/T0000000/B0000000/${x(24)}`],
  ["AWS access key id", `AK${"IA"}${"ABCDEFGHIJKLMNOP"}`],
  ["Google API key", `AI${"za"}${x(35)}`],
  ["JWT", `ey${"J"}${x(20)}.ey${"J"}${x(30)}.${x(43)}`],
];

Deno.test("redact() removes credential-shaped values wherever they come from", () => {
  for (const [name, value] of SHAPED) {
    const text = `before ${value} after`;
    assert.equal(redact(text, []), "before [redacted] after", name);
    assert.equal(redact(`"${value}"`, []), '"[redacted]"', `${name}, quoted`);
  }
});

Deno.test("redact() keeps a URL whole but its password; a PEM private key block goes whole", () => {
  assert.equal(
    redact("fetch postgres://app:hunter2hunter@db.example:5432/x failed", []),
    "fetch postgres://app:[redacted]@db.example:5432/x failed",
  );
  assert.equal(redact("see https://example.com/a:b@c", []), "see https://example.com/a:b@c");
  const pem = `-----BEGIN ${"RSA PRIVATE"} KEY-----\nMIIEow\nIBAAK\n-----END RSA PRIVATE KEY-----`;
  assert.equal(redact(`key:\n${pem}\ndone`, []), "key:\n[redacted]\ndone");
  const cut = `-----BEGIN ${"OPENSSH PRIVATE"} KEY-----\nb3Blbn\n`; // truncated output
  assert.equal(redact(`x ${cut}`, []), "x [redacted]");
});

Deno.test("redact() leaves ordinary text alone", () => {
  const text = [
    "git@github.com:owner/repo.git",
    "https://example.com/path?q=1",
    "sk-short",
    "a jwt-like eyJhbGci without dots",
    "ghp_tooShort",
    "AKIA is four letters",
    "-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----",
  ].join("\n");
  assert.equal(redact(text, []), text);
});

Deno.test("secretEnvValues() takes the values of variables whose names look secret", () => {
  const value = "v4lue-long-enough";
  const secret = [
    "AWS_SECRET_ACCESS_KEY",
    "SLACK_WEBHOOK_URL",
    "NPM_AUTH",
    "GITHUB_TOKEN",
    "db_password",
    "DB_PASS",
    "MYSQL_PWD_PASSWD",
    "OPENAI_API_KEY",
    "apikey",
    "STRIPE_KEY",
    "KEY_MATERIAL",
    "PRIVATE_KEY",
    "GOOGLE_APPLICATION_CREDENTIALS",
    "SESSION_COOKIE",
    "SENTRY_DSN",
    "X_AUTH_HEADER",
  ];
  const plain = ["PATH", "HOME", "GIT_AUTHOR_NAME", "PASSENGER", "KEYBOARD", "MONKEY", "LANG"];
  for (const name of secret) assert.ok(isSecretName(name), name);
  for (const name of plain) assert.ok(!isSecretName(name), name);
  const env = Object.fromEntries([...secret, ...plain].map((n) => [n, value]));
  assert.equal(secretEnvValues(env).length, secret.length);
  assert.deepEqual(secretEnvValues({ GITHUB_TOKEN: "1", API_KEY: "short" }), [], "short values");
});

Deno.test("StreamRedactor redacts across chunks, holds a PEM block to its end, and ends clean", () => {
  const token = `gh${"p"}_${x(36)}`;
  const r = new StreamRedactor(["hunter2hunter2"]);
  let out = "";
  for (const chunk of [`a ${token.slice(0, 10)}`, `${token.slice(10)} b\nhun`, "ter2hunter2\n"]) {
    out += r.push(chunk);
  }
  out += r.push(`-----BEGIN ${"EC PRIVATE"} KEY-----\nAAAA\n`);
  assert.equal(out, "a [redacted] b\n[redacted]\n", "the block is held");
  out += r.push("BBBB\n-----END EC PRIVATE KEY-----\ntail");
  out += r.end();
  assert.equal(out, "a [redacted] b\n[redacted]\n[redacted]\ntail");
});
