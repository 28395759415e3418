import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP } from "node:net";

/**
 * Webhook URLs are chosen by partners, and the dispatcher POSTs to them from inside our network: without a
 * guard a partner could make it call internal services, the cloud metadata endpoint or the Lambda runtime API
 * (server-side request forgery). Deliveries may only reach public addresses. The check runs on the addresses
 * the connection actually uses (a `lookup` hook on the request), so a name that resolves to a private address,
 * or starts to after it was configured (DNS rebinding), is refused too. Redirects are never followed.
 */

const V4_BLOCKED: [string, number][] = [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8], // private
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local, cloud metadata
  ["172.16.0.0", 12], // private
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // documentation
  ["192.168.0.0", 16], // private
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24], // documentation
  ["203.0.113.0", 24], // documentation
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
];

function v4ToInt(ip: string): number {
  return ip.split(".").reduce((n, part) => n * 256 + Number(part), 0);
}

function inV4(ip: string, [base, bits]: [string, number]): boolean {
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return (v4ToInt(ip) & mask) >>> 0 === (v4ToInt(base) & mask) >>> 0;
}

/** The 8 groups of an IPv6 address as numbers (handles `::` and an embedded IPv4 tail). */
function v6Groups(ip: string): number[] {
  let s = ip.toLowerCase().split("%")[0]!;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    const n = v4ToInt(v4[1]!);
    s = s.slice(0, -v4[1]!.length) + `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = s.split("::") as [string, string | undefined];
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  const fill = tail === undefined ? [] : Array(8 - h.length - t.length).fill("0");
  return [...h, ...fill, ...t].map((g) => parseInt(g || "0", 16));
}

/**
 * Why `ip` may not receive webhooks, or undefined when it is a public address. `allowLoopback` is for the local
 * runtime and tests, where partners' receivers run on 127.0.0.1.
 */
export function blockedReason(ip: string, allowLoopback = false): string | undefined {
  const kind = isIP(ip);
  if (kind === 4) {
    if (allowLoopback && inV4(ip, ["127.0.0.0", 8])) return undefined;
    return V4_BLOCKED.some((r) => inV4(ip, r)) ? "not a public address" : undefined;
  }
  if (kind === 6) {
    const g = v6Groups(ip);
    const zeroPrefix = g.slice(0, 5).every((x) => x === 0);
    // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) carry an IPv4 address: judge that one.
    if (
      (zeroPrefix && g[5] === 0xffff) ||
      (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0))
    ) {
      const v4 = `${g[6]! >> 8}.${g[6]! & 255}.${g[7]! >> 8}.${g[7]! & 255}`;
      return blockedReason(v4, allowLoopback);
    }
    const loopback = g.slice(0, 7).every((x) => x === 0) && g[7] === 1;
    if (loopback) return allowLoopback ? undefined : "not a public address";
    if (g.every((x) => x === 0)) return "not a public address";
    if ((g[0]! & 0xfe00) === 0xfc00) return "not a public address"; // unique local fc00::/7
    if ((g[0]! & 0xffc0) === 0xfe80) return "not a public address"; // link-local fe80::/10
    if ((g[0]! & 0xff00) === 0xff00) return "not a public address"; // multicast
    if (g[0] === 0x2001 && g[1] === 0x0db8) return "not a public address"; // documentation
    return undefined;
  }
  return "not an IP address";
}

/** Checked when a partner sets its URL: IP literals and names that can only be local. */
export function urlBlockedReason(url: string, allowLoopback = false): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined; // not a URL at all: the URL check itself reports it
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (isIP(host)) return blockedReason(host, allowLoopback);
  if (host === "localhost" || host.endsWith(".localhost"))
    return allowLoopback ? undefined : "not a public address";
  if (/\.(local|internal|lan|home\.arpa)$/.test(host) || !host.includes(".")) return "not a public host name";
  return undefined;
}

export class BlockedAddressError extends Error {
  override name = "BlockedAddressError";
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

function guardedLookup(allowLoopback: boolean) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const list = addresses as LookupAddress[];
      if (list.length === 0 || list.some((a) => blockedReason(a.address, allowLoopback)))
        return callback(new BlockedAddressError(`${hostname} resolves to an address that is not public`), []);
      if (options.all) return callback(null, list);
      return callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

/**
 * POSTs `body` to `url` and resolves with the HTTP status. Refuses non-public addresses (see above), never
 * follows a redirect, and gives up after `timeoutMs` (rejecting with a `TimeoutError`).
 */
export function postGuarded(
  url: string,
  headers: Record<string, string>,
  body: string,
  opts: { timeoutMs: number; allowLoopback: boolean },
): Promise<number> {
  const u = new URL(url);
  const host = u.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host) && blockedReason(host, opts.allowLoopback))
    return Promise.reject(new BlockedAddressError(`${host} is not a public address`));
  const request = u.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      u,
      {
        method: "POST",
        headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
        lookup: guardedLookup(opts.allowLoopback) as never,
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.setTimeout(opts.timeoutMs, () => {
      const err = new Error(`no answer within ${opts.timeoutMs} ms`);
      err.name = "TimeoutError";
      req.destroy(err);
    });
    req.on("error", reject);
    req.end(body);
  });
}
