import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { TASKS } from "../../../tasks/index.ts";
import { parseYaml } from "../yaml.ts";
import { draftManifest } from "./draft-manifest.ts";
import { draftYaml } from "./draft-report.ts";

const draftOf = (files: Record<string, string>, makefiles: string[] = []) =>
  draftManifest(
    Object.entries(files).map(([path, text]) => ({ path, text })),
    TASKS,
    makefiles,
  );
const commands = (draft: ReturnType<typeof draftOf>) =>
  Object.fromEntries(
    Object.entries(draft.manifest.tasks).map(([id, t]) => [
      id,
      `${t.cwd ? `${t.cwd}: ` : ""}${t.server} | ${t.client}`,
    ]),
  );

const TCP_ECHO_SERVER = [
  "import socket, sys",
  "port = int(sys.argv[1]) if len(sys.argv) > 1 else 65432",
  "with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:",
  "    s.bind(('127.0.0.1', port))",
  "    s.listen()",
  "    while True:",
  "        conn, addr = s.accept()",
  "        data = conn.recv(1024)",
  "        conn.sendall(data)",
].join("\n");
const TCP_ECHO_CLIENT = [
  "import socket, sys",
  "host, port = sys.argv[1], int(sys.argv[2])",
  "s = socket.create_connection((host, port))",
  "s.sendall(b'hello')",
  "print(s.recv(1024))",
].join("\n");
const THREADED_SERVER = TCP_ECHO_SERVER.replace(
  "        data = conn.recv(1024)\n        conn.sendall(data)",
  "        threading.Thread(target=serve, args=(conn,)).start()",
).replace(
  "import socket, sys",
  "import socket, sys, threading\ndef serve(conn):\n    conn.sendall(conn.recv(1024))",
);
const INTERACTIVE_CLIENT = [
  "import socket, sys",
  "host, port, quit_word = sys.argv[1], int(sys.argv[2]), sys.argv[3]",
  "s = socket.create_connection((host, port))",
  "while True:",
  "    line = input()",
  "    s.sendall(line.encode())",
  "    if line == quit_word:",
  "        break",
  "    print(s.recv(1024))",
].join("\n");
const UDP_RECEIVER = [
  "import socket",
  "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
  "s.bind(('localhost', 5005))",
  "while True:",
  "    print(s.recvfrom(65535))",
].join("\n");
const UDP_SENDER = [
  "import socket",
  "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
  "s.sendto(b'hi', ('localhost', 5005))",
].join("\n");
const SENSOR_CLIENT = [
  "import argparse, random, socket, struct, time",
  "FMT = '!BIf'",
  "ap = argparse.ArgumentParser()",
  "ap.add_argument('--host', default='127.0.0.1')",
  "ap.add_argument('--port', type=int, default=9001)",
  "ap.add_argument('-n', '--num', type=int, default=20)",
  "ap.add_argument('--delay', type=float, default=0.2)",
  "args = ap.parse_args()",
  "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
  "for seq in range(args.num):",
  "    s.sendto(struct.pack(FMT, 1, seq, random.uniform(0, 30)), (args.host, args.port))",
  "    kind, rseq = struct.unpack('!BI', s.recv(5))",
  "    time.sleep(args.delay)",
].join("\n");
const SENSOR_SERVER = [
  "import socket, struct, sys",
  "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
  "s.bind(('127.0.0.1', int(sys.argv[1])))",
  "while True:",
  "    data, addr = s.recvfrom(64)",
  "    kind, seq, temperature = struct.unpack('!BIf', data)",
  "    print(f'received seq={seq} t={temperature}')",
  "    s.sendto(struct.pack('!BI', 2, seq), addr)",
].join("\n");

describe("draftManifest", () => {
  it("drafts the reference's commands as its hand-written manifest has them", () => {
    const dir = new URL("../../../reference/", import.meta.url);
    const sources = readdirSync(dir)
      .filter((f) => f.endsWith(".py"))
      .map((path) => ({ path, text: readFileSync(new URL(path, dir), "utf8") }));
    const draft = draftManifest(sources, TASKS);
    const written = parseYaml(readFileSync(new URL("socklab.yaml", dir), "utf8"));
    const tasks = (written.ok ? written.value : {}) as {
      tasks: Record<string, { server: string; client: string }>;
    };
    const expected = Object.fromEntries(
      Object.entries(tasks.tasks).map(([id, t]) => [id, `${t.server} | ${t.client}`]),
    );
    // the reference's threaded server also takes its second quit word, which the draft has no reason to give
    expected["threaded-echo"] = expected["threaded-echo"]!.replace(" {quit} end bye", " {quit}");
    expect(commands(draft)).toEqual(expected);
    expect(draft.manifest.tasks["sensor-udp-reliable"]?.delivered).toBe("delivered seq=(?<seq>\\d+)");
    expect(draft.todo).toEqual([
      "protocol: drafted from the struct formats in the code; check the field names",
    ]);
  });

  it("places files with unconventional names by their source", () => {
    const draft = draftOf({
      "server_multithreading.py": THREADED_SERVER,
      "tcp_srv.py": TCP_ECHO_SERVER,
      "prog_a.py": TCP_ECHO_CLIENT,
      "chat.py": INTERACTIVE_CLIENT,
      "main_server.py": UDP_RECEIVER,
      "main_client.py": UDP_SENDER,
    });
    expect(commands(draft)).toEqual({
      "tcp-echo": "python3 tcp_srv.py {port} | python3 prog_a.py {host} {port}",
      "udp-oneway": "python3 main_server.py | python3 main_client.py",
      "threaded-echo": "python3 server_multithreading.py {port} | python3 chat.py {host} {port} {quit}",
    });
    const why = Object.fromEntries(draft.rows.map((r) => [r.task, r.why.server.join(" + ")]));
    expect(why["threaded-echo"]).toContain("threading.Thread");
    expect(why["udp-oneway"]).toBe("SOCK_DGRAM + recvfrom, no reply");
  });

  it("puts sensor programs in sensor tasks, never in echo tasks, with options read from argparse", () => {
    const draft = draftOf({ "udp_echo_server.py": SENSOR_SERVER, "udp_echo_client.py": SENSOR_CLIENT });
    expect(commands(draft)).toEqual({
      "sensor-udp":
        "python3 udp_echo_server.py {port} | python3 udp_echo_client.py --host {host} --port {port} --num {count} --delay {interval}",
    });
    expect(
      draft.manifest.protocol?.messages.map((m) => `${m.from} ${m.format} ${m.fields.join(",")}`),
    ).toEqual(["client !BIf kind,seq,temperature", "server !BI kind,seq"]);
  });

  it("drafts a reliable server's delivered pattern, or says it left the default", () => {
    const reliable = (print: string) =>
      draftOf({
        "rdt_server.py": `${SENSOR_SERVER.replace("print(f'received seq={seq} t={temperature}')", print)}\nexpected = {}\n# duplicate`,
        "rdt_client.py": `${SENSOR_CLIENT}\nretries = 3\nwindow = 4`,
      });
    const found = reliable("print(f'[ok] delivered seq={seq}')\n    print(f'duplicate seq={seq}')");
    expect(found.manifest.tasks["sensor-udp-reliable"]?.delivered).toBe(
      "\\[ok\\] delivered seq=(?<seq>\\d+)",
    );
    const none = reliable("print(f'got {seq}')");
    expect(none.manifest.tasks["sensor-udp-reliable"]?.delivered).toBeUndefined();
    expect(none.todo.some((t) => t.startsWith("sensor-udp-reliable: delivered: left at its default"))).toBe(
      true,
    );
  });

  it("runs programs in a subfolder from that folder", () => {
    const draft = draftOf({
      "tcp/server.py": TCP_ECHO_SERVER,
      "tcp/client.py": TCP_ECHO_CLIENT,
      "notes/readme.py": "",
    });
    expect(draft.manifest.tasks["tcp-echo"]).toEqual({
      cwd: "tcp",
      server: "python3 server.py {port}",
      client: "python3 client.py {host} {port}",
    });
  });

  it("builds C programs: a compiler call each, or make when there is a Makefile", () => {
    const server = [
      "#include <sys/socket.h>",
      "int main(int argc, char **argv) {",
      "  int port = atoi(argv[1]);",
      "  int s = socket(AF_INET, SOCK_STREAM, 0);",
      "  addr.sin_port = htons(port);",
      "  bind(s, (struct sockaddr *)&addr, sizeof addr); listen(s, 5);",
      "  for (;;) { int c = accept(s, 0, 0); pthread_create(&t, 0, serve, &c); }",
      "}",
    ].join("\n");
    const client = [
      "int main(int argc, char **argv) {",
      "  int s = socket(AF_INET, SOCK_STREAM, 0);",
      "  inet_pton(AF_INET, argv[1], &addr.sin_addr);",
      "  addr.sin_port = htons(atoi(argv[2]));",
      "  connect(s, (struct sockaddr *)&addr, sizeof addr);",
      "  while (fgets(line, sizeof line, stdin)) { send(s, line, strlen(line), 0); recv(s, buf, 100, 0); }",
      "}",
    ].join("\n");
    const draft = draftOf({ "c/server.c": server, "c/client.c": client });
    expect(draft.manifest.build).toBe("cc -o c/server c/server.c -pthread && cc -o c/client c/client.c");
    expect(commands(draft)).toEqual({
      "threaded-echo": "c: ./server {port} | ./client {host} {port}",
    });
    expect(draftOf({ "server.c": server, "client.c": client }, ["."]).manifest.build).toBe("make");
    expect(draftYaml(draftOf({ "server.c": server, "client.c": client }, ["."]))).toContain(
      "\nbuild: make\n",
    );
  });

  it("places nothing in a folder with no socket programs, and says why for each file", () => {
    const draft = draftOf({ "plot.py": "import matplotlib\nprint(1)", "notes.c": "int x;" });
    expect(draft.rows).toEqual([]);
    expect(draft.todo).toEqual([
      "plot.py: not placed (neither its source nor its name says server or client)",
    ]);
  });
});
