// Writes tshark's view of each parity fixture (fixtures/captures/parity/*.pcap, *.pcapng) beside it as
// CAPTURE.tshark.json, for test/parity-fixtures.test.ts to hold socklab analyse to without running tshark.
// Needs tshark 4.0 (the version socklab reproduces).
//
// Usage: node scripts/parity-expectations.mjs              the expectations of the fixtures there
//        node scripts/parity-expectations.mjs --from DIR   first copy FIXTURES from a corpus made by
//                                                          `python3 test/support/parity/generate.py DIR`
import { execFileSync } from "node:child_process";
import { copyFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { register } from "tsx/esm/api";

const root = join(import.meta.dirname, "..");
const folder = join(root, "fixtures", "captures", "parity");

/** The corpus's captures kept as fixtures (each under ~30 KB; fixtures/captures/parity/README.md says why). */
const FIXTURES = [
  "keepalive.ns.pcapng",
  "port-reuse-rst.pcap",
  "zero-window.snap68.pcap",
  "seq-wrap.snap68.pcap",
  "vlan-qinq.snap68.pcap",
  "ip-options.pcap",
  "router-multilink.snap68.pcapng",
  "icmp-orphans.snap160.pcap",
];
// Kept as they are (not in a corpus): clock-back.ms.pcapng, the first 60 frames of an IPv6 transfer whose
// frames were spread over pcapng interfaces of 1 ms and finer resolutions, so that some are stamped before
// the frame they follow (tshark: out-of-order, not retransmission nor fast retransmission).

const version = execFileSync("tshark", ["--version"], { encoding: "utf8" }).split("\n")[0];
if (!/ 4\.0\.\d+ /.test(`${version} `)) {
  process.stderr.write(`parity-expectations: needs tshark 4.0, found: ${version}\n`);
  process.exit(2);
}
const from = process.argv.indexOf("--from");
if (from >= 0) {
  for (const name of FIXTURES) copyFileSync(join(process.argv[from + 1], name), join(folder, name));
}
register();
const { tsharkView } = await import("../test/support/parity/tshark.ts");
for (const name of readdirSync(folder).filter((n) => /\.pcap(ng)?$/.test(n))) {
  const view = await tsharkView(join(folder, name));
  writeFileSync(join(folder, `${name}.tshark.json`), `${JSON.stringify({ tshark: version, ...view })}\n`);
  process.stdout.write(`${name}: ${view.frames.length} frames\n`);
}
