// Structured logs: one JSON line per event, pino's defaults (level, time, msg).
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, serverId: string): Logger {
  return pino({ level, base: { server_id: serverId, pid: process.pid } });
}
