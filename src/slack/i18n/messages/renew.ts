import { defineMessages } from '../define.js';

/** Messages of the renew feature (`/cert renew`: enable hosting, or the manual renewal purchase). */
export const renew = defineMessages(
  {
    'renew.usage': 'Usage: `/cert renew <certificate id>` (find ids with `/cert list`).',
    'renew.refused': 'Cannot renew `{id}`: {reason}',
    'renew.already_hosted':
      '*{name}* (`{id}`) is already hosted (managed renewal is on): {daysLeft} days left. Its renewal certificate is activated automatically within {windowDays} days of expiry, so there is nothing to do. Questions: <#{support}>.',
    'renew.renews_automatically':
      '*{name}* (`{id}`) expires in {daysLeft} days and is hosted: it renews itself (its renewal certificate is activated automatically), so there is nothing to do. Questions: <#{support}>.',
    'renew.modal.title': 'Renew certificate',
    'renew.modal.submit_hosting': 'Enable hosting',
    'renew.modal.submit_manual': 'Request purchase',
    'renew.modal.certificate': '*{name}* (`{id}`)\n{domains}',
    'renew.modal.spec_heading': '*A renewal of exactly this spec:*',
    'renew.field.brand': '*Brand*\n{value}',
    'renew.field.type': '*Certificate type*\n{value}',
    'renew.field.domain_type': '*Domain type*\n{value}',
    'renew.field.grade': '*Grade*\n{value}',
    'renew.modal.days_left': '{daysLeft} days left (expires {date})',
    'renew.modal.enable_hosting':
      'More than {windowDays} days before expiry, renewing turns on *managed renewal* (托管): a renewal of exactly this spec is bought and linked to this certificate (not activated), and it replaces the certificate automatically when it is about to expire. An approver decides first.',
    'renew.modal.manual':
      'This certificate expires within {windowDays} days and is not hosted: it can only be renewed by a *manual renewal purchase* (续费购买) of exactly this spec. An approver decides first.',
    'renew.modal.contact_heading':
      "*Contact for the renewal:* confirm one of your team's contacts, or create a new one.",
    'renew.modal.contact_new_heading':
      '*Contact for the renewal:* your team has no contact yet, so create one.',
    'renew.modal.contacts_more':
      'Showing {shown} of {total} contacts. To use another one, create it below with the same details.',
    'renew.contact.label': 'Contact',
    'renew.contact.placeholder': 'Choose a contact',
    'renew.contact.option': '{name} <{email}>',
    'renew.contact_name.label': 'New contact: name',
    'renew.contact_email.label': 'New contact: email',
    'renew.contact_phone.label': 'New contact: phone',
    'renew.contact_new.hint':
      'Fill in name, email and phone only to create a new contact instead of the one chosen above.',
    'renew.error.choose_contact':
      'Choose a contact, or fill in name, email and phone below to create one.',
    'renew.error.contact_name': "Enter the contact's name (up to 64 characters).",
    'renew.error.contact_email': 'Enter a valid email address.',
    'renew.error.contact_phone':
      'Enter a phone number: 6 to 15 digits, optionally starting with +.',
    'renew.error.email_taken':
      'This email already belongs to a contact: choose that contact instead, or use another email.',
    'renew.error.phone_taken':
      'This phone number already belongs to a contact: choose that contact instead, or use another number.',
    'renew.error.contact_gone': 'This contact no longer exists: choose another one.',
    'renew.error.form':
      'This form could not be read, and nothing was changed: please run `/cert renew` again.',
    'renew.requested_hosting':
      'Managed renewal requested for *{name}* (`{id}`), request `{app}`, contact {contact}. An approver will decide; you will hear back here.',
    'renew.requested_manual':
      'Manual renewal purchase (续费购买) requested for *{name}* (`{id}`), request `{app}`, contact {contact}. An approver will decide; you will hear back here.',
  },
  {
    'renew.usage': '用法：`/cert renew <证书编号>`（用 `/cert list` 查看编号）。',
    'renew.refused': '无法续费 `{id}`：{reason}',
    'renew.already_hosted':
      '*{name}*（`{id}`）已托管：还剩 {daysLeft} 天。到期前 {windowDays} 天内会自动激活其续费证书，无需任何操作。如有疑问请到 <#{support}>。',
    'renew.renews_automatically':
      '*{name}*（`{id}`）还有 {daysLeft} 天到期，且已托管：它会自动续费（自动激活续费证书），无需任何操作。如有疑问请到 <#{support}>。',
    'renew.modal.title': '续费证书',
    'renew.modal.submit_hosting': '开启托管',
    'renew.modal.submit_manual': '申请续费购买',
    'renew.modal.certificate': '*{name}*（`{id}`）\n{domains}',
    'renew.modal.spec_heading': '*续费规格与本证书完全一致：*',
    'renew.field.brand': '*证书品牌*\n{value}',
    'renew.field.type': '*证书类型*\n{value}',
    'renew.field.domain_type': '*域名类型*\n{value}',
    'renew.field.grade': '*证书等级*\n{value}',
    'renew.modal.days_left': '还剩 {daysLeft} 天（{date} 到期）',
    'renew.modal.enable_hosting':
      '距到期超过 {windowDays} 天时，续费即开启*托管*：购买一张规格完全相同的续费证书并与本证书关联（未激活），在本证书即将到期时自动激活并替换本证书。需先经审批人审批。',
    'renew.modal.manual':
      '本证书将在 {windowDays} 天内到期且未托管：只能通过*续费购买*进行续费（规格与本证书完全一致）。需先经审批人审批。',
    'renew.modal.contact_heading': '*续费联系人：*确认本团队的一位联系人，或新建联系人。',
    'renew.modal.contact_new_heading': '*续费联系人：*本团队还没有联系人，请新建一位。',
    'renew.modal.contacts_more':
      '仅显示 {total} 位联系人中的 {shown} 位。如需使用其他联系人，请在下方按相同信息新建。',
    'renew.contact.label': '联系人',
    'renew.contact.placeholder': '选择联系人',
    'renew.contact.option': '{name} <{email}>',
    'renew.contact_name.label': '新联系人：姓名',
    'renew.contact_email.label': '新联系人：邮箱',
    'renew.contact_phone.label': '新联系人：手机号',
    'renew.contact_new.hint': '仅在需要新建联系人（代替上方所选联系人）时填写姓名、邮箱和手机号。',
    'renew.error.choose_contact': '请选择一位联系人，或在下方填写姓名、邮箱和手机号以新建联系人。',
    'renew.error.contact_name': '请填写联系人姓名（不超过 64 个字符）。',
    'renew.error.contact_email': '请填写有效的邮箱地址。',
    'renew.error.contact_phone': '请填写手机号：6 到 15 位数字，可以 + 开头。',
    'renew.error.email_taken': '该邮箱已属于一位联系人：请直接选择该联系人，或换一个邮箱。',
    'renew.error.phone_taken': '该手机号已属于一位联系人：请直接选择该联系人，或换一个手机号。',
    'renew.error.contact_gone': '该联系人已不存在：请选择其他联系人。',
    'renew.error.form': '无法读取此表单，未做任何更改：请重新运行 `/cert renew`。',
    'renew.requested_hosting':
      '已为 *{name}*（`{id}`）申请托管，申请编号 `{app}`，联系人 {contact}。审批人审批后会在这里通知你。',
    'renew.requested_manual':
      '已为 *{name}*（`{id}`）申请续费购买，申请编号 `{app}`，联系人 {contact}。审批人审批后会在这里通知你。',
  },
);
