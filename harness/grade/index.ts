// The grade stage: manifests, tasks, runs, checks and the result document.
export * from "./check.ts";
export * from "./checks/cross.ts";
export * from "./checks/programs.ts";
export * from "./checks/tcp.ts";
export * from "./checks/udp.ts";
export * from "./commands.ts";
export * from "./evidence.ts";
export * from "./grade-submission.ts";
export * from "./grade-task.ts";
export * from "./limiter.ts";
export * from "./manifest.ts";
export * from "./manifest-error.ts";
export * from "./result.ts";
export * from "./run-session.ts";
export { keyPath, type SchemaIssue, validate, z } from "./schema.ts";
export * from "./task.ts";
export * from "./yaml.ts";
