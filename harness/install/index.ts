export { PACKAGE_ROOT, packageFile, VERSION } from "./package-files.ts";
