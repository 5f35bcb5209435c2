/**
 * @module
 * Doctor's home check: no home, a `tasks` that is a file, a home that cannot be written, one
 * others may read, a private writable one, and one without a tasks folder.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { checkHome } from "../../lib/doctor/checks/home.ts";
import { doctorScene } from "./context.ts";

Deno.test("checkHome() fails with the init fix when the home does not exist", async () => {
  await using s = await doctorScene({ home: false });
  const ctx = s.ctx();
  assert.deepEqual(await checkHome(ctx), [{
    id: "home",
    status: "fail",
    message: `The state folder ${ctx.paths.home} does not exist`,
    fix: "run: clodputer init",
  }]);
});

Deno.test("checkHome() is ok for a private, writable home with a tasks folder, and leaves no probe", async () => {
  await using s = await doctorScene();
  const ctx = s.ctx();
  assert.deepEqual(await checkHome(ctx), [{
    id: "home",
    status: "ok",
    message: `State folder ${ctx.paths.home} (mode 0700, writable)`,
  }]);
  const left = await Array.fromAsync(Deno.readDir(ctx.paths.home), (e) => e.name);
  assert.deepEqual(left, ["tasks"]);
});

Deno.test("checkHome() reports a tasks file first, with the commands that make it a folder", async () => {
  await using s = await doctorScene({ tasksFolder: false });
  const { paths } = s.ctx();
  await Deno.writeTextFile(paths.tasks, "not a folder");
  const results = await checkHome(s.ctx());
  assert.deepEqual(results[0], {
    id: "home:tasks-folder",
    status: "fail",
    message: `${paths.tasks} is not a folder: no task can be listed, run or scheduled`,
    fix:
      `move it aside and make the folder: mv ${paths.tasks} ${paths.tasks}.old && mkdir ${paths.tasks}`,
  });
  assert.deepEqual(results.map((r) => r.id), ["home:tasks-folder", "home"], "no home:tasks");
});

Deno.test("checkHome() warns, with chmod 700, when others may read the home", async () => {
  await using s = await doctorScene();
  const { paths } = s.ctx();
  await Deno.chmod(paths.home, 0o755);
  assert.deepEqual(await checkHome(s.ctx()), [{
    id: "home",
    status: "warn",
    message: `The state folder ${paths.home} is readable by others (mode 0755)`,
    fix: `chmod 700 ${paths.home}`,
  }]);
});

Deno.test("checkHome() fails when nothing can be written in the home", async () => {
  await using s = await doctorScene();
  const ctx = s.ctx({ selfPid: 4242 });
  // The probe's own name taken by a folder: no write succeeds there, even as root.
  await Deno.mkdir(join(ctx.paths.home, ".doctor-4242"));
  await Deno.chmod(ctx.paths.home, 0o755);
  assert.deepEqual(await checkHome(ctx), [{
    id: "home",
    status: "fail",
    message: `The state folder ${ctx.paths.home} is not writable`,
    fix: `make it yours and writable: chmod u+rwx ${ctx.paths.home}`,
  }], "not writable comes before readable by others");
});

Deno.test("checkHome() warns with the init fix when there is no tasks folder", async () => {
  await using s = await doctorScene({ tasksFolder: false });
  const { paths } = s.ctx();
  const results = await checkHome(s.ctx());
  assert.deepEqual(results.map((r) => [r.id, r.status]), [["home", "ok"], ["home:tasks", "warn"]]);
  assert.deepEqual(results[1], {
    id: "home:tasks",
    status: "warn",
    message: `There is no tasks folder (${paths.tasks})`,
    fix: "run: clodputer init",
  });
});
