import { createHash, timingSafeEqual } from 'node:crypto';
import { InvalidArgumentError } from '../client/errors';

/** Shortest shared secret accepted: a guessable secret would let anyone empty the cache. */
export const MIN_SECRET_LENGTH = 16;

/** Checks the secret a request presents against the configured one in constant time. */
export class SecretCheck {
  readonly #digest: Buffer;

  constructor(secret: unknown) {
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
      throw new InvalidArgumentError(
        `secret must be a string of at least ${MIN_SECRET_LENGTH} characters (generate one, e.g. openssl rand -hex 32)`,
      );
    }
    this.#digest = digest(secret);
  }

  /**
   * Whether `presented` is the secret. Both sides are hashed first, so the comparison takes the
   * same time whatever the length or content of what was presented (timingSafeEqual needs equal
   * lengths, and a length check would leak the secret's).
   */
  matches(presented: string | undefined): boolean {
    if (presented === undefined) return false;
    return timingSafeEqual(digest(presented), this.#digest);
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
