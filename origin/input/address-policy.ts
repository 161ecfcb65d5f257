import { isIPv4, isIPv6 } from "node:net";

/** Decides whether the origin may connect to an IP address (given as text, IPv4 or IPv6). */
export type AddressPolicy = (address: string) => boolean;

interface Range {
  bytes: Uint8Array;
  prefix: number;
}

// IPv4 ranges a fetch must never reach: "this network", private, CGNAT (incl. cloud metadata
// such as 100.100.100.200), loopback, link-local (incl. 169.254.169.254), IETF protocol
// assignments, documentation, benchmarking, multicast, reserved and broadcast.
const FORBIDDEN_V4 = [
  "0.0.0.0/8",
  "10.0.0.0/8",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "172.16.0.0/12",
  "192.0.0.0/24",
  "192.0.2.0/24",
  "192.88.99.0/24",
  "192.168.0.0/16",
  "198.18.0.0/15",
  "198.51.100.0/24",
  "203.0.113.0/24",
  "224.0.0.0/4",
  "240.0.0.0/4",
].map(parseRange);

// IPv6: local-use NAT64, discard, Teredo, ORCHID, documentation, unique-local (incl.
// fd00:ec2::254), site-local, link-local and multicast. Ranges that embed an IPv4 address
// (mapped, compatible, NAT64, 6to4) are judged by that address instead.
const FORBIDDEN_V6 = [
  "64:ff9b:1::/48",
  "100::/64",
  "2001::/32",
  "2001:10::/28",
  "2001:20::/28",
  "2001:db8::/32",
  "3fff::/20",
  "fc00::/7",
  "fec0::/10",
  "fe80::/10",
  "ff00::/8",
].map(parseRange);

/** Where IPv6 ranges carry an IPv4 address, and at which byte offset. */
const EMBEDDED_V4: { range: Range; offset: number }[] = [
  { range: parseRange("::ffff:0:0/96"), offset: 12 },
  { range: parseRange("::/96"), offset: 12 },
  { range: parseRange("64:ff9b::/96"), offset: 12 },
  { range: parseRange("2002::/16"), offset: 2 },
];

function parseV4(text: string): Uint8Array {
  return Uint8Array.from(text.split(".").map(Number));
}

/** Rewrites a trailing dotted quad (`::ffff:1.2.3.4`) as two hex groups. */
function withoutDottedQuad(text: string): string {
  const lastColon = text.lastIndexOf(":");
  if (!text.includes(".", lastColon)) return text;
  const [a = 0, b = 0, c = 0, d = 0] = parseV4(text.slice(lastColon + 1));
  return `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
}

function parseV6(text: string): Uint8Array {
  const [head = "", tail] = withoutDottedQuad(text).split("::");
  const groupsOf = (part: string) =>
    part === "" ? [] : part.split(":").map((g) => Number.parseInt(g, 16));
  const headGroups = groupsOf(head);
  const tailGroups = tail === undefined ? [] : groupsOf(tail);
  const zeros = new Array<number>(8 - headGroups.length - tailGroups.length).fill(0);
  const bytes = new Uint8Array(16);
  [...headGroups, ...zeros, ...tailGroups].forEach((group, i) => {
    bytes[i * 2] = group >> 8;
    bytes[i * 2 + 1] = group & 0xff;
  });
  return bytes;
}

function parseRange(cidr: string): Range {
  const [address = "", prefix = ""] = cidr.split("/");
  return { bytes: isIPv4(address) ? parseV4(address) : parseV6(address), prefix: Number(prefix) };
}

function inRange(bytes: Uint8Array, range: Range): boolean {
  if (bytes.length !== range.bytes.length) return false;
  const whole = Math.floor(range.prefix / 8);
  for (let i = 0; i < whole; i++) if (bytes[i] !== range.bytes[i]) return false;
  const bits = range.prefix % 8;
  if (bits === 0) return true;
  const mask = (0xff << (8 - bits)) & 0xff;
  return ((bytes[whole] as number) & mask) === ((range.bytes[whole] as number) & mask);
}

function isForbiddenV4(bytes: Uint8Array): boolean {
  return FORBIDDEN_V4.some((range) => inRange(bytes, range));
}

// Checked first: both sit inside ::/96 but are IPv6 addresses in their own right.
const UNSPECIFIED_AND_LOOPBACK_V6 = ["::/128", "::1/128"].map(parseRange);

function isForbiddenV6(bytes: Uint8Array): boolean {
  if (UNSPECIFIED_AND_LOOPBACK_V6.some((range) => inRange(bytes, range))) return true;
  const embedded = EMBEDDED_V4.find(({ range }) => inRange(bytes, range));
  if (embedded) return isForbiddenV4(bytes.subarray(embedded.offset, embedded.offset + 4));
  return FORBIDDEN_V6.some((range) => inRange(bytes, range));
}

/** True for addresses on the public internet; false for anything internal or not an IP. */
export function isPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  if (isIPv4(bare)) return !isForbiddenV4(parseV4(bare));
  if (isIPv6(bare)) return !isForbiddenV6(parseV6(bare));
  return false;
}

export const anyAddress: AddressPolicy = () => true;
