// Who runs the sandbox's commands. As root, every command is dropped to an unprivileged uid first, so student
// code never runs as real root; as an ordinary user, commands run as that user.

/** The uid and gid that sandbox commands use when the grader runs as root (nobody/nogroup on Debian). */
export const UNPRIVILEGED_ID = 65534;

export interface RunIdentity {
  /** Whether the grader itself runs as root. */
  readonly isRoot: boolean;
  /** The uid and gid the holder, tcpdump (namespace mode) and student code run as. */
  readonly uid: number;
  readonly gid: number;
  /** Words to put in front of a command so it runs as `uid` (empty when not root). */
  readonly prefix: readonly string[];
}

/** The identity sandbox commands run with, from the grader's own uid. */
export function runIdentity(): RunIdentity {
  const uid = process.getuid?.() ?? UNPRIVILEGED_ID;
  const gid = process.getgid?.() ?? UNPRIVILEGED_ID;
  if (uid !== 0) return { isRoot: false, uid, gid, prefix: [] };
  return {
    isRoot: true,
    uid: UNPRIVILEGED_ID,
    gid: UNPRIVILEGED_ID,
    prefix: ["setpriv", `--reuid=${UNPRIVILEGED_ID}`, `--regid=${UNPRIVILEGED_ID}`, "--clear-groups", "--"],
  };
}
