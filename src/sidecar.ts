// `npm run sidecar`: the MCP/JSON-RPC/REST adapter as its own process on
// SIDECAR_PORT (8766), forwarding to the GraphQL API at GRAPHQL_URL, the way
// deploy/ runs it beside the API container.
import { createLogger } from './logger.js';
import { stopOnSignals } from './app/stop-on-signals.js';
import { loadSidecarConfig } from './app/sidecar-config.js';
import { createSidecarServer } from './app/sidecar-server.js';

const config = loadSidecarConfig();
const logger = createLogger(config.logLevel, config.serverId);
const sidecar = await createSidecarServer(config, logger);
const url = await sidecar.start();
logger.info({ url, graphql_url: config.graphqlUrl }, 'Baton adapter sidecar is listening');

stopOnSignals(() => sidecar.stop(), logger);
