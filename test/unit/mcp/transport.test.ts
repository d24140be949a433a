// The MCP line transport: messages in by line, every message out redacted, an oversized line dropped with its
// request refused — the server keeps serving.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LineTransport } from '../../../src/mcp/transport.js';
import { redactCredentialHeaders, redactText } from '../../../src/mcp/redact.js';

function transport(secrets: string[] = [], maxMessageBytes?: number) {
  const input = new PassThrough();
  const written: string[] = [];
  const logs: string[] = [];
  const received: unknown[] = [];
  const t = new LineTransport({
    input,
    output: { write: (chunk: string) => written.push(chunk) },
    secrets: () => secrets,
    log: (line) => logs.push(line),
    maxMessageBytes,
  });
  t.onmessage = (m) => received.push(m);
  return { t, input, written, logs, received };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('LineTransport', () => {
  it('reads one message per line, across chunk boundaries', async () => {
    const { t, input, received } = transport();
    await t.start();
    const line = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' });
    input.write(line.slice(0, 10));
    input.write(`${line.slice(10)}\n${line.replace('1', '2')}`);
    input.write('\n');
    await tick();
    expect(received).toEqual([
      { jsonrpc: '2.0', id: 1, method: 'ping' },
      { jsonrpc: '2.0', id: 2, method: 'ping' },
    ]);
  });

  it('redacts secrets by shape and by value from what it sends', async () => {
    const { t, written } = transport(['s3cr3t-without-prefix']);
    await t.send({
      jsonrpc: '2.0',
      id: 1,
      result: { text: 'a whsec_abcDEF123 and s3cr3t-without-prefix here', ['whsec_key']: 1 },
    });
    expect(written.join('')).toBe(
      '{"jsonrpc":"2.0","id":1,"result":{"text":"a [redacted] and [redacted] here","[redacted]":1}}\n',
    );
  });

  it('drops a line over the limit, refuses its request by the id at its end, and goes on', async () => {
    const { t, input, written, logs, received } = transport([], 1024);
    await t.start();
    const big = JSON.stringify({ jsonrpc: '2.0', method: 'tools/call', params: { x: 'y'.repeat(5000) }, id: 7 });
    for (let i = 0; i < big.length; i += 700) input.write(big.slice(i, i + 700));
    input.write('\n{"jsonrpc":"2.0","id":8,"method":"ping"}\n');
    await tick();
    expect(received).toEqual([{ jsonrpc: '2.0', id: 8, method: 'ping' }]);
    expect(JSON.parse(written[0])).toMatchObject({ id: 7, error: { code: -32600 } });
    expect(logs).toEqual([expect.stringMatching(/dropped a message over/)]);
  });

  it('skips a line that is not JSON-RPC, and closes when its input ends', async () => {
    const { t, input, logs, received } = transport();
    let closed = false;
    t.onclose = () => (closed = true);
    await t.start();
    input.write('not json\n{"jsonrpc":"2.0","id":1,"method":"ping"}\n');
    input.end();
    await tick();
    expect(received).toHaveLength(1);
    expect(logs[0]).toMatch(/not a JSON-RPC message/);
    expect(closed).toBe(true);
  });
});

describe('redaction', () => {
  it('leaves short known values and ordinary text alone', () => {
    expect(redactText('the key abc is short', ['abc'])).toBe('the key abc is short');
    expect(redactText('prefix whsec_ alone', [])).toBe('prefix whsec_ alone');
  });

  it('redacts credential headers by name', () => {
    expect(
      redactCredentialHeaders({ authorization: 'Bearer x', 'x-api-key': 'k', 'x-pictify-signature': 't=1,v1=00' }),
    ).toEqual({ authorization: '[redacted]', 'x-api-key': '[redacted]', 'x-pictify-signature': 't=1,v1=00' });
  });
});
