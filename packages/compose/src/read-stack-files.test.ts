import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { loadStack } from "./load-stack.ts";
import { loadStackFromDisk, readStackObjectData } from "./read-stack-files.ts";

const STACK = `services:
  app:
    image: shop/app
    env_file: [./app.env]
    environment: { LEVEL: debug }
    volumes: ["./data:/data"]
secrets:
  token: { file: ./token.txt }
`;

describe("env_file and files the stack refers to", () => {
  test("the pure loader asks for env files it was not given, with their position", () => {
    const result = loadStack({ files: [{ name: "deploy/stack.yml", text: STACK }], stackName: "s" });
    expect(!result.ok && result.errors[0]).toMatchObject({
      code: "file-needed",
      line: 4,
      path: "services.app.env_file[0]",
      message: 'env_file "./deploy/app.env" was not provided: read it and pass it in attachedFiles',
    });
  });

  test("env_file values come first; environment overrides; bare names come from the environment", () => {
    const result = loadStack({
      files: [{ name: "deploy/stack.yml", text: STACK }],
      stackName: "s",
      env: { FROM_SHELL: "yes" },
      attachedFiles: {
        "./deploy/app.env": "# comment\nLEVEL=info\nDB_URL=postgres://db/x=1\nFROM_SHELL\nUNSET\n",
      },
    });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.services[0]?.taskTemplate.containerSpec.env).toEqual([
      "DB_URL=postgres://db/x=1",
      "FROM_SHELL=yes",
      "LEVEL=debug",
    ]);
    expect(result.secrets[0]?.file).toBe("./deploy/token.txt");
  });

  test("loadStackFromDisk reads the env files and resolves paths against the stack's directory", async () => {
    const dir = mkdtempSync(join(tmpdir(), "shoal-compose-"));
    writeFileSync(join(dir, "stack.yml"), STACK);
    writeFileSync(join(dir, "app.env"), "LEVEL=info\nREGION=eu\n");
    writeFileSync(join(dir, "token.txt"), "s3cret");
    const result = await loadStackFromDisk([join(dir, "stack.yml")], "s", {});
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.services[0]?.taskTemplate.containerSpec.env).toEqual(["LEVEL=debug", "REGION=eu"]);
    expect(result.services[0]?.taskTemplate.containerSpec.mounts[0]?.source).toBe(join(dir, "data"));
    const file = result.secrets[0]?.file ?? "";
    expect(file).toBe(join(dir, "token.txt"));
    expect(Buffer.from(await readStackObjectData(file), "base64").toString()).toBe("s3cret");
  });
});
