import { describe, expect, it } from "vitest";
import { analysePackets, T0, TcpScript } from "../../../test/support/analyse-scenarios.ts";
import type { CaptureAnalysis } from "../../analyse/types.ts";
import { buildUdp } from "../../decode/index.ts";
import { checkProtocol, type Protocol, pack, type StructValue } from "../../protocol/index.ts";
import type { Outcome } from "../../run/index.ts";
import type { ProgramRecord, RunRecord } from "../../session/index.ts";
import type { Verdict } from "../check.ts";
import type { TaskEvidence } from "../task.ts";
import {
  messagesDecodeCheck,
  periodicCheck,
  protocolDesignCheck,
  randomValuesCheck,
  repliesCheck,
  sensorProbeCheck,
  sequenceCheck,
  stallUs,
} from "./sensor-checks.ts";
import type { SensorOptions } from "./sensor-options.ts";

// ------------------------------------------------------------------ inputs

type MessageSpec = Record<string, unknown>;

function protocolOf(...messages: MessageSpec[]): Protocol {
  const checked = checkProtocol({ protocol: { messages } });
  if (!checked.ok) throw new Error(checked.problems.map((p) => `${p.path}: ${p.message}`).join("; "));
  return checked.protocol;
}

const READING = {
  name: "reading",
  from: "client",
  format: "!BHIfff?",
  fields: ["type", "sensor", "seq", "temperature", "humidity", "pressure", "alarm"],
  sequence: "seq",
  match: { type: 1 },
};
const REPLY = {
  name: "reply",
  from: "server",
  format: "!BI?",
  fields: ["type", "seq", "ok"],
  sequence: "seq",
  match: { type: 2 },
};
/** The reference protocol. */
const PROTOCOL = protocolOf(READING, REPLY);
/** The same messages without `sequence:` (replies paired by order). */
const UNNUMBERED = protocolOf({ ...READING, sequence: undefined }, { ...REPLY, sequence: undefined });

function packed(format: string, values: StructValue[]): Uint8Array {
  const result = pack(format, values);
  if (!result.ok) throw new Error(result.problem.message);
  return result.value;
}

interface ReadingValues {
  sensor?: number;
  temperature?: number;
  humidity?: number;
  pressure?: number;
  alarm?: boolean;
}

/** A reading whose measurements vary with `seq` unless given. */
function reading(seq: number, v: ReadingValues = {}): Uint8Array {
  return packed("!BHIfff?", [
    1,
    v.sensor ?? 7,
    seq,
    v.temperature ?? 20 + seq / 4,
    v.humidity ?? 40 + seq,
    v.pressure ?? 1000 + seq / 2,
    v.alarm ?? seq % 3 === 0,
  ]);
}
const reply = (seq: number) => packed("!BI?", [2, seq, true]);

/** One TCP connection to port 9000: handshake (packets 1-3), then each [side, payload] 1 ms apart. */
function tcpRun(steps: readonly ["c" | "s", Uint8Array][], clientPort = 41000): TcpScript {
  const t = new TcpScript({ serverPort: 9000, clientPort }).handshake();
  for (const [side, payload] of steps) t[side]("P.", { payload, dt: 1000 });
  return t;
}

/** Readings 0..n-1 each answered at once (client then server, alternating). */
const answered = (n: number) =>
  Array.from({ length: n }, (_, i): ["c" | "s", Uint8Array][] => [
    ["c", reading(i)],
    ["s", reply(i)],
  ]).flat();

/** UDP readings to port 9000 sent at these times (ms after T0), each with `payloads(i)`, no replies. */
function udpAnalysis(timesMs: readonly number[], payloads = (i: number) => reading(i)): CaptureAnalysis {
  return analysePackets(
    timesMs.map((ms, i) => ({
      timeUs: T0 + Math.round(ms * 1000),
      data: buildUdp({ src: "127.0.0.1", dst: "127.0.0.1", sport: 41000, dport: 9000, payload: payloads(i) }),
    })),
  );
}

function outcome(name: string, stdout: string, overrides: Partial<Outcome> = {}): Outcome {
  const stderr = overrides.stderr ?? "";
  const lines = (stream: "stdout" | "stderr", text: string) =>
    text
      .split("\n")
      .filter((l) => l !== "")
      .map((l, i) => ({ stream, text: l, number: i + 1, atMs: 0 }));
  return {
    name,
    command: ["python3", `${name}.py`],
    exitCode: 0,
    signal: null,
    timedOut: false,
    stdout,
    stderr,
    lines: [...lines("stdout", stdout), ...lines("stderr", stderr)],
    wallMs: 100,
    cpuMs: 10,
    truncated: false,
    description: "exited with code 0",
    ...overrides,
    limits: overrides.limits ?? [],
  };
}

// A complete RunRecord; the sensor checks read only name, port, analysis, server, clients and
// serverRunningAtEnd — the other fields are placeholders.
function fakeRun(analysis: CaptureAnalysis | null, overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    name: "main",
    group: null,
    title: "a test run",
    protocol: "tcp",
    port: 9000,
    mode: "host",
    outDir: "/nonexistent",
    serverReady: {
      status: "done",
      what: "the server to listen on port 9000",
      elapsedMs: 5,
      value: {
        protocol: "tcp",
        localAddress: "127.0.0.1",
        localPort: 9000,
        remoteAddress: "0.0.0.0",
        remotePort: 0,
        state: "LISTEN",
        stateCode: 0x0a,
        uid: 1000,
        inode: 1,
      },
    },
    server: null,
    clients: [],
    snapshots: [],
    idleCpu: null,
    listeningAfter: null,
    serverRunningAtEnd: true,
    captureFile: null,
    analysis,
    captureFindings: [],
    notes: {},
    faults: [],
    warnings: [],
    wallMs: 1000,
    ...overrides,
  };
}

function evidenceOf(
  runs: Record<string, RunRecord>,
  protocol: Protocol | null = PROTOCOL,
  interval = 0.2,
): TaskEvidence<SensorOptions> {
  const entry = {
    server: "python3 sensor_server.py {port}",
    client: "python3 sensor_client.py {host} {port} {interval} {count}",
    host: "127.0.0.1",
    port: 9000,
    options: { interval, count: 5, protocol: undefined },
    input: { interval, count: 5 },
    derived: {},
  };
  return { env: { entry, reference: entry, seed: 1, protocol }, runs };
}

const mainOf = (analysis: CaptureAnalysis, protocol: Protocol | null = PROTOCOL, interval = 0.2) =>
  evidenceOf({ main: fakeRun(analysis) }, protocol, interval);

function failureOf(verdict: Verdict) {
  if (verdict.pass) throw new Error(`expected a failure, got a pass: ${verdict.message}`);
  return verdict.failure;
}

function messageOf(verdict: Verdict): string {
  if (!verdict.pass) throw new Error(`expected a pass, got: ${verdict.failure.message}`);
  return verdict.message;
}

const packetsOf = (verdict: Verdict) =>
  failureOf(verdict).evidence.flatMap((e) => (e.kind === "packet" ? [e.packet] : []));

// ------------------------------------------------------------------ design

describe("protocolDesignCheck", () => {
  const check = protocolDesignCheck({ points: 2 });
  const design = (protocol: Protocol | null) => check.run(evidenceOf({}, protocol));

  it("passes readings and replies that each mix kinds of data, naming the struct types", () => {
    expect(messageOf(design(PROTOCOL))).toBe(
      `"reading" uses 'B', 'H', 'I', 'f', '?' (integer, float, bool); "reply" uses 'B', 'I', '?' (integer, bool)`,
    );
    const twoKinds = design(
      protocolOf({ name: "reading", from: "client", format: "!If", fields: ["seq", "t"] }, REPLY),
    );
    expect(twoKinds).toMatchObject({ pass: true });
  });

  it("gives half the points for each side that is rich enough", () => {
    const poorReading = design(
      protocolOf({ name: "reading", from: "client", format: "!HI", fields: ["sensor", "seq"] }, REPLY),
    );
    expect(poorReading).toMatchObject({ pass: false, points: 1 });
    expect(failureOf(poorReading).message).toBe("the readings use 1 kind(s) of data, not several");

    const poorReply = design(
      protocolOf(READING, { name: "ack", from: "server", format: "!I", fields: ["seq"] }),
    );
    expect(poorReply).toMatchObject({ pass: false, points: 1 });
    expect(failureOf(poorReply).message).toBe("the replies use 1 kind(s) of data, not several");
  });

  it("gives no points when neither side is, and says when a side is not described", () => {
    const verdict = design(protocolOf({ name: "reading", from: "client", format: "!I", fields: ["seq"] }));
    expect(verdict).toMatchObject({ pass: false, points: 0 });
    const failure = failureOf(verdict);
    expect(failure.message).toBe(
      "the readings use 1 kind(s) of data, not several; the replies use 0 kind(s) of data, not several",
    );
    expect(failure.actual).toBe(`"reading" uses 'I' (integer); no server message is described`);
  });

  it("fails without a protocol", () => {
    const failure = failureOf(design(null));
    expect(failure.message).toBe("socklab.yaml describes no protocol, so the messages cannot be read");
    expect(failure.help).toContain("protocol: messages:");
  });
});

// ------------------------------------------------------------------ decoding

describe("messagesDecodeCheck", () => {
  const check = messagesDecodeCheck({ points: 1 });

  it("passes when every byte is a message, naming the sizes", () => {
    const verdict = check.run(mainOf(analysePackets(tcpRun(answered(3)).packets)));
    expect(messageOf(verdict)).toBe("3 reading(s) and 3 reply message(s) decode (reading 20 B, reply 6 B)");
    expect(verdict).toMatchObject({ evidence: [{ kind: "packet", run: "main", packet: 4 }] });
  });

  it("names the first stretch of bytes that is no message, with its packet and offset", () => {
    const t = tcpRun([
      ["c", reading(0)], // 4
      ["c", new TextEncoder().encode("temp=21.5\n")], // 5
    ]);
    const verdict = check.run(mainOf(analysePackets(t.packets)));
    const failure = failureOf(verdict);
    expect(failure.message).toBe("1 stretch(es) of bytes are not messages of the declared protocol");
    expect(failure.actual).toMatch(
      /^from the client \(packet 5\), offset 20, 10 bytes: bytes 20\.\. from the/,
    );
    expect(packetsOf(verdict)).toEqual([5]);
  });

  it("fails when no reading reached the server's port", () => {
    const other = tcpRun([["c", reading(0)]]);
    const analysis = analysePackets(other.packets);
    const verdict = evidenceOf({ main: fakeRun(analysis, { port: 9999 }) });
    const failure = failureOf(check.run(verdict));
    expect(failure.message).toBe("no reading was captured");
    expect(failure.actual).toBe("0 conversation(s) with the server's port, no payload from the client");
  });

  it("fails without a protocol", () => {
    const analysis = analysePackets(tcpRun(answered(1)).packets);
    expect(failureOf(check.run(mainOf(analysis, null))).message).toContain("describes no protocol");
  });

  it("reads the run it is given", () => {
    const clean = fakeRun(analysePackets(tcpRun(answered(2)).packets), { name: "clean" });
    const verdict = messagesDecodeCheck({ points: 1, run: "clean" }).run(evidenceOf({ clean }));
    expect(verdict).toMatchObject({ pass: true, evidence: [{ run: "clean" }] });
  });
});

// ------------------------------------------------------------------ replies

describe("repliesCheck", () => {
  const check = repliesCheck({ points: 2 });

  it("passes one reply per reading, paired by sequence even out of order", () => {
    const t = tcpRun([
      ["c", reading(0)],
      ["c", reading(1)],
      ["s", reply(1)],
      ["s", reply(0)],
    ]);
    expect(messageOf(check.run(mainOf(analysePackets(t.packets))))).toBe(
      "2 reply message(s) for 2 reading(s), all decoded",
    );
  });

  it("names a reading with no reply by its sequence number", () => {
    const t = tcpRun([
      ["c", reading(0)], // 4
      ["s", reply(0)], // 5
      ["c", reading(1)], // 6
      ["c", reading(2)], // 7
      ["s", reply(2)], // 8
    ]);
    const verdict = check.run(mainOf(analysePackets(t.packets)));
    const failure = failureOf(verdict);
    expect(failure.message).toBe("1 of 3 readings got no reply");
    expect(failure.actual).toBe("no reply to reading seq 1 (packet 6) (2 reply message(s) captured)");
    expect(packetsOf(verdict)).toEqual([6]);
  });

  it("pairs by order when no sequence is declared, naming the unanswered reading by packet", () => {
    const t = tcpRun([
      ["c", reading(0)], // 4
      ["s", reply(5)], // 5: the number is not read without `sequence:`
      ["c", reading(1)], // 6
      ["s", reply(9)], // 7
      ["c", reading(2)], // 8
    ]);
    const failure = failureOf(check.run(mainOf(analysePackets(t.packets), UNNUMBERED)));
    expect(failure.message).toBe("1 of 3 readings got no reply");
    expect(failure.actual).toBe(
      "no reply to reading in packet 8 (2 reply message(s) captured; the replies carry no declared sequence number, so they are paired with the readings in order and the last readings are the ones counted as unanswered)",
    );
    const complete = tcpRun([...answered(2)]);
    expect(check.run(mainOf(analysePackets(complete.packets), UNNUMBERED)).pass).toBe(true);
  });

  it("fails replies that do not decode even when every reading was answered", () => {
    const t = tcpRun([...answered(2), ["s", new TextEncoder().encode("OK")]]);
    const failure = failureOf(check.run(mainOf(analysePackets(t.packets))));
    expect(failure.message).toBe("the server's replies do not decode with the declared format");
    expect(failure.actual).toContain("from the server start no message");
  });

  it("fails when there is no reading to answer", () => {
    const t = new TcpScript({ serverPort: 9000 }).handshake().close();
    const failure = failureOf(check.run(mainOf(analysePackets(t.packets))));
    expect(failure.message).toBe("no reading was captured, so no reply could be checked");
  });
});

// ------------------------------------------------------------------ period

describe("periodicCheck", () => {
  const check = periodicCheck({ points: 2 });
  const withStalls = periodicCheck({ points: 2, stalls: true });
  const at = (timesMs: number[]) => mainOf(udpAnalysis(timesMs), PROTOCOL, 0.2);

  it("passes readings that keep the period, with a little jitter", () => {
    expect(messageOf(check.run(at([0, 201, 399, 602, 800])))).toBe(
      "5 readings, median gap 199.5 ms, min 198.0 ms, max 203.0 ms",
    );
  });

  it("fails a burst, quoting the two packets of the shortest gap", () => {
    const verdict = check.run(at([0, 200, 400, 410, 600, 800]));
    const failure = failureOf(verdict);
    expect(failure.message).toBe(
      "readings do not keep the 200 ms period: 1 gap(s) shorter than 50 ms (a burst; shortest 10.0 ms)",
    );
    expect(packetsOf(verdict)).toEqual([3, 4]);
  });

  it("fails a median gap more than 20% off the period", () => {
    const failure = failureOf(check.run(at([0, 400, 800, 1200])));
    expect(failure.message).toBe(
      "readings do not keep the 200 ms period: median gap 400.0 ms is 100% off the period 200 ms",
    );
    expect(check.run(at([0, 230, 460, 690])).pass).toBe(true);
  });

  it("refuses a stall only with `stalls: true`", () => {
    expect(stallUs(200_000)).toBe(600_000);
    expect(stallUs(50_000)).toBe(300_000);
    const stalled = at([0, 200, 400, 1400, 1600, 1800]);
    expect(check.run(stalled).pass).toBe(true);
    const verdict = withStalls.run(stalled);
    expect(failureOf(verdict).message).toBe(
      "readings do not keep the 200 ms period: 1 gap(s) longer than 600 ms (a stall; longest 1000 ms)",
    );
    expect(packetsOf(verdict)).toEqual([3, 4]);
    expect(withStalls.run(at([0, 200, 400, 600])).pass).toBe(true);
  });

  it("fails too few readings to measure, and no readings at all", () => {
    expect(failureOf(check.run(at([0, 200]))).message).toContain(
      "only 2 reading(s): too few to measure a period",
    );
    expect(failureOf(check.run(at([]))).message).toBe("no reading was captured");
    // One reading has no gap at all: a verdict, not a crash.
    expect(failureOf(check.run(at([0]))).message).toContain("only 1 reading(s)");
  });

  it("passes two kinds of reading sent together, each keeping the period", () => {
    const twoKinds = protocolOf(
      { ...READING, sequence: undefined },
      { name: "humidity", from: "client", format: "!Bf", fields: ["type", "h"], match: { type: 3 } },
      REPLY,
    );
    const humidity = (i: number) => packed("!Bf", [3n, 40 + i]);
    const times = [0, 1, 200, 201, 400, 401, 600, 601];
    const analysis = udpAnalysis(times, (i) => (i % 2 === 0 ? reading(i / 2) : humidity(i)));
    const verdict = check.run(mainOf(analysis, twoKinds, 0.2));
    expect(verdict.pass).toBe(true);
    expect(messageOf(verdict)).toContain('"humidity": 4 readings, median gap 200.0 ms');
  });

  it("judges each connection on its own", () => {
    // Two connections whose readings interleave: together they look like a burst, each alone keeps 200 ms.
    const a = new TcpScript({ serverPort: 9000, clientPort: 41000, startUs: T0 });
    const b = new TcpScript({ serverPort: 9000, clientPort: 41001, startUs: T0, packets: a.packets });
    a.handshake();
    b.handshake();
    for (let i = 0; i < 4; i++) {
      a.time = T0 + 10_000 + i * 200_000;
      a.c("P.", { payload: reading(i), dt: 0 });
      b.time = T0 + 15_000 + i * 200_000;
      b.c("P.", { payload: reading(i), dt: 0 });
    }
    const packets = [...a.packets].sort((x, y) => x.timeUs - y.timeUs);
    expect(messageOf(check.run(mainOf(analysePackets(packets))))).toBe(
      "connection 0: 4 readings, median gap 200.0 ms, min 200.0 ms, max 200.0 ms; " +
        "connection 1: 4 readings, median gap 200.0 ms, min 200.0 ms, max 200.0 ms",
    );
  });
});

// ------------------------------------------------------------------ random values

describe("randomValuesCheck", () => {
  const check = randomValuesCheck({ points: 1 });
  const readings = (n: number, values: (i: number) => ReadingValues) =>
    mainOf(
      udpAnalysis(
        Array.from({ length: n }, (_, i) => i * 200),
        (i) => reading(i, values(i)),
      ),
    );

  it("passes varying measurements, noting the constant ones", () => {
    const verdict = check.run(readings(4, () => ({})));
    expect(messageOf(verdict)).toBe(
      "reading.temperature took 4 values, reading.humidity took 4 values, reading.pressure took 4 values, " +
        "reading.alarm took 2 values over 4 readings",
    );
    expect(verdict).toMatchObject({ notes: ["constant over the run: reading.sensor = 7"] });
  });

  it("fails floating-point measurements that never change", () => {
    const verdict = check.run(
      readings(4, (i) => ({ sensor: i, temperature: 21.5, humidity: 40, pressure: 1013.25 })),
    );
    const failure = failureOf(verdict);
    expect(failure.message).toBe("floating-point measurements never change");
    expect(failure.actual).toBe(
      "reading.temperature always 21.5, reading.humidity always 40.0, reading.pressure always 1013.25",
    );
    expect(packetsOf(verdict)).toEqual([1, 2]);
  });

  it("ignores the sequence and match fields: readings that differ only there are constant", () => {
    const failure = failureOf(
      check.run(readings(4, () => ({ temperature: 21.5, humidity: 40, pressure: 1013.25, alarm: false }))),
    );
    expect(failure.message).toBe("every measured value is the same in every reading");
    expect(failure.actual).not.toMatch(/reading\.(seq|type)\b/);
  });

  it("fails fewer than three readings", () => {
    expect(failureOf(check.run(readings(2, () => ({})))).message).toBe(
      "only 2 reading(s) decoded: too few to tell",
    );
  });
});

// ------------------------------------------------------------------ sequence numbers

describe("sequenceCheck", () => {
  const check = sequenceCheck({ points: 1 });
  const withSeqs = (seqs: number[], protocol: Protocol = PROTOCOL) =>
    mainOf(
      udpAnalysis(
        seqs.map((_, i) => i * 200),
        (i) => reading(seqs[i]!),
      ),
      protocol,
    );

  it("passes numbers that count up by one", () => {
    expect(messageOf(check.run(withSeqs([0, 1, 2, 3])))).toBe(
      "sequence numbers 0…3 count up by one (4 readings)",
    );
    expect(check.run(withSeqs([5, 6, 7])).pass).toBe(true);
  });

  it("names the break with both values and quotes its two packets", () => {
    const verdict = check.run(withSeqs([0, 1, 3, 4]));
    const failure = failureOf(verdict);
    expect(failure.message).toBe("the sequence numbers do not count up by one: 1 is followed by 3");
    expect(failure.expected).toBe("1 then 2");
    expect(failure.actual).toBe("0, 1, 3, 4");
    expect(packetsOf(verdict)).toEqual([2, 3]);
    expect(failureOf(check.run(withSeqs([0, 1, 1, 2]))).message).toContain("1 is followed by 1");
  });

  it("counts in each connection separately", () => {
    const a = tcpRun(answered(3), 41000);
    const b = new TcpScript({ serverPort: 9000, clientPort: 41001, startUs: a.time, packets: a.packets });
    b.handshake();
    for (let i = 0; i < 3; i++) b.c("P.", { payload: reading(i), dt: 1000 });
    expect(check.run(mainOf(analysePackets(a.packets))).pass).toBe(true);
  });

  it("fails when there are no readings", () => {
    expect(failureOf(check.run(withSeqs([]))).message).toBe(
      "no reading was captured, so no sequence number could be checked",
    );
  });

  it("passes with a note when the reading declares no sequence field", () => {
    const verdict = check.run(withSeqs([0, 7, 3], UNNUMBERED));
    expect(messageOf(verdict)).toBe("no sequence field is declared for the readings (nothing to check)");
    expect(verdict).toMatchObject({ notes: [expect.stringContaining("sequence: <field>")] });
  });
});

// ------------------------------------------------------------------ probe

describe("sensorProbeCheck", () => {
  const check = sensorProbeCheck({ points: 2, what: "the server answers split and coalesced readings" });
  const probeRecord = (stdout: string): ProgramRecord => ({
    role: { name: "probe", source: "probe", command: "python3 sensor_probe.py CONFIG" },
    outcome: outcome("probe", stdout),
    script: null,
  });
  const serverRecord = (stderr: string, description: string): ProgramRecord => ({
    role: { name: "server", source: "student", command: "python3 sensor_server.py 9000" },
    outcome: outcome("server", "listening\n", { stderr, exitCode: 1, description }),
    script: null,
  });
  const probeRun = (stdout: string | null, overrides: Partial<RunRecord> = {}) =>
    evidenceOf(
      {
        probe: fakeRun(null, {
          name: "probe",
          clients: stdout === null ? [] : [probeRecord(stdout)],
          ...overrides,
        }),
      },
      PROTOCOL,
    );
  const reply = (seq: number) => Buffer.from(packed("!BI?", [2n, BigInt(seq), true])).toString("hex");
  const tcpReport = (coalesced: string, half: string, split: string) =>
    JSON.stringify({
      transport: "tcp",
      phases: [
        { phase: "coalesced", sent: [20, 20], received: [coalesced] },
        { phase: "half", sent: [10], serverRead: true, received: [half] },
        { phase: "split", sent: [10], received: [split] },
      ],
    });

  it("passes two replies to two coalesced readings, none to half a reading and one to the rest", () => {
    const stdout = `sending\n${tcpReport(reply(0) + reply(1), "", reply(2))}\n`;
    expect(messageOf(check.run(probeRun(stdout)))).toBe(
      "the server answers split and coalesced readings: coalesced (20 + 20 bytes sent): 12 bytes back, 2 replies; " +
        "half (10 bytes sent): 0 bytes back, 0 replies; split (10 bytes sent): 6 bytes back, 1 reply",
    );
  });

  it("fails a reply to half a reading, and says how the server ended", () => {
    const server = serverRecord(
      'Traceback (most recent call last):\n  File "sensor_server.py", line 9\nstruct.error: unpack requires a buffer of 20 bytes\n',
      "exited with code 1",
    );
    const stdout = tcpReport(reply(0) + reply(1), reply(2), reply(2));
    const failure = failureOf(check.run(probeRun(stdout, { server, serverRunningAtEnd: false })));
    expect(failure.message).toBe(
      "the server answered after only 10 bytes of a reading — before the reading was whole",
    );
    expect(failure.actual).toContain(
      "the server ended: exited with code 1 (struct.error: unpack requires a buffer of 20 bytes)",
    );
    expect(failure.help).toContain("wait until the buffer holds a whole reading");
  });

  it("fails one reply to two coalesced readings as one recv() per reading", () => {
    const failure = failureOf(check.run(probeRun(tcpReport(reply(0), "", reply(2)))));
    expect(failure.message).toBe("1 reply to two readings sent in one segment, not 2");
    expect(failure.help).toContain("One recv() is not one message");
  });

  it("fails a UDP reply that answers the garbage datagram as a reading", () => {
    const stdout = JSON.stringify({
      transport: "udp",
      phases: [
        { phase: "truncated", sent: [10], serverRead: true, received: [] },
        { phase: "garbage", sent: [23], serverRead: true, received: [reply(0xffffffff)] },
        { phase: "valid", sent: [20], received: [reply(0)] },
      ],
    });
    const failure = failureOf(check.run(probeRun(stdout)));
    expect(failure.message).toBe(
      'the server answered the garbage datagram (23 bytes) as a reading: a "reply" with sequence number 4294967295',
    );
  });

  it("treats the probe's own failure as socklab's (an error, not a verdict)", () => {
    expect(() =>
      check.run(probeRun(JSON.stringify({ transport: "tcp", phases: [], error: "struct.error: x" }))),
    ).toThrow(/socklab's sensor probe failed/);
    expect(() => check.run(probeRun("Traceback (most recent call last):\nKeyError: 'x'\n"))).toThrow(
      /printed no report/,
    );
  });
});
