// Test support (not a test): a lossy link's log shared by the sensor report tests.
import type { LinkLogEntry } from "../../harness/report/sensor/link-log.ts";

// A reading dropped and sent twice more, its reply dropped once, a reading resent with other bytes
// (same identity), a datagram without identity and one still held when the link closed. Listed in the
// order the proxy records them (at sending), not in arrival order.
export const LOSSY_LOG: readonly LinkLogEntry[] = [
  { t: 0, dir: "c2s", k: 1, len: 20, occurrence: 1, action: "forward", sent: 1, identity: "reading:1" },
  { t: 1, dir: "s2c", k: 1, len: 8, occurrence: 1, action: "forward", sent: 1, identity: "reply:1" },
  { t: 1000, dir: "c2s", k: 2, len: 20, occurrence: 1, action: "drop", sent: 0, identity: "reading:2" },
  { t: 1501, dir: "s2c", k: 2, len: 8, occurrence: 1, action: "drop", sent: 0, identity: "reply:2" },
  { t: 1500, dir: "c2s", k: 3, len: 20, occurrence: 2, action: "forward", sent: 1, identity: "reading:2" },
  { t: 2000, dir: "c2s", k: 4, len: 20, occurrence: 3, action: "duplicate", sent: 2, identity: "reading:2" },
  { t: 2001, dir: "s2c", k: 3, len: 8, occurrence: 2, action: "forward", sent: 1, identity: "reply:2" },
  { t: 2002, dir: "s2c", k: 4, len: 8, occurrence: 3, action: "forward", sent: 1, identity: "reply:2" },
  { t: 3000, dir: "c2s", k: 5, len: 20, occurrence: 1, action: "forward", sent: 1, identity: "reading:3" },
  { t: 3500, dir: "c2s", k: 7, len: 5, occurrence: 1, action: "forward", sent: 1 },
  { t: 3400, dir: "c2s", k: 6, len: 20, occurrence: 1, action: "delay", sent: 1, identity: "reading:3" },
  { t: 4000, dir: "c2s", k: 8, len: 20, occurrence: 1, action: "reorder", sent: 0, identity: "reading:4" },
];
