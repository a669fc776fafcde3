import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { SlackDeps, SlackFeature } from '../../deps.js';
import { onSubmission } from '../../submission.js';
import { decideReject, onApprove, onRejectClick, withdrawCommand } from './approval-channel.js';
import { decideFailed, decideIssued, onManualClick } from './ca-outcome.js';
import { modalSubmission } from './modal-click.js';
import { approvalsNotifications } from './notify.js';
import { APPROVALS_IDS } from './views.js';

/** The approvals slice of the Slack side: requests, decisions and the manual CA outcome. */
export const approvalsFeature: SlackFeature = {
  name: 'approvals',
  subcommands: { withdraw: withdrawCommand },
  register(app: App, deps: SlackDeps) {
    app.action<BlockAction<ButtonAction>>(APPROVALS_IDS.approve, (args) => onApprove(deps, args));
    app.action<BlockAction<ButtonAction>>(APPROVALS_IDS.reject, (args) =>
      onRejectClick(deps, args),
    );
    app.view(
      APPROVALS_IDS.reject,
      onSubmission(deps, modalSubmission('reject', APPROVALS_IDS.rejectReasonBlock), (s) =>
        decideReject(deps, s),
      ),
    );
    app.action<BlockAction<ButtonAction>>(APPROVALS_IDS.issued, (args) =>
      onManualClick(deps, args, 'issued'),
    );
    app.view(
      APPROVALS_IDS.issued,
      onSubmission(deps, modalSubmission('issued', APPROVALS_IDS.pemBlocks[0]), (s) =>
        decideIssued(deps, s),
      ),
    );
    app.action<BlockAction<ButtonAction>>(APPROVALS_IDS.failed, (args) =>
      onManualClick(deps, args, 'failed'),
    );
    app.view(
      APPROVALS_IDS.failed,
      onSubmission(deps, modalSubmission('failed', APPROVALS_IDS.failedReasonBlock), (s) =>
        decideFailed(deps, s),
      ),
    );
  },
  notify: approvalsNotifications,
};
