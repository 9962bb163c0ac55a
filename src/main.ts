// `npm start`: Baton on PORT/HOST, embedded stores unless their URLs are set.
import { createBatonServer } from './server.js';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';

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

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    baton.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
