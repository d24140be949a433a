// The Pictify signature scheme in one place, so the sender (sign/send/emulator) and receivers agree.

/** The header Pictify puts the signature in (HTTP header names are case-insensitive; Node lower-cases them). */
export const SIGNATURE_HEADER = 'X-Pictify-Signature';

/** Receivers reject deliveries whose `t` is further than this from their clock, in either direction. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** The only signature scheme Pictify documents; other `k=` entries in the header are ignored. */
export const SIGNATURE_SCHEME = 'v1';

/** Pictify secrets start with this; it is part of the HMAC key and must not be stripped. */
export const SECRET_PREFIX = 'whsec_';
