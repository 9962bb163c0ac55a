// A wire shape's JSON Schema as Baton publishes it (OpenAPI 3.0, as in
// /api/v1/openapi.json), read back as a validator: a response checked with it
// is checked against the document, strictly (no unknown fields), not against
// the zod schema that strips them.
import { z } from 'zod';

export function publishedSchema(shape: z.ZodType, io: 'input' | 'output' = 'output') {
  return z.fromJSONSchema(z.toJSONSchema(shape, { target: 'openapi-3.0', io }) as never, { defaultTarget: 'openapi-3.0' });
}
