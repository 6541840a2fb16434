// Shared formatting for the analysis report sections.

/** An endpoint as people write it: 127.0.0.1:65432 or [::1]:65432. */
export const endpoint = (e: { address: string; port: number }) =>
  e.address.includes(":") ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`;

/** Microseconds as seconds with six decimals. */
export const seconds = (us: number) => `${(us / 1e6).toFixed(6)} s`;
