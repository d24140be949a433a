// A stored line's few facts — id, time, event name, verdict flags — read from its raw bytes without parsing the
// line: listen writes every record with one key order (JSON.stringify of an EventRecord: `id` and `receivedAt`
// first, then … `verdict`, `event`, `deliveryId` …), so each sits at a place a byte search finds. Inside a JSON
// string every `"` is escaped, so a search for `,"event":` can only meet a key; the last such key in the line is the
// record's own (a header of that name comes earlier). A line that does not have this shape gets undefined: its
// reader parses it instead. (Two records run together — a write torn by a kill, then the next one appended to it —
// pass for the first one here; reading that line back fails, and the inspector leaves its row out.)

const ID_HEAD = Buffer.from('{"id":"');
const RECEIVED_AT = Buffer.from('","receivedAt":"');
const VERDICT_FIELD = Buffer.from(',"verdict":{');
const EVENT_AFTER_VERDICT = Buffer.from('},"event":');
const EVENT_FIELD = Buffer.from(',"event":');
const DELIVERY_FIELD = Buffer.from(',"deliveryId":');
const OK_TRUE = Buffer.from('{"ok":true');
const OK_FALSE = Buffer.from('{"ok":false');
const DUPLICATE_TRUE = Buffer.from('"duplicate":true');
const IGNORED_TRUE = Buffer.from('"ignored":true');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const CLOSE_BRACE = 0x7d;

export interface LineFacts {
  /** Where the id's bytes are in the buffer (it is plain text there: no escapes): `[idStart, idEnd)`. */
  idStart: number;
  idEnd: number;
  /** Unix milliseconds; NaN when the time does not read. */
  timeMs: number;
  event: string | null;
  ok: boolean;
  duplicate: boolean;
  ignored: boolean;
}

/** Event names seen, by their raw JSON text: most lines repeat a handful of them. */
const eventNames = new Map<string, string | null>();

/**
 * The facts of `buffer[start, stop)`, or undefined when the line is not laid out as listen writes it. Every search
 * stays inside the line, so a line of another layout costs its own length, never the rest of the chunk; nothing
 * but the event name is decoded (it runs once per stored line when the inspector opens a store).
 */
export function lineFacts(buffer: Buffer, start: number, stop: number): LineFacts | undefined {
  const line = buffer.subarray(start, stop);
  if (line.length < 64 || line[line.length - 1] !== CLOSE_BRACE) return undefined;
  if (line.compare(ID_HEAD, 0, ID_HEAD.length, 0, ID_HEAD.length) !== 0) return undefined;
  let idEnd = ID_HEAD.length;
  while (idEnd < line.length && idEnd < 256 && line[idEnd] !== QUOTE && line[idEnd] !== BACKSLASH) idEnd++;
  if (line[idEnd] !== QUOTE) return undefined;
  if (line.compare(RECEIVED_AT, 0, RECEIVED_AT.length, idEnd, idEnd + RECEIVED_AT.length) !== 0) return undefined;
  const timeStart = idEnd + RECEIVED_AT.length;
  const timeEnd = line.indexOf(QUOTE, timeStart);
  if (timeEnd === -1 || timeEnd - timeStart > 40) return undefined;
  const eventAt = line.lastIndexOf(EVENT_AFTER_VERDICT);
  if (eventAt < timeEnd) return undefined;
  const deliveryAt = line.indexOf(DELIVERY_FIELD, eventAt);
  const verdictAt = line.lastIndexOf(VERDICT_FIELD, eventAt);
  if (deliveryAt === -1 || verdictAt < timeEnd) return undefined;
  // Every verdict starts with its `ok`; the rest of it is flat (strings, booleans, one array of strings), so a
  // `"duplicate":true` in it is its own key.
  const body = verdictAt + VERDICT_FIELD.length - 1;
  const ok = line.compare(OK_TRUE, 0, OK_TRUE.length, body, body + OK_TRUE.length) === 0;
  if (!ok && line.compare(OK_FALSE, 0, OK_FALSE.length, body, body + OK_FALSE.length) !== 0) return undefined;
  const event = eventName(line.toString('latin1', eventAt + EVENT_AFTER_VERDICT.length, deliveryAt));
  if (event === undefined) return undefined;
  const inVerdict = (flag: Buffer) => {
    const at = line.indexOf(flag, body);
    return at !== -1 && at < eventAt;
  };
  return {
    idStart: start + ID_HEAD.length,
    idEnd: start + idEnd,
    timeMs: isoTime(line, timeStart, timeEnd),
    event,
    ok,
    duplicate: inVerdict(DUPLICATE_TRUE),
    ignored: inVerdict(IGNORED_TRUE),
  };
}

/** `2024-05-01T12:34:56.789Z` (as `toISOString` writes it) read from bytes; other forms go through Date.parse. */
function isoTime(line: Buffer, start: number, end: number): number {
  const digits = (from: number, count: number) => {
    let n = 0;
    for (let i = from; i < from + count; i++) {
      const d = line[i] - 0x30;
      if (d < 0 || d > 9) return NaN;
      n = n * 10 + d;
    }
    return n;
  };
  if (end - start !== 24 || line[start + 23] !== 0x5a /* Z */ || line[start + 10] !== 0x54 /* T */) {
    return Date.parse(line.toString('latin1', start, end));
  }
  const at = (i: number, n: number) => digits(start + i, n);
  return Date.UTC(at(0, 4), at(5, 2) - 1, at(8, 2), at(11, 2), at(14, 2), at(17, 2), at(20, 3));
}

/**
 * A stored line's event name alone (what `events list --event` filters by): the last `,"event":` in the line up to
 * `,"deliveryId":`. Null when the line has none or it is not a string.
 */
export function eventOfLine(buffer: Buffer, start: number, stop: number): string | null {
  const line = buffer.subarray(start, stop);
  const at = line.lastIndexOf(EVENT_FIELD);
  if (at === -1) return null;
  const to = line.indexOf(DELIVERY_FIELD, at);
  if (to === -1) return null;
  return eventName(line.toString('latin1', at + EVENT_FIELD.length, to)) ?? null;
}

/** The event name a raw JSON value spells (latin1-decoded bytes), null for `null`, undefined when not a name. */
function eventName(raw: string): string | null | undefined {
  const known = eventNames.get(raw);
  if (known !== undefined || eventNames.has(raw)) return known;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(raw, 'latin1').toString('utf8'));
  } catch {
    return undefined;
  }
  if (value !== null && typeof value !== 'string') return undefined;
  // Bounded: a store of a few event types fills a few entries; a hostile one full of names stops being cached.
  if (eventNames.size < 1000) eventNames.set(raw, value);
  return value;
}
