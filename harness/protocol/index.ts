export { formatTuple, formatValue, pythonBytesRepr, pythonFloatRepr } from "./python-repr.ts";
export {
  calcsize,
  parseStructFormat,
  type StructChar,
  type StructItem,
  type StructLayout,
  type StructPrefix,
  valueChars,
} from "./struct-format.ts";
export { pack, type StructValue, unpack } from "./struct-pack.ts";
export {
  type PythonException,
  pythonErrorLine,
  type StructProblem,
  type StructProblemCode,
  type StructResult,
} from "./struct-problem.ts";
