// `npm start`: Baton on PORT/HOST, embedded stores unless their URLs are set.
import { createBatonServer } from './app/baton-server.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { DatabaseUnreachableError } from './db/open-when-reachable.js';
import { stopOnSignals } from './app/stop-on-signals.js';

const config = configOrExit();
const logger = createLogger(config.logLevel, config.serverId);
const baton = await createBatonServer(config, logger).catch((error: unknown) => {
  // An unreachable database or a bad key is an operator's matter: one line saying what and where, no stack.
  if (!(error instanceof DatabaseUnreachableError) && !(error instanceof ConfigError)) throw error;
  logger.fatal(`Baton cannot start: ${error.message}`);
  process.exit(1);
});
const url = await baton.start();
logger.info(
  { url, database: baton.database.kind, events: baton.eventBus.transport, data_dir: baton.database.kind === 'pglite' ? config.dataDir : undefined },
  'Baton is listening',
);

if (baton.jwtSecret.generated) {
  const secret = `  No JWT_SECRET is set, so Baton generated one (kept in ${config.dataDir}/jwt-secret).`;
  const banner = baton.developmentToken
    ? [
        '',
        `  Baton is running. The dashboard, signed in as admin (the token rides in the fragment, which no server sees):`,
        '',
        `    ${url}/#token=${baton.developmentToken}`,
        '',
        `  GraphiQL at ${url}/graphql is pre-filled with the same token.`,
        secret,
        '  Admin token, valid 12 hours (npm run --silent token -- --role operator mints others):',
        '',
        `    Authorization: Bearer ${baton.developmentToken}`,
        '',
      ]
    : [
        '',
        `  Baton is running on ${config.host}, which other machines can reach: no token is printed.`,
        secret,
        '  Mint one on this machine, with the same DATA_DIR (or set JWT_SECRET for real use):',
        '',
        '    npm run --silent token -- --role admin',
        '',
      ];
  process.stderr.write(`${banner.join('\n')}\n`);
}

stopOnSignals(() => baton.stop(), logger);

/** A configuration Baton cannot start with (a production without DATA_ENCRYPTION_KEY…): what is wrong, no stack. */
function configOrExit(): ReturnType<typeof loadConfig> {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // No logger yet: its level is part of the configuration that failed.
    process.stderr.write(`Baton cannot start: ${error.message}\n`);
    process.exit(1);
  }
}
