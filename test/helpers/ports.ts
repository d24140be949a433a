// A port for a process the test starts itself (a README app, a fixed `--port`), chosen BELOW the kernel's
// ephemeral range: `listen(0)` anywhere else on the machine — other test files in parallel — is only ever given
// ports from that range, so a port probed free here cannot be taken between the probe and the app's own listen
// (the probe-then-close race that gave a README app EADDRINUSE in CI). Probed on both 127.0.0.1 and :: because
// apps that call `listen(port)` bind every interface.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

function ephemeralStart(): number {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32768;
  } catch {
    return 32768;
  }
}

function bindable(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'EADDRNOTAVAIL'));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

const handedOut = new Set<number>();

/** A free port outside the ephemeral range, never the same one twice in this process. */
export async function unusedPort(): Promise<number> {
  const high = Math.min(ephemeralStart(), 32768) - 1;
  const low = 20000;
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const port = low + Math.floor(Math.random() * (high - low));
    if (handedOut.has(port)) continue;
    if ((await bindable(port, '127.0.0.1')) && (await bindable(port, '::'))) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free port in ${low}-${high}`);
}
