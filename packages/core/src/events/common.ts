import { z } from 'zod';

/** An ISO-8601 timestamp with an offset (`2026-01-05T09:00:00Z`, `...+02:00`). */
export const Timestamp = z.iso.datetime({
  offset: true,
  message: 'must be an ISO-8601 timestamp with an offset',
});
export type Timestamp = z.infer<typeof Timestamp>;

export const NonEmpty = z.string().min(1, 'must not be empty');
export const Email = z
  .string()
  .trim()
  .min(3)
  .regex(/^[^\s@]+@[^\s@]+$/, 'must be an email address');
export const Domain = z
  .string()
  .trim()
  .min(1)
  .regex(/^[^\s@/]+$/, 'must be a domain such as acme.example');

export const Program = z.enum(['partner', 'customer', 'employee']);
export type Program = z.infer<typeof Program>;
export const Tier = z.enum(['bronze', 'silver', 'gold']);
export type Tier = z.infer<typeof Tier>;
export const TouchKind = z.enum(['sourced', 'influenced', 'resold']);
export type TouchKind = z.infer<typeof TouchKind>;
export const Relationship = z.enum(['customer', 'prospect', 'opportunity']);
export type Relationship = z.infer<typeof Relationship>;
export const PayoutProvider = z.enum(['stripe', 'paypal', 'wise', 'manual']);
export type PayoutProvider = z.infer<typeof PayoutProvider>;
