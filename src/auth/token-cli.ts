// `npm run token -- --role operator [--role agent] [--sub alice] [--ttl 3600]`
// Prints a bearer token signed with the configured secret (JWT_SECRET, or the
// one Baton generated under DATA_DIR).
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { createTokenService } from './jwt.js';
import { ROLES, type Role } from './roles.js';
import { resolveJwtSecret } from './secret.js';

const { values } = parseArgs({
  options: {
    role: { type: 'string', multiple: true, default: ['admin'] },
    sub: { type: 'string', default: 'cli' },
    ttl: { type: 'string', default: String(12 * 3600) },
  },
});

const roles = values.role as string[];
const unknown = roles.filter((role) => !(ROLES as readonly string[]).includes(role));
const ttl = Number(values.ttl);
if (unknown.length > 0 || !Number.isInteger(ttl) || ttl <= 0) {
  console.error(`Usage: npm run token -- --role <${ROLES.join('|')}> [--role ...] [--sub name] [--ttl seconds]`);
  if (unknown.length > 0) console.error(`Unknown role: ${unknown.join(', ')}`);
  process.exit(2);
}

const secret = await resolveJwtSecret(loadConfig());
if (secret.value === undefined) {
  console.error('No JWT_SECRET is set and tokens come from the identity provider (JWT_JWKS_URL): get one from it.');
  process.exit(2);
}
const token = await createTokenService(secret.value).sign({ subject: values.sub as string, roles: roles as Role[] }, ttl);
console.log(token);
