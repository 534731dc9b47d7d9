import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The request as the middleware sees it: Node's `IncomingMessage` plus the fields Express adds.
 * Declared structurally so the middleware fits Express 4 and 5 (and their typings) alike.
 */
export interface CacheRequest extends IncomingMessage {
  originalUrl?: string;
  /** Express: the path of the URL (no query). */
  path?: string;
  /** Express: the parsed query string. */
  query?: unknown;
  /** Express: the host, from X-Forwarded-Host only when `trust proxy` trusts the peer. */
  hostname?: string;
  /** Express: 'http' or 'https', from X-Forwarded-Proto only when `trust proxy` trusts the peer. */
  protocol?: string;
  /** Set by method-override style middleware: the method the client really sent. */
  originalMethod?: string;
  /** The Express application (typed loosely so both majors' typings are accepted). */
  app?: unknown;
}

/** The response: Node's `ServerResponse` plus Express's `res.locals`. */
export interface CacheResponse extends ServerResponse {
  locals?: Record<string, unknown>;
}

/** Headers as stored: lower-case names, string or string-list values. */
export type StoredHeaders = Record<string, string | string[]>;

/** A stored response. */
export interface Entry {
  kind: 'entry';
  /** `CachePolicy#toObject()`. */
  policy: Record<string, unknown>;
  status: number;
  /** The headers to replay (hop-by-hop headers and those set upstream of the cache removed). */
  headers: StoredHeaders;
  body: Uint8Array;
  tags: string[];
  /** Epoch ms when the origin call that produced this entry started (compared with purge times). */
  storedAt: number;
}

/** Stored under the primary key of a response that has `Vary`: where its variants live. */
export interface VarySpec {
  kind: 'vary';
  /** Lower-case request header names, in the response's order. */
  fields: string[];
  /** Random generation: deleting the spec orphans every variant written under the old one. */
  gen: string;
}

export type StoredRecord = Entry | VarySpec;
