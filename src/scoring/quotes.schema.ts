import type { FastifySchema } from 'fastify';

/**
 * The quote answer's JSON shape for Fastify's compiled serializer: a quote is a few kilobytes of numbers,
 * and serializing it by schema instead of JSON.stringify was a noticeable share of a warm quote. Must
 * follow QuoteResponseDto and the model's Breakdown (a field missing here would be dropped from answers;
 * the quote e2e tests read every one).
 */
const int = { type: 'integer' } as const;
const intOrNull = { type: ['integer', 'null'] } as const;
const days = { type: 'object', properties: { min: int, max: int }, required: ['min', 'max'] } as const;

const option = {
  type: 'object',
  properties: {
    courier: { type: 'string' },
    service: { type: 'string' },
    serviceName: { type: 'string' },
    price: intOrNull,
    codFee: int,
    cashback: intOrNull,
    etaDays: days,
    observedTransitDays: {
      type: ['object', 'null'],
      properties: { p50: { type: 'number' }, p90: { type: 'number' } },
    },
    successRate: { type: 'number' },
    expectedCost: intOrNull,
    score: intOrNull,
    rank: { type: ['integer', 'null'] },
    eligible: { type: 'boolean' },
    ineligibleReason: { type: 'string' },
    breakdown: {
      type: ['object', 'null'],
      properties: {
        price: int,
        codFee: int,
        cashback: int,
        failureCost: int,
        pickupCost: int,
        expectedCost: int,
        speedCost: int,
        uncertaintyCost: int,
        weighted: {
          type: 'object',
          properties: { cost: int, failure: int, pickup: int, speed: int, uncertainty: int },
        },
        score: int,
      },
    },
  },
} as const;

export const QUOTE_RESPONSE_SCHEMA: FastifySchema = {
  response: {
    200: {
      type: 'object',
      properties: {
        destination: {
          type: 'object',
          properties: {
            districtCode: { type: ['string', 'null'] },
            district: { type: 'string' },
            city: { type: 'string' },
            province: { type: 'string' },
            postalCode: { type: 'string' },
          },
        },
        options: { type: 'array', items: option },
        recommended: {
          type: ['object', 'null'],
          properties: { courier: { type: 'string' }, service: { type: 'string' } },
        },
        preset: { type: 'string' },
        modelVersion: { type: 'string' },
      },
    },
  },
};
