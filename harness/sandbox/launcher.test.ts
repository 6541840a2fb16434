import { describe, expect, it } from "vitest";
import type { RunIdentity } from "./identity.ts";
import { hostLaunch, hostPath, namespaceLaunch, sandboxCwd } from "./launcher.ts";
import { DEFAULT_LIMITS } from "./limits.ts";

const ROOT: RunIdentity = {
  isRoot: true,
  uid: 65534,
  gid: 65534,
  prefix: ["setpriv", "--reuid=65534", "--"],
};
const USER: RunIdentity = { isRoot: false, uid: 1001, gid: 1001, prefix: [] };
const paths = { sub: "/tmp/run/.s/sub", work: "/tmp/run/.s/work" };

describe("namespaceLaunch", () => {
  it("joins the holder's namespaces, limits, and runs bwrap with the program last", () => {
    const plan = namespaceLaunch(
      { argv: ["/usr/bin/python3", "server.py"] },
      {
        holderPid: 4321,
        identity: USER,
        limits: DEFAULT_LIMITS,
        paths,
      },
    );
    expect(plan.file).toBe("nsenter");
    const line = plan.args.join(" ");
    expect(line).toContain("--target=4321 --user --net --mount --pid=/proc/4321/ns/pid_for_children");
    // Entering the run's user namespace leaves no inheritable or ambient capability, and bwrap runs as a uid
    // other than 0 there: no setpriv between them (test/e2e/sandbox-programs checks the program's capabilities).
    expect(line).not.toContain("setpriv");
    expect(line).toContain("--preserve-credentials -- prlimit");
    // The run as a whole may hold many processes; the program's own limit is set inside its user namespace.
    expect(line).toContain("prlimit --cpu=10:11 --as=1073741824 --nproc=4096");
    expect(line).toContain("ulimit -u 128"); // the reporter's bash, without a control group
    expect(line).toContain("--die-with-parent --new-session --disable-userns");
    expect(line).toContain("--ro-bind /tmp/run/.s/sub /sub --bind /tmp/run/.s/work /work");
    expect(line).toContain("--chdir /work --clearenv --setenv PATH /usr/bin:/bin --setenv HOME /work");
    expect(plan.args.slice(-2)).toEqual(["/usr/bin/python3", "server.py"]);
  });

  it("puts the uid drop first when the grader is root", () => {
    const plan = namespaceLaunch(
      { argv: ["true"] },
      { holderPid: 1, identity: ROOT, limits: DEFAULT_LIMITS, paths },
    );
    expect([plan.file, ...plan.args.slice(0, 3)]).toEqual(["setpriv", "--reuid=65534", "--", "nsenter"]);
  });

  it("binds extra read-only paths and honours the working directory", () => {
    const plan = namespaceLaunch(
      { argv: ["python3"], cwd: "part2", readOnlyBinds: ["/opt/py"] },
      { holderPid: 1, identity: USER, limits: DEFAULT_LIMITS, paths },
    );
    expect(plan.args.join(" ")).toContain("--ro-bind /opt/py /opt/py --chdir /work/part2");
  });
});

describe("hostLaunch", () => {
  it("drops to the unprivileged uid with capabilities and limits, in a new session", () => {
    const plan = hostLaunch(
      { argv: ["python3", "x.py"], cwd: "/sub" },
      {
        identity: ROOT,
        limits: DEFAULT_LIMITS,
        paths,
        runToken: "SOCKLAB_RUN=abc",
      },
    );
    expect(plan.file).toBe("setpriv");
    expect(plan.args.join(" ")).toMatch(/^--reuid=65534 --regid=65534 --clear-groups --inh-caps=-all/);
    expect(plan.args).toContain("SOCKLAB_RUN=abc");
    expect(plan.args).toContain("HOME=/tmp/run/.s/work");
    expect(plan.detached).toBe(true);
    expect(plan.cwd).toBe("/tmp/run/.s/sub");
  });
});

describe("paths", () => {
  it.each([
    [undefined, "/work"],
    ["", "/work"],
    ["a/b", "/work/a/b"],
    ["/sub", "/sub"],
    ["/work/../tmp", "/tmp"],
  ])("sandboxCwd(%j) is %s", (cwd, expected) => {
    expect(sandboxCwd(cwd)).toBe(expected);
  });

  it("maps /work and /sub to the host in host mode, and leaves other paths", () => {
    expect(hostPath("/work/a", paths)).toBe("/tmp/run/.s/work/a");
    expect(hostPath("/sub", paths)).toBe("/tmp/run/.s/sub");
    expect(hostPath("/workshop", paths)).toBe("/workshop");
  });
});

describe("a launch with a control group", () => {
  const paths = { sub: "/tmp/run/.s/sub", work: "/tmp/run/.s/work" };
  const user = { isRoot: false, uid: 1000, gid: 1000, prefix: [] };

  it("closes stray descriptors and joins the group first, then execs the program with 0-2 only (no wrapper left)", () => {
    const plan = namespaceLaunch(
      { argv: ["python3", "server.py"] },
      {
        holderPid: 7,
        identity: user,
        limits: DEFAULT_LIMITS,
        paths,
        cgroupProcs: ["/cg/a/cgroup.procs"],
        seccompFile: "/stage/seccomp.bpf",
      },
    );
    expect([plan.file, ...plan.args.slice(0, 6)]).toEqual([
      "/bin/bash",
      "--norc",
      "-c",
      expect.stringContaining('echo $$ 2>/dev/null >"$1"'),
      "socklab-launch",
      "/cg/a/cgroup.procs",
      "--",
    ]);
    // Every descriptor above 2 is closed but the filter's, which socklab opens at 9 for bubblewrap.
    expect(plan.args[2]).toContain("case $n in 0|1|2|9) ;;");
    expect(plan.files).toEqual({ 9: "/stage/seccomp.bpf" });
    expect(plan.args.join(" ")).toContain("--seccomp 9");
    // One process per step: the start shell, nsenter, prlimit, bwrap, the starter, the program.
    expect(plan.args.filter((a) => ["nsenter", "prlimit", "bwrap"].includes(a))).toEqual([
      "nsenter",
      "prlimit",
      "bwrap",
    ]);
    const start = plan.args[plan.args.indexOf("student") - 1]!;
    // dash: the process limit is its -p, and its exec adds nothing to the environment once PWD is unset.
    expect(start).toMatch(/^ulimit -(p|u) 128 /);
    expect(start).toMatch(/exec "\$@"$/);
    expect(start).not.toContain("times");
    expect(plan.args.slice(-2)).toEqual(["python3", "server.py"]);
  });
});
