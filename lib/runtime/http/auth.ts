import { timingSafeEqual, createHash } from 'node:crypto';
import { AppError } from '../errors.js';

/**
 * Bearer-token check for function routes when AUTH_TOKEN is set. Hashing both sides first gives equal
 * lengths, so the comparison is constant-time whatever the caller sends.
 */
export function checkBearer(expected: string | undefined, authorization: string | undefined): void {
  if (expected === undefined) return;
  if (!authorization) {
    throw new AppError('unauthorized', 'missing Authorization header', { expected: 'Authorization: Bearer <AUTH_TOKEN>' });
  }
  const match = /^Bearer\s+(.+)$/i.exec(authorization);
  if (!match) throw new AppError('unauthorized', 'Authorization must use the Bearer scheme', { expected: 'Bearer <token>' });
  const a = createHash('sha256').update(match[1]!).digest();
  const b = createHash('sha256').update(expected).digest();
  if (!timingSafeEqual(a, b)) throw new AppError('forbidden', 'invalid bearer token');
}
