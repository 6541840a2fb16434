// GitHub (and most Markdown viewers) strip inline <svg>: a report's plots are written as .svg files beside it
// and shown as images. Each inline <svg>…</svg> of the Markdown becomes `![its title](<prefix>-<n>.svg)`.

/** The Markdown with each inline SVG replaced by an image link, and the files to write beside it. */
export function extractSvgs(
  markdown: string,
  prefix: string,
): { markdown: string; files: { name: string; svg: string }[] } {
  const files: { name: string; svg: string }[] = [];
  const replaced = markdown.replace(/<svg\b[\s\S]*?<\/svg>/g, (svg) => {
    const name = `${prefix}-${files.length + 1}.svg`;
    files.push({ name, svg: `${svg}\n` });
    const title = /<title>([\s\S]*?)<\/title>/.exec(svg)?.[1] ?? "plot";
    // The title is already XML-escaped text; in the alt text only brackets need escaping.
    const alt = title.replace(/[[\]]/g, "\\$&").replace(/\s+/g, " ").trim();
    return `![${alt}](${name})`;
  });
  return { markdown: replaced, files };
}
