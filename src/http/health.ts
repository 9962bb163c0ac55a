// GET /health: the specification's shape; 503 when the database does not answer.
import type { PrismaClient } from '../db/generated/prisma/client.js';
import type { Handler } from './router.js';
import { sendJson } from './respond.js';

const DATABASE_TIMEOUT_MS = 2000;

export function createHealthHandler(prisma: PrismaClient, serverId: string): Handler {
  return async (_request, response) => {
    const healthy = await Promise.race([
      prisma.$queryRaw`SELECT 1`.then(
        () => true,
        () => false,
      ),
      new Promise<boolean>((resolve) => setTimeout(resolve, DATABASE_TIMEOUT_MS, false).unref()),
    ]);
    sendJson(response, healthy ? 200 : 503, {
      status: healthy ? 'healthy' : 'unhealthy',
      timestamp: new Date().toISOString(),
      server_id: serverId,
    });
  };
}
