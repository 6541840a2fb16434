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

  // The struct task's pair answering with a packed sum and taking its values as guarded arguments (a float
  // among them) is no sensor pair.
  const STRUCT_CLIENT = [
    "import socket, struct, sys",
    "HOST, PORT = 'localhost', 10001",
    "a, b, c = 1, 4, 2.7",
    "if len(sys.argv) > 1:",
    "    HOST = sys.argv[1]",
    "if len(sys.argv) > 2:",
    "    PORT = int(sys.argv[2])",
    "if len(sys.argv) > 5:",
    "    a = int(sys.argv[3])",
    "    b = int(sys.argv[4])",
    "    c = float(sys.argv[5])",
    "s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)",
    "s.connect((HOST, PORT))",
    "s.sendall(struct.pack('=iif', a, b, c))",
    "print(struct.unpack('=f', s.recv(4)))",
  ].join("\n");
  const STRUCT_SERVER = [
    "import socket, struct, sys",
    "HOST = sys.argv[1] if len(sys.argv) > 1 else 'localhost'",
    "PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 10001",
    "s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)",
    "s.bind((HOST, PORT))",
    "s.listen(1)",
    "while True:",
    "    conn, addr = s.accept()",
    "    a, b, c = struct.unpack('=iif', conn.recv(12))",
    "    print(a, b, c)",
    "    conn.sendall(struct.pack('=f', a + b + c))",
  ].join("\n");

  it("places a struct pair that replies with a packed value and takes a float argument in the struct task", () => {
    const draft = draftOf({ "struct_client.py": STRUCT_CLIENT, "struct_server.py": STRUCT_SERVER });
    expect(commands(draft)).toEqual({
      "struct-binary": "python3 struct_server.py {host} {port} | python3 struct_client.py {host} {port}",
    });
    // the values are optional arguments (under `if len(sys.argv) > 5`): nothing for the student to add
    expect(draft.todo).toEqual([]);
  });

  it("takes the struct record, not a length prefix packed before it, as the task's format", () => {
    const client = STRUCT_CLIENT.replace(
      "s.sendall(struct.pack('=iif', a, b, c))",
      "body = struct.pack('<iif', 1, 4, 2.5)\ns.sendall(struct.pack('!H', len(body)) + body)",
    );
    const draft = draftOf({ "struct_client.py": client, "struct_server.py": STRUCT_SERVER });
    expect(draft.manifest.tasks["struct-binary"]).toMatchObject({ format: "<iif", values: [1, 4, 2.5] });
  });

  it("tells a threaded sensor server by its name from the threaded echo server, which answers with send()", () => {
    const echo = THREADED_SERVER.replace("conn.sendall(conn.recv(1024))", "conn.send(conn.recv(1024))");
    const sensor = THREADED_SERVER.replace(
      "conn.sendall(conn.recv(1024))",
      "temp = conn.recv(64)\n    conn.sendall(b'OK')",
    );
    const draft = draftOf({
      "threaded_server.py": echo,
      "threaded_client.py": INTERACTIVE_CLIENT,
      "sensor_tcp_server.py": TCP_ECHO_SERVER.replace(
        "data = conn.recv(1024)",
        "temp = data = conn.recv(64)",
      ),
      "sensor_tcp_server_threaded.py": sensor,
      "sensor_tcp_client.py": SENSOR_CLIENT.replaceAll("SOCK_DGRAM", "SOCK_STREAM").replace(
        "s.sendto(struct.pack(FMT, 1, seq, random.uniform(0, 30)), (args.host, args.port))",
        "s.connect((args.host, args.port)) if seq == 0 else None\n    s.sendall(struct.pack(FMT, 1, seq, random.uniform(0, 30)))",
      ),
    });
    expect(commands(draft)["threaded-echo"]).toMatch(/^python3 threaded_server\.py /);
    expect(commands(draft)["sensor-tcp-threaded"]).toMatch(/^python3 sensor_tcp_server_threaded\.py /);
  });

  it("does not take a helper module every program of a folder imports for a sensor client's module", () => {
    const net =
      "import socket\ndef tcp_server(port):\n    s = socket.create_server(('', port))\n    return s";
    const draft = draftOf({
      "part1/netutil.py": net,
      "part1/echo_server.py": TCP_ECHO_SERVER.replace("import socket, sys", "import socket, sys, netutil"),
      "part1/echo_client.py": TCP_ECHO_CLIENT.replace("import socket, sys", "import socket, sys, netutil"),
      "part1/sensor_client.py": SENSOR_CLIENT.replace("import argparse,", "import netutil, argparse,"),
    });
    expect(commands(draft)["tcp-echo"]).toBe(
      "part1: python3 echo_server.py {port} | python3 echo_client.py {host} {port}",
    );
  });

  it("still gives a message to a client whose whole program is in a try (for its KeyboardInterrupt)", () => {
    const client = [
      "import socket, sys",
      "try:",
      "    host, port = sys.argv[1], int(sys.argv[2])",
      "    msg = sys.argv[3]",
      "    s = socket.create_connection((host, port))",
      "    s.sendall(msg.encode())",
      "    print(s.recv(1024))",
      "except KeyboardInterrupt:",
      "    pass",
    ].join("\n");
    const draft = draftOf({ "echo_server.py": TCP_ECHO_SERVER, "echo_client.py": client });
    expect(commands(draft)["tcp-echo"]).toBe(
      'python3 echo_server.py {port} | python3 echo_client.py {host} {port} "Hello, world"',
    );
  });

  it("gives each placeholder to one argument, and a server's fractional argument none", () => {
    const client = [
      "import random, socket, sys, time",
      "HOST = sys.argv[1] if len(sys.argv) > 1 else '127.0.0.1'",
      "PUERTO = int(sys.argv[2]) if len(sys.argv) > 2 else 6002",
      "N = int(sys.argv[3]) if len(sys.argv) > 3 else 10",
      "INTERVALO = float(sys.argv[4]) if len(sys.argv) > 4 else 0.5",
      "NOMBRE = sys.argv[5] if len(sys.argv) > 5 else 'sensor-1'",
      "PERDIDA = float(sys.argv[6]) if len(sys.argv) > 6 else 0.0",
      "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
      "for seq in range(N):",
      "    s.sendto(f'{NOMBRE};{seq};{random.uniform(0, 30):.1f}'.encode(), (HOST, PUERTO))",
      "    print(s.recv(100))",
      "    time.sleep(INTERVALO)",
    ].join("\n");
    const server = [
      "import random, socket, sys",
      "HOST = sys.argv[1] if len(sys.argv) > 1 else '127.0.0.1'",
      "PUERTO = int(sys.argv[2]) if len(sys.argv) > 2 else 6002",
      "PERDIDA = float(sys.argv[3]) if len(sys.argv) > 3 else 0.0",
      "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
      "s.bind((HOST, PUERTO))",
      "while True:",
      "    data, addr = s.recvfrom(100)",
      "    temp = data.decode()",
      "    if random.random() >= PERDIDA:",
      "        s.sendto(b'OK', addr)",
    ].join("\n");
    const draft = draftOf({ "sensor_udp_servidor.py": server, "sensor_udp_cliente.py": client });
    expect(commands(draft)["sensor-udp"]).toBe(
      "python3 sensor_udp_servidor.py {host} {port} | python3 sensor_udp_cliente.py {host} {port} {count} {interval}",
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
