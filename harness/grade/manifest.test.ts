import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "../schema/index.ts";
import { loadManifest, substitute, type TaskSchemaInfo, validateManifest } from "./manifest.ts";
import { ManifestError } from "./manifest-error.ts";

const known: TaskSchemaInfo[] = [
  { id: "tcp-echo", defaults: { host: "127.0.0.1", port: 65432 }, options: z.object({}) },
  {
    id: "struct-binary",
    defaults: { host: "localhost", port: 10001 },
    options: z.object({
      format: z.string().default("=iif"),
      values: z.array(z.number()).default([1, 4, 2.7]),
    }),
  },
];

function error(value: unknown): string {
  try {
    validateManifest(value, "sub/socklab.yaml", known);
  } catch (e) {
    expect(e).toBeInstanceOf(ManifestError);
    return (e as Error).message;
  }
  throw new Error("no error");
}

describe("validateManifest", () => {
  it("fills defaults and keeps task options", () => {
    const m = validateManifest(
      {
        student: "Ana",
        tasks: {
          "tcp-echo": { server: "python3 s.py", client: "python3 c.py", port: 6000 },
          "struct-binary": { server: "python3 s.py", client: "python3 c.py", format: "!iif" },
        },
      },
      "socklab.yaml",
      known,
    );
    expect(m.student).toBe("Ana");
    expect(m.tasks.get("tcp-echo")).toMatchObject({ host: "127.0.0.1", port: 6000, options: {} });
    expect(m.tasks.get("struct-binary")).toMatchObject({
      port: 10001,
      options: { format: "!iif", values: [1, 4, 2.7] },
    });
  });

  it.each([
    [
      { tasks: { "tcp-ech": { server: "a", client: "b" } } },
      /sub\/socklab\.yaml: tasks\.tcp-ech: unknown task \(did you mean 'tcp-echo'\?\)/,
    ],
    [{ tasks: { "tcp-echo": { server: "a" } } }, /tasks\.tcp-echo\.client: /],
    [{ tasks: { "tcp-echo": { server: "a", client: "b", port: "x" } } }, /tasks\.tcp-echo\.port: .*number/],
    [{ tasks: { "tcp-echo": { server: "a", client: "b", port: 70000 } } }, /tasks\.tcp-echo\.port: /],
    [{ tasks: { "tcp-echo": { sever: "a", client: "b" } } }, /tasks\.tcp-echo/],
    [
      { tasks: { "struct-binary": { server: "a", client: "b", values: [1, "x"] } } },
      /tasks\.struct-binary\.values\[1\]/,
    ],
    [{ student: "x", tasks: {}, extra: 1 }, /extra/],
    [{ student: "x".repeat(201), tasks: {} }, /student: Too big: expected string to have <=200 characters/],
  ])("names the file and the key: %j", (value, message) => {
    expect(error(value)).toMatch(message);
  });
});

describe("cwd and env of a task", () => {
  it("keeps a subfolder and the variables, numbers as text", () => {
    const manifest = validateManifest(
      {
        tasks: {
          "tcp-echo": {
            server: "python3 server.py",
            client: "python3 client.py",
            cwd: "part1/echo",
            env: { SERVER_PORT: "{port}", RETRIES: 3 },
          },
        },
      },
      "sub/socklab.yaml",
      known,
    );
    expect(manifest.tasks.get("tcp-echo")).toMatchObject({
      cwd: "part1/echo",
      env: { SERVER_PORT: "{port}", RETRIES: "3" },
    });
  });

  it.each([
    ["/etc", "tasks.tcp-echo.cwd"],
    ["../other", "tasks.tcp-echo.cwd"],
  ])("refuses a cwd outside the submission (%s)", (cwd, key) => {
    expect(error({ tasks: { "tcp-echo": { server: "s", client: "c", cwd } } })).toContain(key);
  });

  it("refuses a variable name that is not one", () => {
    expect(
      error({ tasks: { "tcp-echo": { server: "s", client: "c", env: { "NOT A NAME": "1" } } } }),
    ).toContain("an environment variable name");
  });
});

describe("the protocol description", () => {
  const protocol = {
    messages: [
      {
        name: "reading",
        from: "client",
        format: "!BHIfff?",
        fields: ["type", "sensor", "seq", "t", "h", "p", "alarm"],
        sequence: "seq",
      },
      { name: "reply", from: "server", format: "!BI?", fields: ["type", "seq", "ok"] },
    ],
  };

  it("is checked and kept", () => {
    const m = validateManifest({ protocol, tasks: {} }, "socklab.yaml", known);
    expect(m.protocol?.messages.map((msg) => msg.name)).toEqual(["reading", "reply"]);
    expect(validateManifest({ tasks: {} }, "socklab.yaml", known).protocol).toBeNull();
  });

  it("names the file and the key of a mistake", () => {
    const bad = { messages: [{ ...protocol.messages[0], fields: ["type"] }, protocol.messages[1]] };
    expect(error({ protocol: bad, tasks: {} })).toMatch(
      /sub\/socklab\.yaml: protocol\.messages\[0\]\.fields: .*7 values.*1 field/,
    );
  });
});

describe("substitute", () => {
  it("replaces known placeholders and keeps unknown ones", () => {
    expect(substitute("python3 c.py {host} {port} {other}", { host: "localhost", port: 5005 })).toBe(
      "python3 c.py localhost 5005 {other}",
    );
  });
});

describe("validateManifest with several problems", () => {
  it("lists every problem of every task in one error", () => {
    const message = error({
      tasks: {
        "tcp-echo": { server: "a", client: "b", port: "x" },
        "struct-binary": { server: "a", values: [1, "x"] },
        "udp-echo": { server: "a", client: "b" },
      },
    });
    expect(message).toMatch(/tasks\.tcp-echo\.port: /);
    expect(message).toMatch(/tasks\.struct-binary\.client: /);
    expect(message).toMatch(/tasks\.struct-binary\.values\[1\]/);
    expect(message).toMatch(/tasks\.udp-echo: unknown task/);
    expect(message).not.toContain("\n");
  });
});

describe("loadManifest", () => {
  it("refuses a manifest over 256 KiB, naming the file and the limit", async ({ onTestFinished }) => {
    const dir = await mkdtemp(join(tmpdir(), "socklab-manifest-"));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    await writeFile(join(dir, "socklab.yaml"), `student: x\n# ${"x".repeat(300 * 1024)}\ntasks: {}\n`);
    await expect(loadManifest(dir, known)).rejects.toThrow(
      /socklab\.yaml: is 301 KiB; a manifest may be at most 256 KiB/,
    );
  });
});

describe("loadManifest names the line and column of each mistake", () => {
  it("a wrong value, an unknown key and a protocol mistake, each where it is written", async ({
    onTestFinished,
  }) => {
    const dir = await mkdtemp(join(tmpdir(), "socklab-manifest-"));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const text = [
      "tasks:",
      "  tcp-echo:",
      "    server: python3 s.py",
      "    client: python3 c.py",
      "    prot: 5",
      "  struct-binary:",
      "    server: python3 s.py",
      "    client: python3 c.py",
      "    values: [1, x]",
      "protocol:",
      "  messages:",
      "    - { name: r, from: client, format: '!BI', fields: [a] }",
      "",
    ].join("\n");
    await writeFile(join(dir, "socklab.yaml"), text);
    const message = await loadManifest(dir, known).then(
      () => "",
      (e: Error) => e.message,
    );
    expect(message).toMatch(/tasks\.tcp-echo\.prot \(line 5, column 11\): /);
    expect(message).toMatch(/tasks\.struct-binary\.values\[1\] \(line 9, column 17\): /);
    expect(message).toMatch(/protocol\.messages\[0\]\.fields \(line 12, column \d+\): /);
    expect(message).not.toContain("\n");
  });

  it("struct-binary's values that its format cannot pack: refused before anything runs", async ({
    onTestFinished,
  }) => {
    const { TASKS } = await import("../../tasks/index.ts");
    const dir = await mkdtemp(join(tmpdir(), "socklab-manifest-"));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    await writeFile(
      join(dir, "socklab.yaml"),
      "tasks:\n  struct-binary:\n    server: python3 s.py\n    client: python3 c.py\n    format: '!H'\n",
    );
    await expect(loadManifest(dir, TASKS)).rejects.toThrow(
      /tasks\.struct-binary\.values \(line 3, column 5\): do not fit the format "!H": pack expected 1 items for packing \(got 3\)/,
    );
  });
});

describe("build:", () => {
  const tasks = { "tcp-echo": { server: "./server", client: "./client" } };
  it("is one command, with a 60 s limit", () => {
    expect(validateManifest({ build: "make", tasks }, "socklab.yaml", known).build).toEqual({
      command: "make",
      timeoutSeconds: 60,
    });
  });
  it("or a command with its own limit", () => {
    const build = { command: "cc -o server server.c", timeout: 120 };
    expect(validateManifest({ build, tasks }, "socklab.yaml", known).build).toEqual({
      command: "cc -o server server.c",
      timeoutSeconds: 120,
    });
  });
  it("refuses anything else, naming the key", () => {
    expect(error({ build: { cmd: "make" }, tasks })).toMatch(/build/);
    expect(error({ build: "", tasks })).toMatch(/build/);
    expect(error({ build: { command: "make", timeout: 0 }, tasks })).toMatch(/build\.timeout/);
  });
  it("is null without one", () => {
    expect(validateManifest({ tasks }, "socklab.yaml", known).build).toBeNull();
  });
});
