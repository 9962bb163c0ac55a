// The OpenAPI 3 document of the REST adapter, served at GET /api/v1/openapi.json:
// the specification's Agent Orchestrator API as Baton serves it, with the
// OptimizationRequest / OptimizationResponse the specification references but
// never defines. The agents own their shapes' JSON Schemas; this file only
// assembles them.
import { OPTIMIZATION_REQUEST_JSON_SCHEMA } from '../adapter/shapes/optimization-request.js';
import { OPTIMIZATION_RESPONSE_JSON_SCHEMA } from '../adapter/shapes/optimization-response.js';
import { HANDOFF_ANALYTICS_JSON_SCHEMA } from '../adapter/shapes/handoff-analytics.js';
import { LEAD_PROCESSING_RESPONSE_JSON_SCHEMA, TRIAGE_RESULT_JSON_SCHEMA } from '../adapter/shapes/lead-results.js';
import { SYSTEM_STATUS_JSON_SCHEMA } from '../adapter/shapes/system-status.js';

const json = (schema: string) => ({ 'application/json': { schema: { $ref: `#/components/schemas/${schema}` } } });
const error = (description: string) => ({ description, content: json('Error') });
const bearer = [{ bearerAuth: [] }];

export const OPENAPI_DOCUMENT = {
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
    securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    schemas: {
      LeadData: {
        type: 'object',
        required: ['lead_id', 'industry', 'company_size'],
        properties: {
          lead_id: { type: 'string', example: 'lead-001' },
          industry: { type: 'string', enum: ['Technology', 'Healthcare', 'Finance', 'Manufacturing'] },
          company_size: { type: 'string', enum: ['Startup', 'SMB', 'Mid-Market', 'Enterprise'] },
          source: { type: 'string', example: 'organic' },
          persona: { type: 'string', enum: ['Decision Maker', 'Influencer', 'End User'] },
          email: { type: 'string', format: 'email' },
          phone: { type: 'string' },
          campaign_id: { type: 'string', description: 'Baton extension: the campaign the lead came from (it must exist).' },
        },
      },
      LeadProcessingRequest: { type: 'object', required: ['lead_data'], properties: { lead_data: { $ref: '#/components/schemas/LeadData' } } },
      TriageResult: TRIAGE_RESULT_JSON_SCHEMA,
      LeadProcessingResponse: LEAD_PROCESSING_RESPONSE_JSON_SCHEMA,
      HandoffAnalytics: HANDOFF_ANALYTICS_JSON_SCHEMA,
      SystemStatus: SYSTEM_STATUS_JSON_SCHEMA,
      OptimizationRequest: OPTIMIZATION_REQUEST_JSON_SCHEMA,
      OptimizationResponse: OPTIMIZATION_RESPONSE_JSON_SCHEMA,
      Error: {
        type: 'object',
        required: ['error'],
        properties: {
          error: {
            type: 'object',
            required: ['code', 'message'],
            properties: {
              code: { type: 'string' },
              message: { type: 'string' },
              issues: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
            },
          },
        },
      },
    },
  },
  paths: {
    '/api/v1/leads': {
      post: {
        summary: 'Process a new lead through the complete agent workflow',
        description:
          'With an Idempotency-Key, the first request runs and its response (any status below 500) is kept for 24 hours: ' +
          'repeating the same request with the same key answers that status and body again, with `Idempotent-Replayed: true`, ' +
          'without processing the lead twice. Keys belong to the token subject.',
        security: bearer,
        parameters: [
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: false,
            description:
              'A unique key for this request (e.g. a UUID), bare or as a quoted structured-field string. ' +
              'The same key with a different request answers 422; while the first request runs, 409.',
            schema: { type: 'string', minLength: 1, maxLength: 255 },
          },
        ],
        requestBody: { required: true, content: json('LeadProcessingRequest') },
        responses: {
          '200': {
            description: 'Lead processed',
            headers: {
              'Idempotent-Replayed': {
                description: 'Present, `true`, when this is the stored response of an earlier request with the same Idempotency-Key',
                schema: { type: 'string', enum: ['true'] },
              },
            },
            content: json('LeadProcessingResponse'),
          },
          '400': error('Invalid lead data, or an Idempotency-Key that is empty or longer than 255 characters'),
          '401': error('Missing or invalid token'),
          '403': error('The role may not process leads'),
          '409': error('IDEMPOTENCY_KEY_IN_USE: a request with this Idempotency-Key is still being processed; retry later'),
          '422': error('IDEMPOTENCY_KEY_REUSED: this Idempotency-Key was already used with a different request'),
        },
      },
    },
    '/api/v1/campaigns/{campaign_id}/optimize': {
      post: {
        summary: 'Analyze a campaign: KPIs, recommendations with evidence, and an escalation on a significant breach',
        security: bearer,
        parameters: [{ name: 'campaign_id', in: 'path', required: true, schema: { type: 'string' } }],
        requestBody: { required: false, content: json('OptimizationRequest') },
        responses: {
          '200': { description: 'Optimization completed', content: json('OptimizationResponse') },
          '400': error('Invalid request'),
          '401': error('Missing or invalid token'),
          '403': error('The role may not optimize campaigns'),
          '404': error('No such campaign (and no metrics to register it with)'),
        },
      },
    },
    '/api/v1/agents/handoffs/analytics': {
      get: {
        summary: 'Handoff analytics over a window (the last 24 hours by default)',
        security: bearer,
        parameters: [
          { name: 'since', in: 'query', required: false, schema: { type: 'string', format: 'date-time' } },
          { name: 'until', in: 'query', required: false, schema: { type: 'string', format: 'date-time' } },
        ],
        responses: {
          '200': { description: 'Handoff analytics', content: json('HandoffAnalytics') },
          '400': error('Invalid window'),
          '401': error('Missing or invalid token'),
        },
      },
    },
    '/api/v1/system/status': {
      get: {
        summary: 'System health and performance: uptime, live conversations, agents, memory and handoff figures',
        security: bearer,
        responses: {
          '200': { description: 'System status', content: json('SystemStatus') },
          '401': error('Missing or invalid token'),
        },
      },
    },
    '/health': {
      get: {
        summary: 'Health check',
        responses: {
          '200': {
            description: 'Healthy',
            content: {
              'application/json': {
                schema: { type: 'object', properties: { status: { type: 'string' }, timestamp: { type: 'string', format: 'date-time' }, server_id: { type: 'string' } } },
              },
            },
          },
        },
      },
    },
    '/metrics': { get: { summary: 'Prometheus metrics', responses: { '200': { description: 'Metrics', content: { 'text/plain': { schema: { type: 'string' } } } } } } },
  },
} as const;
