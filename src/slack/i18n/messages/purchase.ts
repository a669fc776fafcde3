import { defineMessages } from '../define.js';

/**
 * Messages of the purchase feature (`/cert purchase`: record instances and hosting credits
 * bought outside CertOps).
 */
export const purchase = defineMessages(
  {
    'purchase.modal.title': 'Record a purchase',
    'purchase.modal.submit': 'Record',
    'purchase.modal.intro':
      'Record what was bought outside CertOps (a CA, a reseller, a cloud console) so that teams can apply for it.',
    'purchase.kind.label': 'What was bought',
    'purchase.kind.instances': 'Certificate instances',
    'purchase.kind.hosting_credits': 'Hosting credits',
    'purchase.brand.label': 'Brand',
    'purchase.brand.placeholder': 'e.g. DigiCert, GeoTrust, GlobalSign',
    'purchase.validation_type.label': 'Certificate type',
    'purchase.domain_type.label': 'Domain type',
    'purchase.grade.label': 'Grade',
    'purchase.validity_years.label': 'Validity',
    'purchase.validity_years.option': '{years} year(s)',
    'purchase.domain_quota.label': 'Domain quota',
    'purchase.domain_quota.hint':
      'How many domain names can be bound to each instance: 1 for single and wildcard.',
    'purchase.quantity.label': 'Quantity',
    'purchase.quantity.hint': 'How many instances of this spec were bought (at most 100).',
    'purchase.team.label': 'Owner team',
    'purchase.team.hint': 'The team that owns them: lower-case letters, digits, _ or -.',
    'purchase.name.label': 'Name',
    'purchase.name.hint': 'Defaults to brand, type and domain type.',
    'purchase.count.label': 'Hosting credits bought',
    'purchase.count.hint': 'Each managed renewal enabled at application uses one.',
    'purchase.error.required': 'Required.',
    'purchase.error.too_long': 'At most {max} characters.',
    'purchase.error.whole_number': 'Enter a whole number.',
    'purchase.error.at_least': 'At least {min}.',
    'purchase.error.at_most': 'At most {max}.',
    'purchase.error.team':
      'A team name: 1 to 32 lower-case letters, digits, _ or -, starting with a letter or digit.',
    'purchase.error.choose': 'Choose one of the options.',
    'purchase.error.single_quota':
      'Single and wildcard instances bind exactly one domain name: set the quota to 1.',
    'purchase.error.invalid': 'Check this value.',
    'purchase.error.form':
      'This form could not be read, and nothing was recorded: please run `/cert purchase` again.',
    'purchase.refused': 'Nothing was recorded: {reason}',
    'purchase.recorded_instances':
      'Recorded {count} instance(s) for team *{team}*: {brand} {type}, {domainType}, {grade}, {years} year(s), domain quota {quota}.\nIds: {ids}',
    'purchase.recorded_credits': 'Added {count} hosting credit(s) to team *{team}*.\n{ledger}',
    'purchase.quota.title': '*Alibaba Cloud CAS packages: certificates left*',
    'purchase.quota.line':
      '`{code}` ({specs}): *{left}* of {total} left ({used} used, {issued} issued)',
    'purchase.quota.unavailable': 'CAS package quota unavailable: {reason}',
    'purchase.quota.no_products':
      'CAS package quota unavailable: no product code is configured (CERTOPS_ALIBABA_PRODUCT_CODES).',
  },
  {
    'purchase.modal.title': '登记购买',
    'purchase.modal.submit': '登记',
    'purchase.modal.intro':
      '登记在 CertOps 之外购买的内容（CA、经销商、云控制台），以便各团队提交证书申请。',
    'purchase.kind.label': '购买内容',
    'purchase.kind.instances': '证书实例',
    'purchase.kind.hosting_credits': '托管服务次数',
    'purchase.brand.label': '证书品牌',
    'purchase.brand.placeholder': '例如 DigiCert、GeoTrust、GlobalSign',
    'purchase.validation_type.label': '证书类型',
    'purchase.domain_type.label': '域名类型',
    'purchase.grade.label': '证书等级',
    'purchase.validity_years.label': '有效期',
    'purchase.validity_years.option': '{years} 年',
    'purchase.domain_quota.label': '可绑定域名数',
    'purchase.domain_quota.hint': '每个实例可绑定的域名数量：单域名和通配符为 1。',
    'purchase.quantity.label': '数量',
    'purchase.quantity.hint': '购买了多少个此规格的实例（最多 100 个）。',
    'purchase.team.label': '所属团队',
    'purchase.team.hint': '拥有这些实例的团队：小写字母、数字、_ 或 -。',
    'purchase.name.label': '名称',
    'purchase.name.hint': '默认为品牌、证书类型和域名类型。',
    'purchase.count.label': '购买的托管服务次数',
    'purchase.count.hint': '每次在申请中开启托管会使用一次。',
    'purchase.error.required': '必填。',
    'purchase.error.too_long': '不超过 {max} 个字符。',
    'purchase.error.whole_number': '请输入整数。',
    'purchase.error.at_least': '至少为 {min}。',
    'purchase.error.at_most': '最多为 {max}。',
    'purchase.error.team': '团队名称：1 到 32 个小写字母、数字、_ 或 -，以字母或数字开头。',
    'purchase.error.choose': '请从选项中选择。',
    'purchase.error.single_quota': '单域名和通配符实例只能绑定一个域名：请将域名数设为 1。',
    'purchase.error.invalid': '请检查此项。',
    'purchase.error.form': '无法读取此表单，未登记任何内容：请重新运行 `/cert purchase`。',
    'purchase.refused': '未登记任何内容：{reason}',
    'purchase.recorded_instances':
      '已为团队 *{team}* 登记 {count} 个实例：{brand} {type}，{domainType}，{grade}，{years} 年，可绑定域名数 {quota}。\n编号：{ids}',
    'purchase.recorded_credits': '已为团队 *{team}* 增加 {count} 次托管服务。\n{ledger}',
    'purchase.quota.title': '*阿里云 SSL 证书资源包：剩余证书数*',
    'purchase.quota.line':
      '`{code}`（{specs}）：剩余 *{left}* 个，共 {total} 个（已使用 {used}，已签发 {issued}）',
    'purchase.quota.unavailable': '无法获取 CAS 资源包余量：{reason}',
    'purchase.quota.no_products':
      '无法获取 CAS 资源包余量：未配置产品代码（CERTOPS_ALIBABA_PRODUCT_CODES）。',
  },
);
