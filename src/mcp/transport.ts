// MCP over stdio, one JSON-RPC message per line: the SDK's framing, with two differences that keep the server
// alive and quiet. Every outgoing message is redacted (redact.ts) on its way out, whatever produced it. A line over
// the size limit is dropped, not fatal (the SDK's transport closes the connection): its request is answered with an
// error when its id can be read from its end, where the SDK's client writes it.
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { deserializeMessage, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { redactDeep } from './redact.js';

export const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

export interface LineTransportOptions {
  input: NodeJS.ReadableStream;
  output: { write(chunk: string): unknown };
  /** The secret values to redact, read at each send (the stored ones change as subscriptions are made). */
  secrets(): readonly string[];
  log(line: string): void;
  maxMessageBytes?: number;
}

const TRAILING_ID = /"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.){0,100}")\s*\}\s*$/;

export class LineTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  readonly #options: LineTransportOptions;
  readonly #max: number;
  #chunks: Buffer[] = [];
  #size = 0;
  /** Inside a line over the limit: its bytes are skipped up to the next newline; its last few are kept. */
  #dropping: { tail: string } | undefined;
  #closed = false;

  constructor(options: LineTransportOptions) {
    this.#options = options;
    this.#max = options.maxMessageBytes ?? MAX_MESSAGE_BYTES;
  }

  async start(): Promise<void> {
    const { input } = this.#options;
    input.on('data', this.#onData);
    input.on('end', this.#onEnd);
    input.on('error', this.#onError);
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.#closed) return;
    this.#options.output.write(serializeMessage(redactDeep(message, this.#options.secrets())));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const { input } = this.#options;
    input.off('data', this.#onData);
    input.off('end', this.#onEnd);
    input.off('error', this.#onError);
    input.pause();
    this.onclose?.();
  }

  #onEnd = () => void this.close();
  #onError = (error: Error) => this.onerror?.(error);

  #onData = (chunk: Buffer | string) => {
    let data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    for (let newline = data.indexOf(10); ; newline = data.indexOf(10)) {
      const piece = newline === -1 ? data : data.subarray(0, newline);
      if (this.#dropping) this.#dropping.tail = (this.#dropping.tail + piece.toString('latin1')).slice(-256);
      else {
        this.#chunks.push(piece);
        this.#size += piece.length;
        if (this.#size > this.#max) {
          this.#dropping = { tail: Buffer.concat(this.#chunks).subarray(-256).toString('latin1') };
          this.#chunks = [];
          this.#size = 0;
        }
      }
      if (newline === -1) return;
      this.#endOfLine();
      data = data.subarray(newline + 1);
    }
  };

  #endOfLine(): void {
    if (this.#dropping) {
      const { tail } = this.#dropping;
      this.#dropping = undefined;
      this.#refuseOversized(tail);
      return;
    }
    const line = Buffer.concat(this.#chunks).toString('utf8').replace(/\r$/, '');
    this.#chunks = [];
    this.#size = 0;
    if (line.trim() === '') return;
    let message: JSONRPCMessage;
    try {
      message = deserializeMessage(line);
    } catch (error) {
      this.#options.log(
        `mcp: ignored a line that is not a JSON-RPC message: ${(error as Error).message.split('\n')[0]}`,
      );
      return;
    }
    this.onmessage?.(message);
  }

  #refuseOversized(tail: string): void {
    const limit = `${Math.round(this.#max / 1024 / 1024)} MiB`;
    this.#options.log(`mcp: dropped a message over ${limit}`);
    const id = TRAILING_ID.exec(tail)?.[1];
    if (id === undefined) return;
    void this.send({
      jsonrpc: '2.0',
      id: JSON.parse(id) as string | number,
      error: { code: -32600, message: `request too large: a message may be at most ${limit}` },
    });
  }
}
