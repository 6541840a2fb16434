export { renderAnalysisMarkdown } from "./analysis-markdown.ts";
export { toCsvRows } from "./results-csv.ts";
export { toGradescope } from "./results-gradescope.ts";
export { toJUnit } from "./results-junit.ts";
export { renderTerminal } from "./results-terminal.ts";
export { sensorSections, sensorSummarySections } from "./sensor/index.ts";
export { renderSubmissionIndex } from "./submission-index.ts";
export { renderTaskReport } from "./task-report.ts";
export { renderRunSections } from "./task-runs.ts";
