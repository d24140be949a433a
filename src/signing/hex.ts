// A v1 is exactly 64 hex characters. Buffer.from(x, 'hex') is not a test of that: it keeps only the low byte of
// each UTF-16 unit, so a v1 written in CJK characters whose low bytes spell the digest used to verify. These
// char-code checks accept only 0-9, a-f and A-F, and allocate nothing.

/** 0–15 for a hex digit, -1 for anything else (including every non-ASCII unit). */
function nibble(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  return -1;
}

export function isHex64(value: string): boolean {
  if (value.length !== 64) return false;
  for (let i = 0; i < 64; i++) if (nibble(value.charCodeAt(i)) < 0) return false;
  return true;
}

/** Decodes a 64-hex-character string into the first 32 bytes of `into`; false (and `into` unspecified) otherwise. */
export function decodeHex64(value: string, into: Uint8Array): boolean {
  if (value.length !== 64) return false;
  for (let i = 0; i < 32; i++) {
    const high = nibble(value.charCodeAt(2 * i));
    const low = nibble(value.charCodeAt(2 * i + 1));
    if (high < 0 || low < 0) return false;
    into[i] = (high << 4) | low;
  }
  return true;
}
