// The session stage: one sandboxed run of a task, from its programs to its analysed capture (run-session),
// the drivers' shared scenario of interactive clients, the limiter that bounds runs at once, and the folders
// of socklab's own programs shown inside runs.
export * from "./interactive-clients.ts";
export * from "./limiter.ts";
export * from "./program-folders.ts";
export * from "./run-session.ts";
