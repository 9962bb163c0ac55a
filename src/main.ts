// `npm start`: Baton on PORT/HOST, embedded stores unless their URLs are set.
import { createBatonServer } from './app/baton-server.js';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { stopOnSignals } from './app/stop-on-signals.js';

const config = loadConfig();
const logger = createLogger(config.logLevel, config.serverId);
const baton = await createBatonServer(config, logger);
const url = await baton.start();
logger.info(
  { url, database: baton.database.kind, events: baton.eventBus.transport, data_dir: baton.database.kind === 'pglite' ? config.dataDir : undefined },
  'Baton is listening',
);

if (baton.jwtSecret.generated) {
  const token = await baton.tokens.sign({ subject: 'admin', roles: ['admin'] });
  process.stderr.write(
    [
      '',
      `  Baton is running: GraphiQL at ${url}/graphql`,
      `  No JWT_SECRET is set, so Baton generated one (kept in ${config.dataDir}/jwt-secret).`,
      '  Admin token, valid 12 hours (npm run token -- --role operator mints others):',
      '',
      `    Authorization: Bearer ${token}`,
      '',
    ].join('\n') + '\n',
  );
}

stopOnSignals(() => baton.stop(), logger);
