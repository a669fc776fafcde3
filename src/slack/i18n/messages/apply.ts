import { defineMessages } from '../define.js';

/** Messages of the apply feature (提交证书申请). */
export const apply = defineMessages(
  {
    'apply.modal.title': 'Apply for a certificate',
    'apply.modal.submit': 'Send for approval',
    'apply.modal.intro':
      'Choose an instance, the domains to bind and a contact. An approver reviews the request before it goes to the CA.',

    'apply.instance.label': 'Certificate instance',
    'apply.instance.placeholder': 'Choose an instance',
    'apply.instance.option': '{name} · {spec} · {quota}',
    'apply.instance.spec': '{brand} {validationType} {domainType} {grade}',
    'apply.instance.quota': 'up to {quota} domain(s)',
    'apply.instance.resubmit': '{name} (validation failed)',
    'apply.instance.search_placeholder': 'Type part of a name or an id',
    'apply.instance.search':
      'Your team has {total} instances you can apply for: type the start of a name or an instance id to find one, or run `/cert apply <instance id>`.',

    'apply.domainType.single': 'single domain',
    'apply.domainType.multi': 'multi-domain',
    'apply.domainType.wildcard': 'wildcard',
    'apply.domainType.multi_wildcard': 'multi-domain wildcard',
    'apply.domainType.hybrid': 'hybrid',

    'apply.domains.label': 'Domains to bind',
    'apply.domains.placeholder': 'One per line, e.g. shop.example.com',
    'apply.domains.hint.none': 'One per line (commas and spaces work too).',
    'apply.domains.hint.forbidden':
      'One per line. Wildcards such as *.example.com are not allowed for this type.',
    'apply.domains.hint.required':
      'One per line. Each name must be a wildcard such as *.example.com.',
    'apply.domains.hint.allowed':
      'One per line. Plain names and wildcards such as *.example.com are both allowed.',
    'apply.domains.remaining': 'You can enter {count} more domain(s).',
    'apply.domains.over': '{count} too many: this instance binds at most {quota} domain(s).',
    'apply.domains.chooseInstance': 'Choose an instance to see how many domains you can enter.',

    'apply.method.label': 'Validation method',
    'apply.method.dns': 'DNS record',
    'apply.method.file': 'File on the web server',
    'apply.method.email': 'Email to the domain administrator',
    'apply.method.hint.any': 'Email validation is offered for OV and EV instances only.',

    'apply.contact.label': 'Contact',
    'apply.contact.placeholder': 'Choose a contact',
    'apply.contact.hint': 'The CA and support reach this person for validation and renewal.',
    'apply.contact.option': '{name} · {email}',
    'apply.contact.new': 'New contact (fill in below)',
    'apply.contact.capped': 'Showing {shown} of your team’s {total} contacts.',
    'apply.contact.name.label': 'New contact: name',
    'apply.contact.email.label': 'New contact: email',
    'apply.contact.phone.label': 'New contact: phone',
    'apply.contact.new.hint': 'Only used when “New contact” is chosen above.',

    'apply.hosting.label': 'Managed renewal',
    'apply.hosting.option': 'Enable managed renewal ({credits} hosting credit(s) left)',
    'apply.hosting.hint':
      'Takes one hosting credit when an approver approves (spent once issued, given back if the request does not go through): the certificate is then renewed automatically before it expires.',
    'apply.hosting.held':
      'This instance already holds a hosting credit from its earlier request: applying with managed renewal uses that one.',
    'apply.hosting.none':
      'Your team has no hosting credits left; an admin can record more with `/cert purchase`.',

    'apply.none':
      'You have no certificate instances to apply for: only instances waiting for an application, or whose validation failed, can be applied for. Admins record purchased instances with `/cert purchase`.',
    'apply.openFailed':
      'The form could not be opened in time; nothing was changed. Please run `/cert apply` again.',

    'apply.error.instance': 'Choose a certificate instance.',
    'apply.error.method': 'Choose a validation method.',
    'apply.error.contact': 'Choose a contact, or “New contact”.',

    'apply.sent':
      'Application *{id}* for *{instance}* was sent for approval. An approver reviews it before it goes to the CA.',
    'apply.sent.domains': 'Domains:',
    'apply.sent.hosting': 'Managed renewal: on (one hosting credit used).',
  },
  {
    'apply.modal.title': '提交证书申请',
    'apply.modal.submit': '提交审批',
    'apply.modal.intro': '请选择证书实例、要绑定的域名和联系人。申请经审批人审核后才会提交给 CA。',

    'apply.instance.label': '证书实例',
    'apply.instance.placeholder': '选择证书实例',
    'apply.instance.option': '{name} · {spec} · {quota}',
    'apply.instance.spec': '{brand} {validationType} {domainType} {grade}',
    'apply.instance.quota': '最多 {quota} 个域名',
    'apply.instance.resubmit': '{name}（审核失败）',
    'apply.instance.search_placeholder': '输入名称或实例编号的开头',
    'apply.instance.search':
      '你的团队有 {total} 个可申请的实例：输入名称或实例编号的开头来查找，或运行 `/cert apply <实例编号>`。',

    'apply.domainType.single': '单域名',
    'apply.domainType.multi': '多域名',
    'apply.domainType.wildcard': '通配符',
    'apply.domainType.multi_wildcard': '多通配符',
    'apply.domainType.hybrid': '混合',

    'apply.domains.label': '绑定域名',
    'apply.domains.placeholder': '每行一个，例如 shop.example.com',
    'apply.domains.hint.none': '每行一个（也可用逗号或空格分隔）。',
    'apply.domains.hint.forbidden': '每行一个。此类型不允许使用 *.example.com 这样的通配符域名。',
    'apply.domains.hint.required': '每行一个。每个域名都必须是 *.example.com 这样的通配符域名。',
    'apply.domains.hint.allowed': '每行一个。普通域名和 *.example.com 这样的通配符域名均可。',
    'apply.domains.remaining': '你还可以输入 {count} 个域名。',
    'apply.domains.over': '超出 {count} 个：该实例最多绑定 {quota} 个域名。',
    'apply.domains.chooseInstance': '选择证书实例后，可查看还能输入多少个域名。',

    'apply.method.label': '验证方式',
    'apply.method.dns': 'DNS 解析验证',
    'apply.method.file': '文件验证',
    'apply.method.email': '邮箱验证',
    'apply.method.hint.any': '邮箱验证仅适用于 OV 和 EV 实例。',

    'apply.contact.label': '联系人',
    'apply.contact.placeholder': '选择联系人',
    'apply.contact.hint': 'CA 和技术支持会通过此联系人进行验证和续费沟通。',
    'apply.contact.option': '{name} · {email}',
    'apply.contact.new': '新建联系人（在下方填写）',
    'apply.contact.capped': '仅显示本团队 {total} 个联系人中的 {shown} 个。',
    'apply.contact.name.label': '新联系人：姓名',
    'apply.contact.email.label': '新联系人：邮箱',
    'apply.contact.phone.label': '新联系人：手机号',
    'apply.contact.new.hint': '仅在上方选择“新建联系人”时使用。',

    'apply.hosting.label': '托管服务',
    'apply.hosting.option': '开启托管（剩余 {credits} 次托管服务）',
    'apply.hosting.hint':
      '审批通过时占用一次托管服务（签发后计为已使用，申请未完成则退回）：证书到期前会自动续费。',
    'apply.hosting.held': '此实例在之前的申请中已占用一次托管服务：开启托管将使用这一次。',
    'apply.hosting.none': '本团队的托管服务次数已用完；管理员可通过 `/cert purchase` 登记购买。',

    'apply.none':
      '你没有可申请的证书实例：只有待申请或审核失败的实例才能提交申请。管理员可通过 `/cert purchase` 登记已购买的实例。',
    'apply.openFailed': '表单未能及时打开，没有做任何更改。请重新运行 `/cert apply`。',

    'apply.error.instance': '请选择证书实例。',
    'apply.error.method': '请选择验证方式。',
    'apply.error.contact': '请选择联系人，或选择“新建联系人”。',

    'apply.sent': '申请 *{id}*（*{instance}*）已提交审批。审批人审核后才会提交给 CA。',
    'apply.sent.domains': '域名：',
    'apply.sent.hosting': '托管服务：已开启（使用了一次托管服务）。',
  },
);
