import { z } from 'zod';

/**
 * The person the CA and support reach for validation and renewal (联系人): name, email, phone.
 * Email and phone are each unique within the organisation (CAS rule), checked by the store.
 */
export interface Contact {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly phone: string;
  readonly team: string;
  readonly createdBy: string;
  readonly createdAt: number;
}

/** Phone numbers are kept as E.164-like digits: an optional +, 6-15 digits, separators removed. */
export const contactFieldsSchema = z.object({
  name: z.string().trim().min(1).max(64),
  email: z.string().trim().toLowerCase().max(254).pipe(z.email()),
  phone: z
    .string()
    .trim()
    .transform((s) => s.replace(/[\s().-]/g, ''))
    .pipe(z.string().regex(/^\+?[0-9]{6,15}$/)),
});
export type ContactFields = z.infer<typeof contactFieldsSchema>;
