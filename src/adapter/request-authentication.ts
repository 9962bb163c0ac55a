// The adapters check the bearer token before any work, so a caller without one
// gets 401 even for a malformed request.
import type { IncomingMessage } from 'node:http';
import type { TokenService } from '../auth/jwt.js';
import { AuthenticationError } from '../errors.js';
import type { Caller } from './graphql-executor.js';

export type Authentication = { ok: true; caller: Caller } | { ok: false; error: AuthenticationError };

export async function authenticateRequest(tokens: TokenService, request: IncomingMessage): Promise<Authentication> {
  const authorization = request.headers.authorization;
  try {
    return { ok: true, caller: { authorization, principal: await tokens.authenticate(authorization) } };
  } catch (error) {
    if (error instanceof AuthenticationError) return { ok: false, error };
    throw error;
  }
}
