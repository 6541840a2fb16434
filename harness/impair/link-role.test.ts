import { describe, expect, it } from "vitest";
import { splitCommand } from "../run/command.ts";
import { decodeLinkConfig, encodeLinkConfig, type LinkConfig, listeningLine } from "./link-config.ts";
import { linkRole, parseLinkOutput } from "./link-role.ts";

const config: LinkConfig = {
  listenPort: 6000,
  target: { port: 5005 },
  seed: 7,
  policy: { drop: 0.15, duplicate: 0.08, reorder: 0.1, delayMs: [0, 0] },
  identify: {
    messages: [{ name: "reading", from: "client", format: "!Id", fields: ["seq", "value"], sequence: "seq" }],
  },
};

describe("linkRole", () => {
  it("runs the bundle with this Node as a probe, the config in one word", () => {
    const role = linkRole(config);
    expect(role).toMatchObject({ name: "link", source: "probe" });
    const words = splitCommand(role.command);
    expect(words.slice(0, 2)).toEqual([process.execPath, "impair_proxy.mjs"]);
    expect(words).toHaveLength(3);
    expect(decodeLinkConfig(words[2]!)).toEqual(config);
    expect(role.extraBinds === undefined).toBe(process.execPath.startsWith("/usr/"));
  });
});

describe("decodeLinkConfig", () => {
  it("reads plain JSON and base64 JSON alike", () => {
    expect(decodeLinkConfig(JSON.stringify(config))).toEqual(config);
    expect(decodeLinkConfig(encodeLinkConfig(config))).toEqual(config);
  });

  it.each([
    ["not JSON", "%%%", "neither JSON nor base64 of JSON"],
    ["no target", '{"listenPort":0,"seed":1,"script":{}}', "target.port is not a port"],
    ["a bad listen port", '{"listenPort":-1,"target":{"port":9},"seed":1,"script":{}}', "listenPort -1"],
    ["a fractional seed", '{"listenPort":0,"target":{"port":9},"seed":1.5,"script":{}}', "seed 1.5"],
    [
      "both policy and script",
      '{"listenPort":0,"target":{"port":9},"seed":1,"script":{},"policy":{"drop":0,"duplicate":0,"reorder":0,"delayMs":[0,0]}}',
      "exactly one",
    ],
    ["neither policy nor script", '{"listenPort":0,"target":{"port":9},"seed":1}', "exactly one"],
    [
      "identify without messages",
      '{"listenPort":0,"target":{"port":9},"seed":1,"script":{},"identify":{}}',
      "identify",
    ],
  ])("refuses %s", (_, argument, message) => {
    expect(() => decodeLinkConfig(argument)).toThrow(message);
  });
});

describe("parseLinkOutput", () => {
  const entry = { t: 1, dir: "c2s", k: 1, len: 3, sha1: "a", identity: "reading:0", occurrence: 1 };
  it("reads the port, every log line and the stats", () => {
    const stdout = [
      listeningLine(41234),
      `log ${JSON.stringify({ ...entry, action: "drop", heldFor: 0, sent: 0 })}`,
      `log ${JSON.stringify({ ...entry, k: 2, action: "forward", heldFor: 0, sent: 1 })}`,
      `stats ${JSON.stringify({
        seed: 7,
        arrived: { c2s: 2, s2c: 0 },
        actions: {
          c2s: { forward: 1, drop: 1, duplicate: 0, reorder: 0, delay: 0 },
          s2c: { forward: 0, drop: 0, duplicate: 0, reorder: 0, delay: 0 },
        },
        sent: { c2s: 1, s2c: 0 },
        held: 0,
        clients: 1,
        ignored: 0,
        sendErrors: 0,
      })}`,
      "",
    ].join("\n");
    const output = parseLinkOutput(stdout);
    expect(output.port).toBe(41234);
    expect(output.log.map((e) => `${e.k} ${e.action}`)).toEqual(["1 drop", "2 forward"]);
    expect(output.stats).toMatchObject({ seed: 7 });
  });

  it("gives no port and no stats for a link that never listened or was killed, skipping a cut line", () => {
    expect(parseLinkOutput('log {"t":1,"dir":"c2s"\n')).toEqual({ port: null, log: [], stats: null });
  });
});
