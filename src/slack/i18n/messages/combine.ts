import { defineMessages } from '../define.js';

/** Messages of the combine feature (`/cert combine`: 合并证书, the result is named cas-merge-…). */
export const combine = defineMessages(
  {
    'combine.none':
      'You have no instance that can be combined. Combining takes OV or EV instances with a 1-year validity that are pending application or whose validation failed, with no request under way.',
    'combine.refused': 'Cannot combine into `{id}`: {reason}',
    'combine.modal.title': 'Combine instances',
    'combine.modal.submit': 'Request combination',
    'combine.pick.label': '*Combine into:*',
    'combine.pick.placeholder': 'Choose an instance',
    'combine.pick.search_placeholder': 'Type part of a name or an id',
    'combine.pick.search':
      'Your team has {total} instances you could apply for: type the start of a name or an instance id to find the one to combine into.',
    'combine.current':
      '*{name}* (`{id}`)\n{brand} · {type} · {domainType} · {years} year(s) · domain quota {quota}',
    'combine.with.label': 'Instances to combine into it',
    'combine.with.placeholder': 'Choose instances',
    'combine.with.hint':
      'Same brand and type (OV or EV), 1-year validity, pending application or validation failed.',
    'combine.with.option': '{name} · quota {quota}',
    'combine.with.search_placeholder': 'Type part of a name or an id',
    'combine.with.search':
      'Your team has {total} other instances you could apply for: type the start of a name or an instance id. Only those that can be combined into this one are offered.',
    'combine.with.more':
      '{count} more instances you could apply for are not listed (at most {max} per request): combine them in another request.',
    'combine.no_candidates': 'No other instance of your team can be combined into this one.',
    'combine.quota':
      '*Domain quota after combining: {total}* ({current} of this instance + {added} from {count} selected)',
    'combine.ineligible.heading': '*Cannot be combined:*',
    'combine.ineligible.item': '*{name}* (`{id}`): {reasons}',
    'combine.confirm.label': 'Refunds',
    'combine.confirm.option': 'I understand combined instances cannot be refunded',
    'combine.after':
      'After approval the result is named `cas-merge-…`; apply for it like any instance (domains up to its quota). OV/EV review takes {reviewFrom}-{reviewBy} business days.',
    'combine.error.confirm': 'Tick this box: combined instances cannot be refunded.',
    'combine.error.nothing_selected': 'Choose at least one instance to combine.',
    'combine.error.form':
      'This form could not be read, and nothing was changed: please run `/cert combine` again.',
    'combine.requested':
      'Combination requested (`{app}`): {count} instance(s) into *{name}* (`{id}`). After approval the result will be named `cas-merge-…` with a domain quota of {quota}. An approver decides first; combined instances cannot be refunded.',
  },
  {
    'combine.none':
      '你没有可以合并的证书实例。只有有效期 1 年、处于待申请或审核失败状态、且没有进行中申请的 OV 或 EV 证书实例才能合并。',
    'combine.refused': '无法合并到 `{id}`：{reason}',
    'combine.modal.title': '合并证书实例',
    'combine.modal.submit': '申请合并',
    'combine.pick.label': '*合并到：*',
    'combine.pick.placeholder': '选择证书实例',
    'combine.pick.search_placeholder': '输入名称或实例编号的开头',
    'combine.pick.search':
      '你的团队有 {total} 个可申请的实例：输入名称或实例编号的开头，查找要合并到的实例。',
    'combine.current':
      '*{name}*（`{id}`）\n{brand} · {type} · {domainType} · {years} 年 · 可绑定域名数 {quota}',
    'combine.with.label': '要合并进来的证书实例',
    'combine.with.placeholder': '选择证书实例',
    'combine.with.hint': '品牌和证书类型（OV 或 EV）相同、有效期 1 年、处于待申请或审核失败状态。',
    'combine.with.option': '{name} · 域名数 {quota}',
    'combine.with.search_placeholder': '输入名称或实例编号的开头',
    'combine.with.search':
      '您的团队还有 {total} 个可申请的实例：输入名称或实例编号的开头查找。只列出可以合并到此实例的。',
    'combine.with.more':
      '还有 {count} 个可申请的实例未列出（每次申请最多 {max} 个）：请在另一次申请中合并。',
    'combine.no_candidates': '本团队没有其他可以合并到此实例的证书实例。',
    'combine.quota':
      '*合并后可绑定域名数：{total}*（本实例 {current} + 已选 {count} 个实例共 {added}）',
    'combine.ineligible.heading': '*不能合并：*',
    'combine.ineligible.item': '*{name}*（`{id}`）：{reasons}',
    'combine.confirm.label': '退款',
    'combine.confirm.option': '我已知晓：合并后的证书实例不支持退款',
    'combine.after':
      '审批通过后，合并结果的名称以 `cas-merge-…` 开头；之后像其他实例一样提交证书申请（域名数不超过其配额）。OV/EV 证书审核需要 {reviewFrom}-{reviewBy} 个工作日。',
    'combine.error.confirm': '请勾选此项：合并后的证书实例不支持退款。',
    'combine.error.nothing_selected': '请至少选择一个要合并的证书实例。',
    'combine.error.form': '无法读取此表单，未做任何更改：请重新运行 `/cert combine`。',
    'combine.requested':
      '已申请合并（`{app}`）：将 {count} 个实例合并到 *{name}*（`{id}`）。审批通过后，合并结果将命名为 `cas-merge-…`，可绑定域名数为 {quota}。需先经审批人审批；合并后的证书实例不支持退款。',
  },
);
