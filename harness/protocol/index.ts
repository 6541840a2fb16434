export { listPath } from "./json-body.ts";
export {
  bodyFields,
  FIELD_TYPES,
  type FieldType,
  type FieldValue,
  fixedSize,
  type JsonBody,
  type MessageBody,
  type MessageField,
  minimumSize,
  type RepeatGroup,
  type StructBody,
  type StructTail,
  structFieldType,
  type TextBody,
} from "./message-body.ts";
export { fieldTable, packetDiagram } from "./packet-diagram.ts";
export {
  type DecodedMessage,
  type DecodeResult,
  dataKinds,
  decodeMessage,
  type MessageProblem,
  type StreamSplit,
  splitStream,
} from "./protocol-decode.ts";
export {
  checkProtocol,
  type Direction,
  MESSAGE_KINDS,
  type MessageKind,
  type Protocol,
  type ProtocolCheck,
  type ProtocolMessage,
  type ProtocolProblem,
} from "./protocol-descriptor.ts";
export { DATA_KINDS, type DataKind, dataKind, type FieldSlot, fieldSlots } from "./protocol-fields.ts";
export {
  describeValue,
  type MatchBytes,
  type MatchValue,
  matchesConflict,
  packMatch,
} from "./protocol-match.ts";
export { displayValue, formatTuple, formatValue, pythonBytesRepr, pythonFloatRepr } from "./python-repr.ts";
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
export { nestedRepetition } from "./text-body.ts";
