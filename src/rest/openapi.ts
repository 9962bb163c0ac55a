// The OpenAPI 3 document of the REST adapter, served at GET /api/v1/openapi.json:
// the specification's Agent Orchestrator API as Baton serves it, with the
// OptimizationRequest / OptimizationResponse the specification references but
// never defines. Generated from the routes (src/rest/routes.ts) and their
// operations' zod schemas: each named shape (src/adapter/shapes/named-shapes.ts)
// is one component, referred to wherever it appears.
import { z } from 'zod';
import type { AnyAdapterOperation } from '../adapter/adapter-operation.js';
import { NAMED_SHAPES } from '../adapter/shapes/named-shapes.js';
import { DELIVERY_EVENT_SCHEMAS, DELIVERY_EVENTS_PATHS, WEBHOOK_SIGNATURE_SCHEME } from './delivery-events/delivery-events-openapi.js';
import { errorBodySchema } from './error-response.js';
import { REST_ROUTES } from './routes.js';
import { AUDIT_LOG_EXPORT_PATHS } from './audit-log-export-openapi.js';

type JsonSchema = Record<string, unknown>;
type Io = 'input' | 'output';
type Route = (typeof REST_ROUTES)[number];

const COMPONENTS = '#/components/schemas/';

/**
 * Every named shape in OpenAPI 3.0's dialect, as a request reads it (`input`:
 * the labels a caller sends) and as a response gives it (`output`). OpenAPI 3.0
 * writes one example (`example`) where JSON Schema lists several (`examples`).
 */
function namedShapes(io: Io): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(NAMED_SHAPES, {
    target: 'openapi-3.0',
    io,
    // A request shape's transforms have no output side; its input pass is the one published.
    unrepresentable: 'any',
    uri: (id) => `${COMPONENTS}${id}`,
    override: ({ jsonSchema }) => {
      const { examples } = jsonSchema as { examples?: unknown[] };
      if (!Array.isArray(examples)) return;
      delete jsonSchema.examples;
      (jsonSchema as JsonSchema).example = examples[0];
    },
  });
  return Object.fromEntries(Object.entries(schemas).map(([id, { $id: _id, ...schema }]) => [id, schema as JsonSchema]));
}

/** `schema` as OpenAPI 3.0: a reference to its component when it is a named shape. */
function schemaOf(schema: z.ZodType, io: Io): JsonSchema {
  const id = NAMED_SHAPES.get(schema)?.id;
  return id ? { $ref: `${COMPONENTS}${id}` } : (z.toJSONSchema(schema, { target: 'openapi-3.0', io }) as JsonSchema);
}

/** The named shapes `roots` refer to, themselves included, through `$ref`s in `shapes`. */
function referenced(roots: unknown[], shapes: Record<string, JsonSchema>): Set<string> {
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    const ref = (node as { $ref?: unknown }).$ref;
    if (typeof ref === 'string' && ref.startsWith(COMPONENTS)) {
      const id = ref.slice(COMPONENTS.length);
      if (!found.has(id)) {
        found.add(id);
        visit(shapes[id]);
      }
    }
    Object.values(node).forEach(visit);
  };
  roots.forEach(visit);
  return found;
}

function inputFields(operation: AnyAdapterOperation): Record<string, z.ZodType> {
  return (operation.input as z.ZodObject).shape;
}

function pathParameterNames(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!);
}

/** The path's named segments, and a GET's query parameters: the input's other fields. */
function parameters(route: Route) {
  const fields = inputFields(route.operation);
  const inPath = pathParameterNames(route.path);
  const parameter = (name: string, location: 'path' | 'query') => {
    const field = fields[name]!;
    const { description, ...schema } = schemaOf(field, 'input');
    return {
      name,
      in: location,
      required: location === 'path' || !field.isOptional(),
      ...(typeof description === 'string' ? { description } : {}),
      schema,
    };
  };
  return [
    ...inPath.map((name) => parameter(name, 'path')),
    ...(route.method !== 'POST'
      ? Object.keys(fields)
          .filter((name) => !inPath.includes(name))
          .map((name) => parameter(name, 'query'))
      : []),
    ...(route.idempotent ? [IDEMPOTENCY_KEY] : []),
    ...(route.async ? [PREFER] : []),
  ];
}

const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
const HEALTH_SCHEMA = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['healthy', 'degraded', 'unhealthy'] },
    timestamp: { type: 'string', format: 'date-time' },
    server_id: { type: 'string' },
    dependencies: {
      type: 'object',
      description: 'Each dependency: `up` or `down` (database always; redis when REDIS_URL is set).',
      additionalProperties: { type: 'string', enum: ['up', 'down'] },
    },
  },
};

const failure = (description: string) => ({ description, content: json(schemaOf(errorBodySchema, 'output')) });

const IDEMPOTENCY_KEY = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'A unique key for this request (e.g. a UUID), bare or as a quoted structured-field string. ' +
    'The same key with a different request answers 422; while the first request runs, 409.',
  schema: { type: 'string', minLength: 1, maxLength: 255 },
};

const PREFER = {
  name: 'Prefer',
  in: 'header',
  required: false,
  description:
    '`respond-async` (RFC 7240): answer 202 Accepted as soon as the work is queued, with a Location to follow it, instead of waiting for the agents.',
  schema: { type: 'string', example: 'respond-async' },
};

const IDEMPOTENCY =
  'With an Idempotency-Key, the first request runs and its response (any status below 500) is kept for 24 hours: ' +
  'repeating the same request with the same key answers that status and body again, with `Idempotent-Replayed: true`, ' +
  'without running it twice. Keys belong to the token subject.';

function responses(route: Route) {
  const output = (route.async?.completed ?? route.operation.output) as z.ZodType;
  const { 400: invalid, 403: forbidden, 404: notFound, 409: conflict } = route.failures;
  return {
    '200': {
      description: NAMED_SHAPES.get(output)?.id ?? 'OK',
      ...(route.idempotent
        ? {
            headers: {
              'Idempotent-Replayed': {
                description: 'Present, `true`, when this is the stored response of an earlier request with the same Idempotency-Key',
                schema: { type: 'string', enum: ['true'] },
              },
            },
          }
        : {}),
      content: json(schemaOf(output, 'output')),
    },
    ...(route.async
      ? {
          '202': {
            description:
              "The work goes on on the agents' workers (it outlasted the server's wait, or the caller sent `Prefer: respond-async`): the flow as it stands; follow it at Location.",
            headers: {
              Location: { description: 'Where to follow the work (GET).', schema: { type: 'string' } },
              'Preference-Applied': { description: '`respond-async` when the request asked for it.', schema: { type: 'string', enum: ['respond-async'] } },
            },
            content: json(schemaOf(route.async.accepted as z.ZodType, 'output')),
          },
        }
      : {}),
    ...(invalid || route.idempotent
      ? { '400': failure([invalid, route.idempotent && 'an Idempotency-Key that is empty or longer than 255 characters'].filter(Boolean).join('; or ')) }
      : {}),
    '401': {
      ...failure('Missing or invalid token'),
      headers: {
        'WWW-Authenticate': {
          description:
            'Bearer resource_metadata="<base>/.well-known/oauth-protected-resource" (RFC 9728: where to get a token), with error="invalid_token" when a token was refused.',
          schema: { type: 'string' },
        },
      },
    },
    ...(forbidden ? { '403': failure(forbidden) } : {}),
    ...(notFound ? { '404': failure(notFound) } : {}),
    ...(conflict ? { '409': failure(conflict) } : {}),
    ...(route.idempotent
      ? {
          '409': failure(
            [conflict, 'IDEMPOTENCY_KEY_IN_USE: a request with this Idempotency-Key is still being processed; retry later'].filter(Boolean).join('; or '),
          ),
          '422': failure('IDEMPOTENCY_KEY_REUSED: this Idempotency-Key was already used with a different request'),
        }
      : {}),
    '503': {
      ...failure(
        `UNAVAILABLE: the database does not answer, the identity provider's key set (JWT_JWKS_URL) does not answer so the token cannot be checked, or Baton is shutting down${route.idempotent ? ", or (with an Idempotency-Key) the key's store does not answer, before anything ran" : ''}; retry after Retry-After`,
      ),
      headers: { 'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer' } } },
    },
  };
}

/** A POST's JSON body: the operation's input, or the body its route names; required unless an empty one will do. */
function requestBody(route: Route) {
  if (route.method !== 'POST') return undefined;
  const body = (route.body ?? route.operation.input) as z.ZodType;
  return { required: !body.safeParse({}).success, content: json(schemaOf(body, 'input')) };
}

function operationOf(route: Route) {
  const body = requestBody(route);
  const routeParameters = parameters(route);
  return {
    summary: route.summary,
    description: route.idempotent ? `${route.operation.description}\n\n${IDEMPOTENCY}` : route.operation.description,
    security: [{ bearerAuth: [] }],
    ...(routeParameters.length > 0 ? { parameters: routeParameters } : {}),
    ...(body ? { requestBody: body } : {}),
    responses: responses(route),
  };
}

function buildOpenApiDocument() {
  const paths: Record<string, Record<string, ReturnType<typeof operationOf>>> = {};
  for (const route of REST_ROUTES) paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operationOf(route) };
  const operations = Object.values(paths).flatMap((methods) => Object.values(methods));

  // Components: the named shapes the routes refer to. A shape in both a request
  // and a response is published as requests read it.
  const requests = namedShapes('input');
  const results = namedShapes('output');
  const inRequests = referenced(
    operations.flatMap((operation) => [operation.requestBody ?? {}, operation.parameters ?? []]),
    requests,
  );
  const inResults = referenced(
    operations.map((operation) => operation.responses),
    results,
  );
  const schemas = Object.fromEntries([...new Set([...inResults, ...inRequests])].sort().map((id) => [id, inRequests.has(id) ? requests[id]! : results[id]!]));

  return {
    openapi: '3.0.3',
    info: {
      title: 'Baton Agent Orchestrator API',
      version: '1.0.0',
      description:
        "The specification's REST API. Each route runs one named GraphQL operation of Baton's schema (see /graphql); " +
        'errors answer { error: { code, message, issues: [{ path, message }] } }.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, ...WEBHOOK_SIGNATURE_SCHEME },
      schemas: { ...schemas, ...DELIVERY_EVENT_SCHEMAS },
    },
    paths: {
      ...paths,
      ...DELIVERY_EVENTS_PATHS,
      ...AUDIT_LOG_EXPORT_PATHS,
      '/health': {
        get: {
          summary: 'Health check',
          responses: {
            '200': {
              description: 'Healthy, or degraded: an optional dependency (Redis) does not answer, and Baton serves with less',
              content: json(HEALTH_SCHEMA),
            },
            '503': { description: 'Unhealthy: the database does not answer', content: json(HEALTH_SCHEMA) },
          },
        },
      },
      '/metrics': {
        get: { summary: 'Prometheus metrics', responses: { '200': { description: 'Metrics', content: { 'text/plain': { schema: { type: 'string' } } } } } },
      },
    },
  };
}

export const OPENAPI_DOCUMENT = buildOpenApiDocument();
