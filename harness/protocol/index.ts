export * from "./python-repr.ts";
export * from "./struct-floats.ts";
export * from "./struct-format.ts";
export * from "./struct-integers.ts";
export * from "./struct-pack.ts";
export * from "./struct-problem.ts";
