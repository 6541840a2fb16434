export * from "./analysis-markdown.ts";
export * from "./analysis-overhead.ts";
export * from "./hex-dump.ts";
export * from "./markdown.ts";
export * from "./mermaid.ts";
