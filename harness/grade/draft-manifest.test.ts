import { describe, expect, it } from "vitest";
import { TASKS } from "../../tasks/index.ts";
import { draftManifest } from "./draft-manifest.ts";

describe("draftManifest", () => {
  it("recognises the handout's file names in English and Spanish", () => {
    const draft = draftManifest(
      [
        "server_echo.py",
        "cliente_echo.py",
        "udp_receiver.py",
        "udp_sender.py",
        "servidor_echo_udp.py",
        "client-echo-udp.py",
        "struct_server.py",
        "struct_client.py",
        "servidor_hilos.py",
        "cliente_hilos.py",
        "notes.txt",
      ],
      TASKS,
    );
    expect(draft.tasks).toEqual({
      "tcp-echo": { server: "python3 server_echo.py", client: "python3 cliente_echo.py" },
      "udp-oneway": { server: "python3 udp_receiver.py", client: "python3 udp_sender.py" },
      "udp-echo": { server: "python3 servidor_echo_udp.py", client: "python3 client-echo-udp.py" },
      "struct-binary": { server: "python3 struct_server.py", client: "python3 struct_client.py" },
      "threaded-echo": { server: "python3 servidor_hilos.py", client: "python3 cliente_hilos.py" },
    });
    expect(draft.unplaced).toEqual([]);
  });

  it("says what it could not place and which task lacks a program", () => {
    const draft = draftManifest(["helper.py", "server_echo.py", "server-echo-copy.py"], TASKS);
    expect(draft.unplaced).toEqual(["helper.py", "server_echo.py"]);
    expect(draft.incomplete).toEqual([{ task: "tcp-echo", missing: "client", have: "server-echo-copy.py" }]);
  });

  it("takes each task's words from the task, the most specific first", () => {
    const tasks = [
      { id: "any-echo", init: { match: [["echo"]], rank: 1 } },
      { id: "time-server", init: { match: [["time"], ["hora"]], rank: 5 } },
      { id: "no-hints", init: null },
    ];
    const draft = draftManifest(["time_echo_server.py", "cliente_hora.py", "echo_client.py"], tasks);
    expect(draft.tasks).toEqual({
      "time-server": { server: "python3 time_echo_server.py", client: "python3 cliente_hora.py" },
    });
    expect(draft.incomplete).toEqual([{ task: "any-echo", missing: "server", have: "echo_client.py" }]);
  });

  it("places the reference's files in their own tasks: sensor programs never in echo tasks", async () => {
    const { readdir } = await import("node:fs/promises");
    const files = await readdir(new URL("../../reference/", import.meta.url));
    const draft = draftManifest(files, TASKS);
    expect(
      Object.fromEntries(Object.entries(draft.tasks).map(([id, t]) => [id, `${t.server} | ${t.client}`])),
    ).toEqual({
      "tcp-echo": "python3 server_echo.py | python3 client_echo.py",
      "udp-oneway": "python3 udp_receiver.py | python3 udp_sender.py",
      "udp-echo": "python3 udp_echo_server.py | python3 udp_echo_client.py",
      "struct-binary": "python3 struct_server.py | python3 struct_client.py",
      "threaded-echo": "python3 threaded_server.py | python3 threaded_client.py",
      "sensor-tcp": "python3 sensor_tcp_server.py | python3 sensor_tcp_client.py",
      "sensor-udp": "python3 sensor_udp_server.py | python3 sensor_udp_client.py",
      "sensor-tcp-threaded": "python3 sensor_tcp_threaded_server.py | python3 sensor_tcp_client.py",
      "sensor-udp-reliable": "python3 sensor_udp_reliable_server.py | python3 sensor_udp_reliable_client.py",
    });
    expect(draft.unplaced).toEqual(["sensor_common.py"]);
  });
});
