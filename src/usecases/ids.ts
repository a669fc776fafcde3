import { randomBytes } from 'node:crypto';

/** Ids people type in `/cert status <id>`: short, lowercase, no look-alike characters. */
export interface IdGenerator {
  next(kind: 'cert' | 'app' | 'contact'): string;
}

const ALPHABET = '23456789abcdefghjkmnpqrstuvwxyz'; // no 0/o, 1/l/i
const PREFIX = { cert: 'c', app: 'a', contact: 'p' } as const;

/** 8 random characters: 31^8 ≈ 8.5e11 ids; a collision is refused by the store, not overwritten. */
export const randomIds: IdGenerator = {
  next(kind) {
    const bytes = randomBytes(8);
    let id = PREFIX[kind];
    for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length];
    return id;
  },
};
