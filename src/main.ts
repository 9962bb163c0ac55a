// `npm start`: Baton on PORT/HOST, embedded stores unless their URLs are set.
import { createBatonServer } from './app/baton-server.js';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { DatabaseUnreachableError } from './db/open-when-reachable.js';
import { stopOnSignals } from './app/stop-on-signals.js';

const config = loadConfig();
const logger = createLogger(config.logLevel, config.serverId);
const baton = await createBatonServer(config, logger).catch((error: unknown) => {
  // An unreachable database is an operator's matter: one line saying what and where, no stack.
  if (!(error instanceof DatabaseUnreachableError)) throw error;
  logger.fatal(`Baton cannot start: ${error.message}`);
  process.exit(1);
});
const url = await baton.start();
logger.info(
  { url, database: baton.database.kind, events: baton.eventBus.transport, data_dir: baton.database.kind === 'pglite' ? config.dataDir : undefined },
  'Baton is listening',
);

if (baton.developmentToken) {
  const banner = [
    '',
    `  Baton is running: GraphiQL at ${url}/graphql, pre-filled with the token below`,
    `  No JWT_SECRET is set, so Baton generated one (kept in ${config.dataDir}/jwt-secret).`,
    '  Admin token, valid 12 hours (npm run --silent token -- --role operator mints others):',
    '',
    `    Authorization: Bearer ${baton.developmentToken}`,
    '',
  ];
  process.stderr.write(`${banner.join('\n')}\n`);
}

stopOnSignals(() => baton.stop(), logger);
