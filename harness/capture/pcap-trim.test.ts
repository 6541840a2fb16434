import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { trimPartialRecord } from "./pcap-trim.ts";

function header(): Buffer {
  const h = Buffer.alloc(24);
  h.writeUInt32LE(0xa1b2c3d4, 0);
  h.writeUInt16LE(2, 4);
  h.writeUInt16LE(4, 6);
  h.writeUInt32LE(262144, 16);
  h.writeUInt32LE(1, 20);
  return h;
}

function record(length: number): Buffer {
  const r = Buffer.alloc(16 + length, 0xab);
  r.writeUInt32LE(1, 0);
  r.writeUInt32LE(0, 4);
  r.writeUInt32LE(length, 8);
  r.writeUInt32LE(length, 12);
  return r;
}

describe("trimPartialRecord", () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
  const file = async (data: Buffer) => {
    const dir = await mkdtemp(join(tmpdir(), "socklab-trim-"));
    dirs.push(dir);
    const path = join(dir, "capture.pcap");
    await writeFile(path, data);
    return path;
  };

  it("drops a record cut in its data, and one cut in its header", async () => {
    const whole = Buffer.concat([header(), record(60), record(100)]);
    const cutData = await file(Buffer.concat([whole, record(500).subarray(0, 200)]));
    expect(await trimPartialRecord(cutData)).toEqual({ records: 2, droppedBytes: 200 });
    expect(await readFile(cutData)).toEqual(whole);
    const cutHeader = await file(Buffer.concat([whole, record(500).subarray(0, 9)]));
    expect(await trimPartialRecord(cutHeader)).toEqual({ records: 2, droppedBytes: 9 });
    expect(await readFile(cutHeader)).toEqual(whole);
  });

  it("cuts a file to its whole records within a size", async () => {
    const head = Buffer.concat([header(), record(60), record(100)]);
    const path = await file(Buffer.concat([head, record(500), record(500)]));
    expect(await trimPartialRecord(path, head.length + 300)).toEqual({ records: 2, droppedBytes: 1032 });
    expect(await readFile(path)).toEqual(head);
  });

  it("leaves a whole file, and a file that is not classic pcap, as they are", async () => {
    const whole = Buffer.concat([header(), record(60)]);
    expect(await trimPartialRecord(await file(whole))).toEqual({ records: 1, droppedBytes: 0 });
    const other = await file(Buffer.from("not a capture at all, but long enough"));
    expect(await trimPartialRecord(other)).toBeNull();
    expect(await readFile(other, "utf8")).toBe("not a capture at all, but long enough");
  });
});
