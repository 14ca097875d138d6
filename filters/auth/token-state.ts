/**
 * What the JWT filters leave in the request's state bag for the filters after them:
 *   TOKEN_STATE_KEY ("jwt")        → { claims, subject } of the verified token, the shape
 *                                    forwardTokenField paths start from ("claims.sub")
 *   AUTH_USER_STATE_KEY ("auth-user") → the subject, as Skipper's auth filters record it
 */
import type { JWTPayload } from 'jose';

export const TOKEN_STATE_KEY = 'jwt';
export const AUTH_USER_STATE_KEY = 'auth-user';

export interface TokenState {
  readonly claims: JWTPayload;
  readonly subject: string | undefined;
}
