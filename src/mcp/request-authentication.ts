// The adapters check the bearer token before any work, so a caller without one
// gets 401 even for a malformed request; the header is then forwarded to GraphQL.
import type { IncomingMessage } from 'node:http';
import type { TokenService } from '../auth/jwt.js';
import { AuthenticationError } from '../errors.js';

/** The reason to answer 401, or undefined when the request carries a valid token. */
export async function authenticationFailure(tokens: TokenService, request: IncomingMessage): Promise<AuthenticationError | undefined> {
  try {
    await tokens.authenticate(request.headers.authorization);
    return undefined;
  } catch (error) {
    if (error instanceof AuthenticationError) return error;
    throw error;
  }
}
