// Baton's version, from package.json: published in the OpenRPC document and the MCP server's info.
import { readFileSync } from 'node:fs';

export const BATON_VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
