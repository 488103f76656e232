// Which hosts only this machine can reach, which decides the start-up warning about a service
// open without API keys. The first list holds the hosts a narrower check (127.0.0.1 and
// localhost only) got wrong. Which hosts Studio serves itself is another question (studio.ts).
import net from "node:net";
import { describe, expect, it } from "vitest";
import { freeLoopbackPort, isLoopbackHost } from "../../src/server/network.js";

describe("isLoopbackHost", () => {
  it("knows loopback in every spelling: 127.0.0.0/8, ::1, IPv4-mapped IPv6, localhost", () => {
    const disagreed = ["127.1.2.3", "127.255.255.254", "::1", "[::1]", "::ffff:127.0.0.1", "LOCALHOST"];
    const agreed = ["127.0.0.1", "localhost"];
    const moreSpellings = ["0:0:0:0:0:0:0:1", "[0:0:0:0:0:0:0:1]", "::ffff:7f00:1", "[::FFFF:127.0.0.2]"];
    for (const host of [...disagreed, ...agreed, ...moreSpellings]) expect(isLoopbackHost(host), host).toBe(true);
  });

  it("refuses every other address, and names that only look like loopback", () => {
    const addresses = ["0.0.0.0", "::", "192.168.1.10", "10.0.0.1", "128.0.0.1", "::2", "::ffff:10.0.0.1"];
    const names = ["example.com", "127.example.com", "127.0.0.1.example.com", "localhost.example.com", ""];
    for (const host of [...addresses, ...names]) expect(isLoopbackHost(host), host).toBe(false);
  });
});

describe("freeLoopbackPort", () => {
  it("gives a port that can be listened on at once", async () => {
    const port = await freeLoopbackPort();
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", resolve);
    });
    expect((server.address() as net.AddressInfo).port).toBe(port);
    await new Promise((resolve) => server.close(resolve));
  });
});
