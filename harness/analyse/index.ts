// The analyse stage: decoded packets in, a CaptureAnalysis (plain JSON-able data) out.

export { analyseCapture } from "./analyse-capture.ts";
export { type AnalyseOptions, type Analyser, createAnalyser } from "./analyser.ts";
