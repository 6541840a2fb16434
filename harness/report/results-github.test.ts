import { describe, expect, it } from "vitest";
import { lastStudentFrame } from "./results-github.ts";

describe("lastStudentFrame", () => {
  it("takes the student's last frame, not Python's own", () => {
    const traceback = [
      "Traceback (most recent call last):",
      '  File "/work/server.py", line 40, in <module>',
      "    main()",
      '  File "/work/lib/handler.py", line 12, in main',
      "    conn.sendall(data)",
      '  File "/usr/lib/python3.11/socket.py", line 99, in sendall',
      "BrokenPipeError: [Errno 32] Broken pipe",
    ].join("\n");
    expect(lastStudentFrame(traceback)).toEqual({ file: "lib/handler.py", line: 12 });
    expect(lastStudentFrame('File "server.py", line 3')).toEqual({ file: "server.py", line: 3 });
    expect(lastStudentFrame("no traceback")).toBeNull();
  });
});
