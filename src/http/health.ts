// GET /health: the specification's shape, plus each dependency's state.
// 200 `healthy`; 200 `degraded` when an optional dependency (Redis) does not
// answer (Baton still serves, with less: see src/http/dependencies.ts); 503
// `unhealthy` when the database does not answer.
import type { Dependencies } from './dependencies.js';
import { healthOf } from './dependencies.js';
import type { Handler } from './router.js';
import { sendJson } from './respond.js';

export function createHealthHandler(dependencies: Dependencies, serverId: string): Handler {
  return async (_request, response) => {
    const states = await dependencies.check();
    const status = healthOf(states);
    sendJson(response, status === 'unhealthy' ? 503 : 200, {
      status,
      timestamp: new Date().toISOString(),
      server_id: serverId,
      dependencies: Object.fromEntries(states.map((state) => [state.name, state.up ? 'up' : 'down'])),
    });
  };
}
