// The lossy link as a program, run inside a grading run's namespace (loopback is per namespace), bundled by
// proxy-bundle.ts into the probes folder as impair_proxy.mjs. Usage: node impair_proxy.mjs <json | base64 json>.
// Prints the listening line once bound, one `log <json>` line per datagram as it is decided, and on SIGINT or
// SIGTERM closes the link, prints `stats <json>` and exits 0. A bad argument: one line on stderr, exit 2.
// Imports concrete files only: index.ts would pull esbuild into the bundle.

import { ImpairError } from "./impair-error.ts";
import { decodeLinkConfig, LOG_PREFIX, listeningLine, STATS_PREFIX } from "./link-config.ts";
import { protocolIdentify } from "./link-identify.ts";
import { type ImpairProxy, type ProxyOptions, startProxy } from "./proxy.ts";

let proxy: ImpairProxy | undefined;
let stopping = false;

async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  if (proxy === undefined) process.exit(0);
  await proxy.close();
  // stdout is a pipe: writes are synchronous on Linux, so nothing is lost when the loop empties.
  process.stdout.write(`${STATS_PREFIX}${JSON.stringify(proxy.stats())}\n`);
  process.exitCode = 0;
}

process.on("SIGINT", stop);
process.on("SIGTERM", stop);

try {
  const config = decodeLinkConfig(process.argv[2] ?? "");
  const { policy, script, identify, holdCapMs, listenPort, target, seed } = config;
  const options = {
    listenPort,
    target: { port: target.port },
    seed,
    ...(policy === undefined ? { script } : { policy }),
    ...(holdCapMs === undefined ? {} : { holdCapMs }),
    ...(identify === undefined ? {} : { identify: protocolIdentify(identify) }),
    log: { write: (line: string) => process.stdout.write(`${LOG_PREFIX}${line}`) },
  } as ProxyOptions;
  proxy = await startProxy(options);
  process.stdout.write(`${listeningLine(proxy.port)}\n`);
} catch (error) {
  const message = error instanceof ImpairError ? error.message : `impair: ${String(error)}`;
  process.stderr.write(`socklab-link: ${message}\n`);
  process.exit(2);
}
