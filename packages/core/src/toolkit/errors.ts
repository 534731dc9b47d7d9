/** Why an envelope could not be encoded or decoded. */
export type EnvelopeErrorCode =
  /** The bytes are not a well-formed envelope (no envelope header, trailing bytes, bad gzip). */
  | 'MALFORMED'
  /** The checksum does not match: the value was truncated or altered after it was written. */
  | 'INTEGRITY'
  /** Another format version (a newer one, or version 1, which had no checksum) or unknown flags. */
  | 'UNSUPPORTED_VERSION'
  /** The value holds something the codec does not carry (a function, a class instance, a symbol…). */
  | 'UNSUPPORTED_TYPE'
  /** The value refers to itself. */
  | 'CIRCULAR'
  /** Nesting deeper than the codec's limit. */
  | 'TOO_DEEP'
  /** Decompressing would exceed `maxDecodedBytes`. */
  | 'TOO_LARGE';

/** Thrown by `encodeEnvelope` / `decodeEnvelope`; `code` says why. */
export class EnvelopeError extends Error {
  override name = 'EnvelopeError';
  readonly code: EnvelopeErrorCode;
  constructor(code: EnvelopeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Why a chunked value was not returned. */
export type ChunkingErrorCode =
  /** A chunk named by the manifest is gone (evicted, expired, or replaced by a newer write). */
  | 'MISSING_CHUNK'
  /** The reassembled bytes do not match the manifest's length or SHA-256. */
  | 'INTEGRITY'
  /** The manifest itself cannot be parsed. */
  | 'BAD_MANIFEST';

/**
 * Reported through `withChunking`'s `onError` when a chunked read turns into a miss. The reader
 * never returns partial or mixed bytes; this error says why it returned `undefined` instead.
 */
export class ChunkingError extends Error {
  override name = 'ChunkingError';
  readonly code: ChunkingErrorCode;
  constructor(code: ChunkingErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
