import type { Task } from "../harness/grade/index.ts";
import { packageFile } from "../harness/install/index.ts";
import { sensorSummarySections } from "../harness/report/index.ts";
import sensorTcp from "./sensor-tcp.ts";
import sensorTcpThreaded from "./sensor-tcp-threaded.ts";
import sensorUdp from "./sensor-udp.ts";
import sensorUdpReliable from "./sensor-udp-reliable.ts";
import structBinary from "./struct-binary.ts";
import tcpEcho from "./tcp-echo.ts";
import threadedEcho from "./threaded-echo.ts";
import udpEcho from "./udp-echo.ts";
import udpOneway from "./udp-oneway.ts";

/** Every task socklab grades, in handout order. */
export const TASKS: readonly Task[] = [
  tcpEcho,
  udpOneway,
  udpEcho,
  structBinary,
  threadedEcho,
  sensorTcp,
  sensorUdp,
  sensorTcpThreaded,
  sensorUdpReliable,
];

/** socklab's own probe programs, shown read-only inside runs. */
export const PROBES_DIR = packageFile("tasks", "probes");

/** Sections of the submission summary drawn from several tasks (the TCP vs UDP overhead table). */
export const SUMMARY_SECTIONS = sensorSummarySections;
