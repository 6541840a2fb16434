// The names and words `socklab init` looks for in Python sources: socket calls and classes that tell TCP from
// UDP and a server from a client, what serves several clients at once, and the words of sensor programs and
// of reliable delivery (English, Spanish, French).

/** Calls and classes that mean a TCP socket. */
export const TCP_CALLS = new Set([
  "create_connection",
  "create_server",
  "open_connection",
  "start_server",
  "TCPServer",
  "ThreadingTCPServer",
  "ForkingTCPServer",
  "StreamRequestHandler",
]);
/** Calls and classes that mean a UDP socket. */
export const UDP_CALLS = new Set([
  "UDPServer",
  "ThreadingUDPServer",
  "ForkingUDPServer",
  "DatagramRequestHandler",
  "create_datagram_endpoint",
]);
/** Calls and classes only a server makes. */
export const SERVER_CALLS = new Set([
  "listen",
  "accept",
  "TCPServer",
  "ThreadingTCPServer",
  "ForkingTCPServer",
  "UDPServer",
  "ThreadingUDPServer",
  "ForkingUDPServer",
  "start_server",
  "create_server",
  "serve_forever",
]);
/** Calls only a client makes. */
export const CLIENT_CALLS = new Set(["connect", "connect_ex", "create_connection", "open_connection"]);
/** What serves several clients at once, by the callee or name that shows it. */
export const CONCURRENCY: readonly [RegExp, string][] = [
  [/^(?:threading\.)?Thread$/, "threading.Thread"],
  [/ThreadPoolExecutor$/, "a thread pool"],
  [/start_new_thread$/, "_thread"],
  [/^(?:socketserver\.)?Threading(?:TCP|UDP)Server$|ThreadingMixIn$/, "socketserver's threads"],
  [/^(?:socketserver\.)?Forking(?:TCP|UDP)Server$|ForkingMixIn$/, "socketserver's forks"],
  [/^os\.fork$|^fork$/, "os.fork"],
  [/^(?:multiprocessing\.)?Process$|ProcessPoolExecutor$|^(?:multiprocessing\.)?Pool$/, "processes"],
  [/^asyncio\.start_server$|^start_server$/, "asyncio"],
  [/^selectors\.|^select\.select$|^select\.(?:e?poll)$|DefaultSelector$/, "select"],
];
/** Words of sensor programs. */
export const SENSOR_WORDS = new Set([
  "sensor",
  "sensors",
  "sensores",
  "temperature",
  "temperatura",
  "temp",
  "humidity",
  "humedad",
  "humidite",
  "pressure",
  "presion",
  "reading",
  "readings",
  "lectura",
  "lecturas",
  "medida",
  "medidas",
  "measure",
  "measurement",
  "capteur",
  "mesure",
  "telemetry",
  "telemetria",
  "station",
  "estacion",
  "lux",
  "wind",
  "rain",
  "lluvia",
  "alarm",
  "alarma",
  "accel",
]);
/** Words (or their beginnings) of retransmission and in-order delivery, in English, Spanish, French. */
export const RELIABLE_WORD =
  /^(?:retrans|resend|reenv|retry$|retries$|reintent|intento|tries$|attempt|window$|ventana$|rto$|backoff|gbn$|arq$|unack|expected$|esperad|espero$|attendu|adelanto$|dup|reorder|desorden|nack$|outstanding$)/;

/** Socket methods: they count when called on an object (`sock.listen()`), not as a function of the program's. */
export const SOCKET_METHODS = new Set([
  "bind",
  "listen",
  "accept",
  "connect",
  "connect_ex",
  "sendto",
  "recvfrom",
  "send",
  "sendall",
  "recv",
  "recv_into",
  "recvfrom_into",
  "write",
]);
