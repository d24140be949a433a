// A port for a process the test starts itself (a README app, a fixed `--port`): the product's own
// freeLoopbackPort, which picks below the kernel's ephemeral range so a parallel test file's `listen(0)` cannot
// take it between the probe and the app's listen (the race that gave a README app EADDRINUSE in CI). Probed on
// both 127.0.0.1 and :: because apps that call `listen(port)` bind every interface; never the same port twice.
import { freeLoopbackPort } from '../../src/receiver/tunnel/start.js';

const handedOut = new Set<number>();

export async function unusedPort(): Promise<number> {
  for (;;) {
    const port = await freeLoopbackPort(['127.0.0.1', '::']);
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}
