/**
 * @module
 * Which processes belong to a run.
 */

import assert from "node:assert/strict";
import { ancestorsOf, stillAlive, treeOf } from "../../lib/run/tree.ts";
import { proc } from "../fakes/proc.ts";

Deno.test("treeOf() follows parent links and the root's process group", () => {
  const snap = [
    proc(1, 0),
    proc(100, 50),
    proc(101, 100, { pgid: 100 }),
    proc(102, 100), // Bash tool: new session
    proc(103, 102, { pgid: 102 }),
    proc(104, 1, { pgid: 100 }), // reparented, still in the group
    proc(105, 104, { pgid: 105 }),
    proc(200, 1),
  ];
  assert.deepEqual(treeOf(snap, 100).map((p) => p.pid), [100, 101, 102, 103, 104, 105]);
});

Deno.test("treeOf() still finds children of a root that has exited", () => {
  const snap = [proc(1, 0), proc(101, 100, { pgid: 101 }), proc(102, 101, { pgid: 101 })];
  assert.deepEqual(treeOf(snap, 100).map((p) => p.pid), [101, 102]);
});

Deno.test("treeOf() leaves out zombies", () => {
  const snap = [proc(100, 1), proc(101, 100, { stat: "Z" })];
  assert.deepEqual(treeOf(snap, 100).map((p) => p.pid), [100]);
});

Deno.test("stillAlive() matches by pid and start time", () => {
  const before = [proc(10, 1), proc(11, 1)];
  const now = [proc(10, 1), { ...proc(11, 1), started: "Fri Nov 27 00:00:00 2026" }];
  assert.deepEqual(stillAlive(before, now).map((p) => p.pid), [10]);
});

Deno.test("ancestorsOf() walks up to pid 1", () => {
  const snap = [proc(1, 0), proc(5, 1), proc(9, 5)];
  assert.deepEqual([...ancestorsOf(snap, 9)].sort((a, b) => a - b), [1, 5, 9]);
});
