// socklab's version: the one in package.json, shown by --version and written into every result.
export { VERSION } from "../install/index.ts";
