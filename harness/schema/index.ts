// The schema stage, shared by every stage like `fault`: zod (through its one adapter file), and validation
// problems with the key paths a student can find in their YAML.
export { keyPath, type SchemaIssue, validate, z } from "./schema.ts";
