import { type Refusal, refuse } from '../domain/result.js';
import type { Conflict } from './ports/index.js';

/** A store conflict as a refusal people can read ("already changed", "no credits left", ...). */
export function conflictRefusal(conflict: Conflict): {
  readonly ok: false;
  readonly refusal: Refusal;
} {
  switch (conflict.kind) {
    case 'changed':
      return refuse('conflict.changed', { entity: conflict.entity, id: conflict.id });
    case 'exists':
      return refuse('conflict.exists', { entity: conflict.entity, id: conflict.id });
    case 'contact_taken':
      return refuse('contact.taken', { field: conflict.field });
    case 'no_credits':
      return refuse('hosting.no_credits', { team: conflict.team });
    case 'duplicate':
      return refuse('conflict.duplicate');
    case 'certificate_tracked':
      return refuse('certificate.already_tracked', { id: conflict.existingId ?? '' });
  }
}
