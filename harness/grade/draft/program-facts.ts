// What `socklab init` learns from one program's source, whatever its language: the kind of socket, the side
// it plays, how it serves several clients, the struct formats it packs and unpacks, the command line and
// environment it reads, and the words that tell a sensor or a reliable-delivery program.

export type Transport = "tcp" | "udp";
export type Role = "server" | "client";

/** What a command-line argument or an environment variable is for, as a manifest placeholder names it. */
export type Meaning =
  | "host"
  | "port"
  /** host:port in one argument */
  | "address"
  | "count"
  | "interval"
  | "duration"
  | "format"
  | "values"
  | "quit"
  | "clients";

/** A positional argument (argv[1], argv[2]… or an argparse positional), in order. */
export interface ArgSlot {
  readonly name: string;
  readonly meaning: Meaning | null;
  readonly optional: boolean;
  /** Takes every remaining argument (`sys.argv[3:]`, `nargs="*"`). */
  readonly rest: boolean;
  /** Read as a whole number (`type=int`, `int(sys.argv[4])`): an interval of 0.2 would be refused. */
  readonly integer?: boolean;
}

/** An option (`--count N`, `-p N`). */
export interface ArgOption {
  /** The flag to write: the long one when there is one. */
  readonly flag: string;
  readonly name: string;
  readonly meaning: Meaning | null;
  readonly required: boolean;
  readonly integer?: boolean;
}

export interface CommandLine {
  /** How the program reads its arguments. */
  readonly style: "argparse" | "argv" | "getopt" | "none";
  readonly positional: readonly ArgSlot[];
  readonly options: readonly ArgOption[];
  readonly env: readonly { readonly variable: string; readonly meaning: Meaning | null }[];
}

/** A struct format packed or unpacked, with what each value is called where the code shows it. */
export interface StructUse {
  readonly op: "pack" | "unpack";
  readonly format: string;
  /** The constant the format came from (`READING_FORMAT`), if any. */
  readonly via: string | null;
  /** Per value, in order: the variable it is packed from or unpacked into (null: not a plain name). */
  readonly names: readonly (string | null)[];
  /** Per value: the constant packed (a literal or a module constant such as `MSG_READING = 1`). */
  readonly constants: readonly (number | string | boolean | null)[];
  /** Per value: the constant's own name (`MSG_READING`), if it came from one. */
  readonly constantNames: readonly (string | null)[];
}

/** A line the program prints with a sequence number in it: the text before the number and after it. */
export interface PrintedNumber {
  readonly before: string;
  readonly after: string;
  /** The variable printed. */
  readonly variable: string;
}

export interface ProgramFacts {
  /** Path inside the submission, forward slashes. */
  readonly file: string;
  readonly language: "python" | "c";
  readonly transports: readonly Transport[];
  /** The side the source plays (listen/accept/bind vs connect/sendto), or null when it does not say. */
  readonly role: Role | null;
  /** The socket calls and constants seen, for the reasons shown to the student (`SOCK_DGRAM`, `recvfrom`). */
  readonly signs: readonly string[];
  /** What lets it serve several clients at once (`threading.Thread`, `os.fork`, `select`), or null. */
  readonly concurrency: string | null;
  /** Reads lines from standard input in a loop (an interactive client). */
  readonly interactive: boolean;
  /** Over UDP: the server answers (sendto), the client waits for an answer (recv). */
  readonly answers: boolean;
  readonly structs: readonly StructUse[];
  /** Evidence of a sensor program: random values, a period, --count/--interval, sensor words. */
  readonly sensor: readonly string[];
  /** Words of reliable delivery over UDP in its code: retransmit, window, duplicate, expected… */
  readonly reliable: readonly string[];
  readonly commandLine: CommandLine;
  /** Words compared with what is typed or received (quit words), in the order seen. */
  readonly quitWords: readonly string[];
  /** Port numbers the program binds or connects to when no argument says otherwise. */
  readonly ports: readonly number[];
  readonly printed: readonly PrintedNumber[];
  /** The submission's own files it imports (a shared protocol module), paths inside the submission. */
  readonly modules: readonly string[];
}
