// What the interactive-clients scenario records for the checks (a run note): each client's typed line and
// whether its echo came back, and when every client sat connected and idle.

/** What happened to one client, for the checks. */
export interface InteractiveClient {
  readonly name: string;
  /** Whether the line typed on it came back (was printed by the client) in time. */
  readonly echoed: boolean;
  readonly line: string;
}

export interface InteractiveReport {
  readonly clients: readonly InteractiveClient[];
  /**
   * Wall-clock instants (µs since the epoch, the capture's clock) at which every client was running and idle:
   * just before the lines were typed, and just before the quit words. Connections open at these instants are
   * the clients' lasting connections, whatever the timing of the exchanges in between.
   */
  readonly idleAtUs: readonly number[];
  /** Whether the server side showed one ESTABLISHED connection per client at the same time. */
  readonly allConnected: boolean;
}
