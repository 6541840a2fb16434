// A seeded lossy UDP link on loopback: the client talks to the proxy's front socket; each client address gets
// its own socket towards the server, so replies map back to that client. Fates come from a FateFunction
// (seeded policy or script), keyed on each datagram's identity (`identify`, by default the payload's SHA-1);
// the log records the ground truth per datagram.

import { createSocket, type RemoteInfo, type Socket } from "node:dgram";
import { performance } from "node:perf_hooks";
import { z } from "../schema/index.ts";
import {
  ACTIONS,
  type Action,
  type Direction,
  type Fate,
  type FateFunction,
  type Policy,
  policyFates,
  type Script,
  scriptedFates,
  sha1Hex,
} from "./fate.ts";
import { ImpairError } from "./impair-error.ts";

/** The only address the proxy binds to and forwards to. */
export const LOOPBACK = "127.0.0.1";
/** How long a reordered datagram waits for its successor before it is sent anyway. */
export const DEFAULT_HOLD_CAP_MS = 80;

/** Where JSONL log lines go: a file stream, a test's array, anything with `write`. */
export interface LogSink {
  write(line: string): unknown;
}

const direction = z.enum(["c2s", "s2c"]);
const perDirection = (value: z.ZodType<number>) => z.object({ c2s: value, s2c: value });

/** One JSONL log line: the ground truth about one arriving datagram. */
export const logEntrySchema = z.object({
  /** Milliseconds from the proxy's start to the datagram's arrival. */
  t: z.number(),
  dir: direction,
  k: z.number(),
  len: z.number(),
  sha1: z.string(),
  /** What the fate was keyed on (`identify`'s answer, or the SHA-1). */
  identity: z.string(),
  /** 1-based count of arrivals of this identity in this direction. */
  occurrence: z.number(),
  action: z.enum(ACTIONS),
  /** Milliseconds between arrival and sending (reorder and delay), or until close if never sent. */
  heldFor: z.number(),
  /** Copies actually sent on: 0 (dropped, or still held at close), 1, or 2 (duplicated). */
  sent: z.number(),
});
export type LogEntry = z.output<typeof logEntrySchema>;

interface CommonOptions {
  /** The port clients send to; 0 picks an ephemeral one (read it from `proxy.port`). */
  listenPort?: number;
  /** The server; its host must be a 127.x.y.z address (default 127.0.0.1). */
  target: { host?: string; port: number };
  seed: number;
  /** Cap on how long `reorder` holds a datagram (default 80 ms). */
  holdCapMs?: number;
  log?: LogSink;
  /** Gives each datagram its identity; default: the payload's SHA-1. */
  identify?: Identify;
}

/** Names a datagram for its fate (e.g. `reading:3`), or null to key it on its SHA-1. */
export type Identify = (direction: Direction, payload: Uint8Array) => string | null;

/** How to start a proxy: a seeded random `policy` or a hand-written `script`. */
export type ProxyOptions = CommonOptions &
  ({ policy: Policy; script?: never } | { script: Script; policy?: never });

/** Counters for a report; every record is per direction. */
export const proxyStatsSchema = z.object({
  seed: z.number(),
  arrived: perDirection(z.number()),
  actions: z.object({
    c2s: z.record(z.enum(ACTIONS), z.number()),
    s2c: z.record(z.enum(ACTIONS), z.number()),
  }),
  /** Copies sent on, duplicates counted twice. */
  sent: perDirection(z.number()),
  /** Datagrams held (reorder or delay) right now. */
  held: z.number(),
  clients: z.number(),
  /** Datagrams that reached a server-side socket from somewhere other than the server. */
  ignored: z.number(),
  sendErrors: z.number(),
});
export type ProxyStats = z.output<typeof proxyStatsSchema>;

/** A running proxy. */
export interface ImpairProxy {
  /** The port clients send to, on 127.0.0.1. */
  readonly port: number;
  stats(): ProxyStats;
  /** Every log line written so far, in the order written. */
  entries(): readonly LogEntry[];
  /** Closes every socket and clears every timer; datagrams still held are logged with `sent: 0`. */
  close(): Promise<void>;
}

interface Held {
  entry: Omit<LogEntry, "heldFor" | "sent">;
  arrivedAt: number;
  /** For reorder: the arrival number in the same direction after whose dispatch this one is released. */
  after: number;
  /** Held for reordering (released by a successor), not delayed. */
  reorder: boolean;
  timer: NodeJS.Timeout;
  send: () => void;
}

interface Client {
  address: string;
  port: number;
  upstream: Socket;
}

/** Starts a lossy link between clients and `target`, once its front socket is listening. */
export async function startProxy(options: ProxyOptions): Promise<ImpairProxy> {
  const targetHost = options.target.host ?? LOOPBACK;
  if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(targetHost)) {
    throw new ImpairError("bad-option", `impair: target host ${targetHost} is not a 127.x.y.z address`);
  }
  if (!Number.isSafeInteger(options.seed)) {
    throw new ImpairError("bad-option", `impair: seed ${options.seed} is not a safe integer`);
  }
  const policyProblem = options.policy === undefined ? undefined : problemWith(options.policy);
  if (policyProblem !== undefined) throw new ImpairError("bad-option", `impair: policy ${policyProblem}`);
  const fates: FateFunction =
    options.policy !== undefined ? policyFates(options.seed, options.policy) : scriptedFates(options.script);
  const holdCapMs = options.holdCapMs ?? DEFAULT_HOLD_CAP_MS;
  const start = performance.now();
  const now = () => performance.now() - start;

  const stats: ProxyStats = {
    seed: options.seed,
    arrived: { c2s: 0, s2c: 0 },
    actions: { c2s: countsOf(), s2c: countsOf() },
    sent: { c2s: 0, s2c: 0 },
    held: 0,
    clients: 0,
    ignored: 0,
    sendErrors: 0,
  };
  const entries: LogEntry[] = [];
  const occurrences = new Map<string, number>();
  const clients = new Map<string, Client>();
  const held = new Set<Held>();
  let closed = false;

  const front = createSocket("udp4");
  front.on("error", () => stats.sendErrors++);
  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) =>
      reject(
        new ImpairError("bind-failed", `impair: cannot listen on ${LOOPBACK}:${options.listenPort ?? 0}`, {
          cause: error,
        }),
      );
    front.once("error", onError);
    front.bind(options.listenPort ?? 0, LOOPBACK, () => {
      front.off("error", onError);
      resolve();
    });
  }).catch((error: unknown) => {
    front.close();
    throw error;
  });
  front.on("message", (payload, from) => {
    const client = clientFor(from);
    arrive("c2s", payload, () => sendCopy(client.upstream, payload, options.target.port, targetHost, "c2s"));
  });

  function clientFor(from: RemoteInfo): Client {
    const key = `${from.address}:${from.port}`;
    const known = clients.get(key);
    if (known !== undefined) return known;
    const upstream = createSocket("udp4");
    // Sends issued before the bind completes are queued by dgram, in order.
    upstream.bind(0, LOOPBACK);
    upstream.on("error", () => stats.sendErrors++);
    const client: Client = { address: from.address, port: from.port, upstream };
    upstream.on("message", (payload, source) => {
      if (source.port !== options.target.port || source.address !== targetHost) {
        stats.ignored++;
        return;
      }
      arrive("s2c", payload, () => sendCopy(front, payload, client.port, client.address, "s2c"));
    });
    clients.set(key, client);
    stats.clients++;
    return client;
  }

  function sendCopy(socket: Socket, payload: Buffer, port: number, host: string, dir: Direction): void {
    stats.sent[dir]++;
    socket.send(payload, port, host, (error) => {
      if (error) stats.sendErrors++;
    });
  }

  function arrive(dir: Direction, payload: Buffer, send: () => void): void {
    if (closed) return;
    const k = ++stats.arrived[dir];
    const sha1 = sha1Hex(payload);
    const identity = options.identify?.(dir, payload) ?? sha1;
    const occurrence = (occurrences.get(`${dir}:${identity}`) ?? 0) + 1;
    occurrences.set(`${dir}:${identity}`, occurrence);
    let fate: Fate = fates({ direction: dir, k, payload, identity, occurrence });
    // A copy of a datagram held for reordering waits behind it: a retransmission must not overtake the swap.
    const waitingBehind = [...held].find(
      (item) => item.reorder && item.entry.dir === dir && item.entry.identity === identity,
    );
    if (waitingBehind && (fate.action === "forward" || fate.action === "reorder")) {
      fate = { action: "reorder", after: waitingBehind.after };
    }
    stats.actions[dir][fate.action]++;
    const arrivedAt = now();
    const entry = {
      t: round(arrivedAt),
      dir,
      k,
      len: payload.length,
      sha1,
      identity,
      occurrence,
      action: fate.action,
    };
    switch (fate.action) {
      case "drop":
        record(entry, arrivedAt, 0);
        break;
      case "forward":
        send();
        record(entry, arrivedAt, 1);
        break;
      case "duplicate":
        send();
        send();
        record(entry, arrivedAt, 2);
        break;
      case "delay":
        hold(entry, arrivedAt, Number.POSITIVE_INFINITY, fate.delayMs, send, false);
        break;
      case "reorder":
        hold(entry, arrivedAt, Math.max(fate.after ?? k + 1, k + 1), holdCapMs, send, true);
        break;
    }
    releaseAfter(dir, k, identity);
  }

  function hold(
    entry: Held["entry"],
    arrivedAt: number,
    after: number,
    ms: number,
    send: () => void,
    reorder: boolean,
  ): void {
    const item: Held = { entry, arrivedAt, after, reorder, send, timer: setTimeout(() => release(item), ms) };
    held.add(item);
    stats.held++;
  }

  function release(item: Held): void {
    clearTimeout(item.timer);
    held.delete(item);
    stats.held--;
    item.send();
    record(item.entry, item.arrivedAt, 1);
  }

  // Releases, oldest first, the reordered datagrams waiting for arrival k of this direction, once a datagram
  // of another identity has come (a datagram's own retransmission is not its successor).
  function releaseAfter(dir: Direction, k: number, identity: string): void {
    const due = [...held].filter(
      (item) => item.entry.dir === dir && item.after <= k && item.entry.identity !== identity,
    );
    due.sort((a, b) => a.entry.k - b.entry.k).forEach(release);
  }

  function record(entry: Held["entry"], arrivedAt: number, sent: number): void {
    const line: LogEntry = { ...entry, heldFor: round(now() - arrivedAt), sent };
    entries.push(line);
    options.log?.write(`${JSON.stringify(line)}\n`);
  }

  const address = front.address();
  return {
    port: address.port,
    stats: () => structuredClone(stats),
    entries: () => entries.slice(),
    async close() {
      if (closed) return;
      closed = true;
      for (const item of [...held].sort((a, b) => a.arrivedAt - b.arrivedAt)) {
        clearTimeout(item.timer);
        held.delete(item);
        stats.held--;
        record(item.entry, item.arrivedAt, 0);
      }
      const sockets = [front, ...[...clients.values()].map((client) => client.upstream)];
      await Promise.all(
        sockets.map((socket) => new Promise<void>((resolve) => socket.close(() => resolve()))),
      );
    },
  };
}

// What is wrong with a policy's numbers, if anything.
function problemWith(policy: Policy): string | undefined {
  for (const name of ["drop", "duplicate", "reorder", "delay"] as const) {
    const p = policy[name] ?? 1;
    if (!(p >= 0 && p <= 1)) return `${name} is ${p}, not a probability between 0 and 1`;
  }
  const [min, max] = policy.delayMs;
  if (!(Number.isInteger(min) && Number.isInteger(max) && min >= 0 && min <= max)) {
    return `delayMs [${min}, ${max}] is not a range of whole milliseconds`;
  }
  return undefined;
}

function countsOf(): Record<Action, number> {
  return Object.fromEntries(ACTIONS.map((action) => [action, 0])) as Record<Action, number>;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
