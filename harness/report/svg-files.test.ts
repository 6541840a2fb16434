import { describe, expect, it } from "vitest";
import { extractSvgs } from "./svg-files.ts";

describe("extractSvgs", () => {
  it("moves each inline plot to a file and links it as an image", () => {
    const md = [
      "## Timing",
      '<svg xmlns="http://www.w3.org/2000/svg"><title>gap [ms] &amp; period</title><rect/></svg>',
      "text",
      "<svg><rect/></svg>",
    ].join("\n");
    const { markdown, files } = extractSvgs(md, "sensor-tcp");
    expect(markdown).toBe(
      "## Timing\n![gap \\[ms\\] &amp; period](sensor-tcp-1.svg)\ntext\n![plot](sensor-tcp-2.svg)",
    );
    expect(files.map((f) => f.name)).toEqual(["sensor-tcp-1.svg", "sensor-tcp-2.svg"]);
    expect(files[0]!.svg).toMatch(/^<svg xmlns=.*<\/svg>\n$/);
  });
});
