// Every door authenticates through the one TokenService, so a refused token is
// counted and logged here, once, whichever door it came through. The token
// itself is never logged: only why it was refused.
import { AuthenticationError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { TokenService } from './jwt.js';

export function observeRefusedTokens(tokens: TokenService, onRefused: (error: AuthenticationError) => void): TokenService {
  async function observed<T>(work: Promise<T>): Promise<T> {
    try {
      return await work;
    } catch (error) {
      if (error instanceof AuthenticationError) onRefused(error);
      throw error;
    }
  }
  return {
    sign: (principal, ttlSeconds) => tokens.sign(principal, ttlSeconds),
    verify: (token) => observed(tokens.verify(token)),
    authenticate: (authorization) => observed(tokens.authenticate(authorization)),
    authenticateSession: (authorization) => observed(tokens.authenticateSession(authorization)),
  };
}

/** The API's (and the adapter sidecar's) accounting of refused tokens: baton_access_refusals_total{reason="unauthenticated"} and an info line with the reason. */
export function countRefusedTokens(
  tokens: TokenService,
  { metrics, logger }: { metrics: { accessRefusals: { inc(labels: { reason: string }): void } }; logger: Logger },
): TokenService {
  return observeRefusedTokens(tokens, (error) => {
    metrics.accessRefusals.inc({ reason: 'unauthenticated' });
    logger.info({ reason: error.message }, 'authentication refused');
  });
}
