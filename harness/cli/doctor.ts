// `socklab doctor`: which system tools socklab needs are missing (tcpdump, bubblewrap, nftables, gcc…), and the
// one command that installs them; `--install` runs it (as root, with apt-get).
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { packageFile } from "../install/index.ts";
import { type Command, EXIT } from "./command.ts";

const usage = `Usage: socklab doctor [--install]

Says which system tools socklab uses are missing (tcpdump, bubblewrap, nftables, iproute2, util-linux, Python 3,
gcc and make for submissions built from C) and the one command that installs them. With --install, installs
them with apt-get (as root).`;

export const doctorCommand: Command = {
  name: "doctor",
  summary: "say which system tools are missing and how to install them (--install installs them)",
  usage,
  async run(args, output) {
    const install = args.includes("--install");
    const script = packageFile("scripts", "setup.mjs");
    const result = await promisify(execFile)(process.execPath, [
      script,
      ...(install ? [] : ["--check"]),
    ]).then(
      (done) => ({ code: 0, text: done.stderr }),
      (error: { code?: number; stderr?: string }) => ({ code: error.code ?? 1, text: error.stderr ?? "" }),
    );
    for (const line of result.text.split("\n").filter(Boolean))
      output.out(line.replace(/^socklab setup: /, ""));
    return result.code === 0 ? EXIT.ok : EXIT.failed;
  },
};
