// The wire shapes that have a name of their own ("LeadData", "TriageResult"):
// the OpenAPI document publishes each once, under components, and refers to it.
// The name is kept in a registry of its own rather than zod's global one, so
// the schemas OpenRPC and MCP publish stay self-contained (no `$ref`s), and it is
// the schema's title everywhere.
import { z } from 'zod';

export const NAMED_SHAPES = z.registry<{ id: string }>();

export function named<T extends z.ZodType>(name: string, schema: T): T {
  const titled = schema.meta({ title: name });
  NAMED_SHAPES.add(titled, { id: name });
  return titled;
}
