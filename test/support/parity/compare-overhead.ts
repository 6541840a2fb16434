// socklab's overhead (docs/analysis-json.md, "Overhead") held to the lengths tshark gives per frame, as
// capture totals per layer:
//
//   network    Σ of every IP frame's own IP header (ip.hdr_len; IPv6 40 and its extension headers,
//              fragment header included), ICMP errors and fragments too        → overhead.total.network
//   link       Σ (frame.len − the frame's IP length: ip.len, ipv6.plen + 40)  → overhead.total.link + trailer
//   transport  Σ tcp.hdr_len, 8 per UDP datagram, over the frames tshark shows TCP or UDP on (not ICMP
//              errors' quotes)                                                 → overhead.conversations.transport
//   payload    Σ tcp.len and udp.length − 8 over the same frames                → overhead.conversations.payload
//
// Not compared, and why:
// - network and link + trailer on a capture with an IP header cut by the snap length: socklab does not
//   decode a cut header (the frame is ignored, its bytes after the link header payload), while tshark
//   prints the lengths it can read from the part captured.
// - link and trailer apart: tshark prints no length of the link header, nor of a trailer other than Ethernet
//   padding, only what is left of the frame around the IP packet; their sum is compared.
// - link + trailer on a capture holding non-IP frames (ARP): socklab splits such a frame into its link
//   header and payload, and tshark gives no length of either.
// - transport and payload when tshark shows a TCP frame without tcp.hdr_len or tcp.len (the header cut by
//   the snap length): the frame's header length is not in the capture for tshark to print.
// - transport and payload on a capture holding IP fragments: socklab counts the transport header of every
//   frame carrying one and every fragment's data (a fragment seen twice, as in vlan-trunk, twice), while
//   tshark shows a header and length once per reassembled datagram, and in its single pass a fragment does
//   not say which frame completes it (ip.reassembled_in is printed only with -2); a first fragment tshark
//   did not reassemble shows the UDP length of the whole datagram, of which the capture holds one piece.
// - payload and transport of the ignored packets (ICMP, non-IP): socklab counts the bytes after the last
//   header it decoded as payload, a split tshark has no field for.
// - per conversation and per kind (byKind): not yet; the same per-frame fields summed per tcp.stream /
//   udp.stream and per kind (from the TCP flags and tcp.len) would give them.
import type { CaptureAnalysis } from "../../../harness/analyse/types.ts";
import type { Discrepancy } from "./discrepancy.ts";
import { isIcmp, type TsharkView } from "./tshark.ts";

/** The overhead totals tshark's fields give, each null where they cannot be had (see above). */
export function tsharkOverhead(view: TsharkView): {
  network: number | null;
  linkAndTrailer: number | null;
  transport: number | null;
  payload: number | null;
} {
  const ipFrames = view.frames.filter((f) => f.ip !== null);
  // Captured bytes ending before the end of the IP header (the link header taken as what the IP length
  // leaves of the frame).
  const headerCut = ipFrames.some((f) => f.capLen < f.len - f.ip!.total + f.ip!.header);
  const network = headerCut ? null : ipFrames.reduce((n, f) => n + f.ip!.header, 0);
  const linkAndTrailer =
    headerCut || ipFrames.length !== view.frames.length
      ? null
      : ipFrames.reduce((n, f) => n + f.len - f.ip!.total, 0);
  const fragments = view.frames.some((f) => f.fragment);
  let transport: number | null = fragments ? null : 0;
  let payload: number | null = fragments ? null : 0;
  for (const frame of view.frames) {
    if (isIcmp(frame) || transport === null || payload === null) continue;
    if (frame.tcp !== null) {
      if (frame.tcp.hdrLen === null || frame.tcp.len === null) transport = payload = null;
      else {
        transport += frame.tcp.hdrLen;
        payload += frame.tcp.len;
      }
    } else if (frame.udp !== null) {
      if (frame.udp.length === null) transport = payload = null;
      else {
        transport += 8;
        payload += frame.udp.length - 8;
      }
    }
  }
  return { network, linkAndTrailer, transport, payload };
}

/** Adds a discrepancy for each overhead total that differs from tshark's (see the top of this file). */
export function compareOverhead(view: TsharkView, doc: CaptureAnalysis, out: Discrepancy[]): void {
  const add = (field: string, tshark: number | null, socklab: number) => {
    if (tshark !== null && tshark !== socklab)
      out.push({ scope: "capture", where: "capture", field, tshark, socklab });
  };
  const expected = tsharkOverhead(view);
  const { total, conversations } = doc.overhead;
  add("overhead network (Σ IP headers)", expected.network, total.network);
  add(
    "overhead link + trailer (Σ frame.len − IP length)",
    expected.linkAndTrailer,
    total.link + total.trailer,
  );
  add("overhead transport (Σ tcp.hdr_len, 8 per UDP datagram)", expected.transport, conversations.transport);
  add("overhead payload (Σ tcp.len, udp.length − 8)", expected.payload, conversations.payload);
}
