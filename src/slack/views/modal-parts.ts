import {
  type InputBlock,
  input,
  type ModalView,
  modal,
  plainTextInput,
  section,
} from '../blocks.js';
import type { Translate } from '../i18n/index.js';
import { LIMITS } from '../limits.js';
import type { OpenModalOptions } from '../replies.js';

/** The modals shown while a feature's modal is read, and instead of it (`openModalWhenReady`). */
export function placeholderModals(t: Translate, title: string): OpenModalOptions['placeholder'] {
  const plain = (callbackId: string, text: string): ModalView =>
    modal({ callbackId, title, close: t('common.close'), blocks: [section(text)] });
  return {
    loading: plain('loading', t('common.loading')),
    says: (text) => plain('message', text),
  };
}

/**
 * Input blocks several modals offer alike. Each feature keeps its own block ids (its handlers
 * and tests rely on them) and its own wording; what is shared is the shape of the inputs.
 */

/** The longest name, email and phone a contact is accepted with (`contactFieldsSchema`). */
const CONTACT_FIELD_MAX = { name: 64, email: 254, phone: 32 } as const;

type ContactField = keyof typeof CONTACT_FIELD_MAX;

export interface NewContactInputs {
  /** Block ids of the name, email and phone inputs; each input's action id is its block id. */
  readonly blockIds: Readonly<Record<ContactField, string>>;
  readonly labels: Readonly<Record<ContactField, string>>;
  /** Under the name input: when the fields are used. */
  readonly nameHint?: string | undefined;
  /** Optional while an existing contact can be chosen instead. */
  readonly optional: boolean;
}

/** Name, email and phone of a contact to create, as three text inputs. */
export function newContactInputs(model: NewContactInputs): InputBlock[] {
  const fields: readonly ContactField[] = ['name', 'email', 'phone'];
  return fields.map((field) => {
    const blockId = model.blockIds[field];
    const hint = field === 'name' ? model.nameHint : undefined;
    return input({
      blockId,
      label: model.labels[field],
      optional: model.optional,
      element: plainTextInput({ actionId: blockId, maxLength: CONTACT_FIELD_MAX[field] }),
      ...(hint ? { hint } : {}),
    });
  });
}

export interface PemInput {
  readonly blockId: string;
  readonly actionId: string;
  readonly label: string;
  readonly hint?: string | undefined;
}

/**
 * A PEM chain pasted over up to three boxes, because Slack caps one input at 3000 characters:
 * the first is required, the others continue the chain.
 */
export function pemInputs(
  boxes: readonly PemInput[],
  options: { readonly focusFirst?: boolean } = {},
): InputBlock[] {
  return boxes.map((box, i) =>
    input({
      blockId: box.blockId,
      label: box.label,
      optional: i > 0,
      element: plainTextInput({
        actionId: box.actionId,
        multiline: true,
        maxLength: LIMITS.plainTextInputMaxLength,
        ...(i === 0 && options.focusFirst ? { focusOnLoad: true } : {}),
      }),
      ...(box.hint ? { hint: box.hint } : {}),
    }),
  );
}
