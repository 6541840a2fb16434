// The sensor deliverable's report: the protocol as packet diagrams, readings and replies, timing, overhead per
// layer, and what each lossy link did. The tasks use its sections; the parts stay behind this index.
export { sensorSections, sensorSummarySections } from "./task-sections.ts";
