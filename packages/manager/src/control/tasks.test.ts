import { describe, expect, it } from "vitest";
import { createService } from "./services.ts";
import { inspectTask, listTasks } from "./tasks.ts";
import { controlSetup, failure } from "./test-context.ts";

describe("control API: tasks", () => {
  it("lists by service, desired state and slot; inspects by id", async () => {
    const { h, ctx } = await controlSetup();
    h.start();
    await createService(ctx, {
      spec: {
        name: "web",
        mode: { replicated: { replicas: 3 } },
        taskTemplate: { containerSpec: { image: "x" } },
      },
    });
    await h.settle();
    const tasks = await listTasks(ctx, { filters: { service: "web", desiredState: ["running"] } });
    expect(tasks.map((t) => t.slot)).toEqual([1, 2, 3]);
    expect((await listTasks(ctx, { filters: { slot: 2 } })).map((t) => t.slot)).toEqual([2]);
    expect((await inspectTask(ctx, { task: tasks[0]?.id ?? "" })).id).toBe(tasks[0]?.id);
    expect((await failure(listTasks(ctx, { filters: { desiredState: ["sleeping"] } }))).message).toMatch(
      /a task state is one of/,
    );
    expect((await failure(listTasks(ctx, { filters: { service: "nope" } }))).code).toBe("not-found");
    await h.stop();
  });
});
