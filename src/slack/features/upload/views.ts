import { z } from 'zod';
import { VALIDATION_TYPES, type ValidationType } from '../../../domain/spec.js';
import {
  input,
  type KnownBlock,
  type ModalView,
  modal,
  option,
  plainTextInput,
  section,
  staticSelect,
} from '../../blocks.js';
import type { Translate } from '../../i18n/index.js';
import { encodeMetadata } from '../../metadata.js';
import { readViewState, type SubmittedView } from '../../view-state.js';
import { pemInputs } from '../../views/modal-parts.js';

/** Ids of the upload modal; each input's action_id is its block_id. */
export const UPLOAD = {
  callback: 'upload.submit',
  /** Slack caps one input at 3000 characters: a chain continues in the next boxes. */
  pem: ['upload.pem', 'upload.pem2', 'upload.pem3'],
  validationType: 'upload.validation_type',
  grade: 'upload.grade',
  name: 'upload.name',
} as const;

export const GRADE_MAX = 40;
export const NAME_MAX = 64;

export const uploadMetadataSchema = z.object({ ch: z.string().max(64) });
export type UploadMetadata = z.infer<typeof uploadMetadataSchema>;

export function uploadModal(t: Translate, channelId: string): ModalView {
  const [first, second, third] = UPLOAD.pem;
  const blocks: KnownBlock[] = [
    section(t('upload.modal.intro')),
    ...pemInputs(
      [
        {
          blockId: first,
          actionId: first,
          label: t('upload.pem.label'),
          hint: t('upload.pem.hint'),
        },
        { blockId: second, actionId: second, label: t('upload.pem2.label') },
        { blockId: third, actionId: third, label: t('upload.pem3.label') },
      ],
      { focusFirst: true },
    ),
    input({
      blockId: UPLOAD.validationType,
      label: t('upload.validation_type.label'),
      optional: true,
      hint: t('upload.validation_type.hint'),
      element: staticSelect({
        actionId: UPLOAD.validationType,
        placeholder: t('upload.validation_type.placeholder'),
        options: VALIDATION_TYPES.map((type) => option(type, type)),
      }),
    }),
    input({
      blockId: UPLOAD.grade,
      label: t('upload.grade.label'),
      optional: true,
      hint: t('upload.grade.hint'),
      element: plainTextInput({ actionId: UPLOAD.grade, maxLength: GRADE_MAX }),
    }),
    input({
      blockId: UPLOAD.name,
      label: t('upload.name.label'),
      optional: true,
      hint: t('upload.name.hint'),
      element: plainTextInput({ actionId: UPLOAD.name, maxLength: NAME_MAX }),
    }),
  ];
  return modal({
    callbackId: UPLOAD.callback,
    title: t('upload.modal.title'),
    submit: t('upload.modal.submit'),
    close: t('common.cancel'),
    blocks,
    privateMetadata: encodeMetadata(uploadMetadataSchema, { ch: channelId }),
  });
}

export interface UploadForm {
  /** The PEM boxes joined, blank ones left out. */
  readonly pem: string;
  /** `invalid` when the select came back with a value it never offered. */
  readonly validationType: ValidationType | undefined | 'invalid';
  readonly grade: string;
  readonly name: string;
}

export function readUploadForm(view: SubmittedView): UploadForm {
  const state = readViewState(view);
  const text = (id: string) => state.text(id) ?? '';
  const chosen = state.selected(UPLOAD.validationType);
  const type = z.enum(VALIDATION_TYPES).safeParse(chosen);
  return {
    pem: UPLOAD.pem
      .map(text)
      .filter((part) => part.trim() !== '')
      .join('\n'),
    validationType: chosen === undefined ? undefined : type.success ? type.data : 'invalid',
    grade: text(UPLOAD.grade).trim(),
    name: text(UPLOAD.name).trim(),
  };
}
