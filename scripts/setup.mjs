#!/usr/bin/env node
// Installs what socklab needs and is missing: npm dependencies, and the system tools (tcpdump, bubblewrap,
// nftables, gcc and make for submissions built from C; tshark too with --test) through apt-get when root, or one line naming the packages when not.
// Runs before `npm start`, `npm test` and `npm run bench`; does nothing when everything is there.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const forTests = process.argv.includes("--test");
// --check: only say what is missing (`socklab doctor`), install nothing.
const checkOnly = process.argv.includes("--check");

function say(line) {
  process.stderr.write(`socklab setup: ${line}\n`);
}

function have(command) {
  return spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;
}

// npm dependencies: install from the lock when node_modules is missing or older than the lock. An installed
// socklab (no lock file: its npm package runs from the one-file build) needs none.
const lockStamp = join(root, "node_modules", ".package-lock.json");
if (!checkOnly && existsSync(join(root, "package-lock.json")) && !existsSync(lockStamp)) {
  say("installing npm dependencies (npm ci)");
  execFileSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: root, stdio: "inherit" });
}

// System tools, by the Debian package that provides each.
const tools = [
  { command: "tcpdump", pkg: "tcpdump" },
  { command: "bwrap", pkg: "bubblewrap" },
  { command: "nft", pkg: "nftables" },
  { command: "unshare", pkg: "util-linux" },
  { command: "ip", pkg: "iproute2" },
  { command: "ss", pkg: "iproute2" },
  { command: "python3", pkg: "python3" },
  // A submission's `build:` step (C sources, a Makefile): the compiler, its C library headers, make.
  { command: "cc", pkg: "gcc" },
  { command: "make", pkg: "make" },
];
if (forTests) {
  tools.push({ command: "tshark", pkg: "tshark" }, { command: "editcap", pkg: "tshark" });
}
const missing = [...new Set(tools.filter((t) => !have(t.command)).map((t) => t.pkg))];
if (!existsSync("/usr/include/stdio.h")) missing.push("libc6-dev");
if (missing.length === 0 && checkOnly) say("every system tool socklab uses is installed");
if (missing.length > 0) {
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (isRoot && have("apt-get") && !checkOnly) {
    say(`installing ${missing.join(" ")} with apt-get`);
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
    execFileSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...missing], {
      stdio: "inherit",
      env,
    });
  } else {
    say(`missing system packages: install them with: sudo apt-get install ${missing.join(" ")}`);
    process.exitCode = 1;
  }
}
