// Addresses and ports of this machine, as the service and Studio see them.
import net from "node:net";

const LOOPBACK = new net.BlockList();
LOOPBACK.addSubnet("127.0.0.0", 8, "ipv4");
// An IPv6 check also matches IPv4 loopback written as IPv6 (::ffff:127.0.0.1).
LOOPBACK.addAddress("::1", "ipv6");

/**
 * True for a host only this machine can reach: localhost, 127.0.0.0/8 and ::1, in any spelling
 * of the address (brackets, IPv4-mapped IPv6). Any other name may resolve anywhere.
 */
export function isLoopbackHost(host: string): boolean {
  const address = host.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  if (address === "localhost") return true;
  const version = net.isIP(address);
  return version !== 0 && LOOPBACK.check(address, version === 4 ? "ipv4" : "ipv6");
}

/** A port that was free on 127.0.0.1 a moment ago, for the caller to listen on next. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
