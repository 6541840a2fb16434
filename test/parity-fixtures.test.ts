// socklab analyse --json held to tshark on the parity fixtures (fixtures/captures/parity/), against tshark's
// view stored beside each capture (scripts/parity-expectations.mjs): the frame-by-frame comparison of
// test/e2e/tshark-parity.test.ts on a few small real captures, without tshark or root.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compareCapture } from "./support/parity/compare.ts";
import { formatDiscrepancies } from "./support/parity/discrepancy.ts";
import type { TsharkView } from "./support/parity/tshark.ts";

const folder = join(import.meta.dirname, "..", "fixtures", "captures", "parity");
const captures = readdirSync(folder).filter((name) => /\.pcap(ng)?$/.test(name));

describe("socklab analyse agrees with tshark's stored view of the parity fixtures", () => {
  it("has a stored view for every capture", () => {
    expect(captures.length).toBeGreaterThan(0);
    const views = readdirSync(folder).filter((name) => name.endsWith(".tshark.json"));
    expect(views.sort()).toEqual(captures.map((name) => `${name}.tshark.json`).sort());
  });

  it.each(captures)("%s", async (name) => {
    const view = JSON.parse(readFileSync(join(folder, `${name}.tshark.json`), "utf8")) as TsharkView;
    const list = await compareCapture(join(folder, name), view);
    expect(formatDiscrepancies(name, list, 8)).toBe(`${name}: no discrepancies`);
  });
});
