import { defineMessages } from '../define.js';

/**
 * Why something cannot be done: one `refusal.<code>` message per refusal (and PEM warning) code
 * the domain, use cases and x509 parser produce, filled from the refusal's params by `explain`.
 * `test/slack/catalog.test.ts` fails when a code has no message, or a message names a
 * placeholder some refusal of that code does not carry.
 *
 * Also the display names of the values those params hold (`state.*`, `application.status.*`,
 * `application.kind.*`, `spec.domainType.*`, `contact.field.*`, `entity.*`): `refusalText` in
 * views/format.ts puts them in before explaining, and every feature shows them.
 *
 * Messages avoid mrkdwn so they read right in plain text too (modal input errors); user-typed
 * values are quoted “like this”.
 */
export const refusals = defineMessages(
  {
    'refusal.unknown': 'Not possible: {code}',

    // --- domain names (domain-names.ts) ---
    'refusal.domain.empty':
      'An empty domain name was given (“{domain}”): type a name such as shop.example.com.',
    'refusal.domain.input_too_long':
      '“{domain}” is {length} characters long; one entry may have at most {max}.',
    'refusal.domain.too_long':
      '“{domain}” is too long: {length} characters, and a domain name may have at most {max}.',
    'refusal.domain.label_too_long':
      'In “{domain}”, the part “{label}” has {length} characters; each part between dots may have at most {max}.',
    'refusal.domain.empty_label': '“{domain}” has two dots in a row, or starts with a dot.',
    'refusal.domain.invalid_characters':
      '“{domain}” contains characters a domain name cannot have (in “{label}”): use letters, digits and hyphens.',
    'refusal.domain.invalid_label':
      'In “{domain}”, the part “{label}” starts or ends with a hyphen.',
    'refusal.domain.reserved_label':
      'In “{domain}”, the part “{label}” has hyphens in its 3rd and 4th places, which are reserved (only internationalized xn-- names use them).',
    'refusal.domain.invalid_punycode':
      'In “{domain}”, “{label}” is not a valid internationalized (xn--) name.',
    'refusal.domain.single_label':
      '“{domain}” is not a full domain name: add its parent domain, as in shop.example.com.',
    'refusal.domain.numeric_tld': '“{domain}” ends in “{label}”, which is not a top-level domain.',
    'refusal.domain.ip_address':
      '“{domain}” is an IP address; certificates here are for domain names only.',
    'refusal.domain.invisible_characters':
      '“{domain}” contains an invisible character ({codePoint}), usually from copy and paste: type the name again.',
    'refusal.domain.wildcard_position':
      'In “{domain}”, the wildcard * may only be the whole first part, as in *.example.com.',
    'refusal.domain.wildcard_not_allowed':
      '“{domain}” is a wildcard name, but this certificate’s domain type ({domainType}) does not allow wildcards.',
    'refusal.domain.wildcard_required':
      '“{domain}” is not a wildcard name, but this certificate’s domain type ({domainType}) binds wildcard names only, such as *.example.com.',
    'refusal.domain.duplicate': '“{domain}” is listed twice (it is the same as “{duplicateOf}”).',
    'refusal.domain.quota_exceeded':
      'You entered {count} domain names, but this certificate can bind at most {quota}.',
    'refusal.domain.too_many_entries':
      'You entered {count} entries; at most {max} can be checked at once.',
    'refusal.domain.none': 'Enter at least one domain name to bind.',

    // --- certificate PEM (parse-certificate-pem.ts): refusals ---
    'refusal.pem.too_large':
      'That is more than {maxBytes} bytes: paste only the certificate and its chain (the -----BEGIN CERTIFICATE----- blocks).',
    'refusal.pem.private_key':
      'That contains a private key. Never paste a private key anywhere: paste only the certificate (-----BEGIN CERTIFICATE-----). Nothing was stored; if the key was shared, ask your security team whether to replace it.',
    'refusal.pem.no_certificate':
      'No certificate found: paste the PEM text that starts with -----BEGIN CERTIFICATE-----.',
    'refusal.pem.malformed':
      'Certificate number {index} in what you pasted is damaged or incomplete: copy it again in full.',
    'refusal.pem.csr_not_certificate':
      'That is a certificate signing request (CSR), not a certificate: paste the certificate the CA issued.',
    'refusal.pem.public_key_not_certificate':
      'That is a public key, not a certificate: paste the certificate (-----BEGIN CERTIFICATE-----).',
    'refusal.pem.pkcs7_not_supported':
      'PKCS#7 (.p7b) bundles are not supported: convert it with openssl pkcs7 -print_certs and paste the certificates.',
    'refusal.pem.too_many_certificates':
      'That holds {count} certificates; at most {max} (the certificate and its chain) can be read.',
    'refusal.pem.leaf_is_ca':
      'The first certificate is a CA certificate: paste your server certificate first, then its chain.',
    'refusal.pem.expired': 'This certificate expired on {notAfter}, so it cannot be used.',
    'refusal.pem.no_domains':
      'This certificate names no domain (no subject alternative names and no common name).',
    // --- certificate PEM: warnings (accepted, but worth knowing) ---
    'refusal.pem.not_yet_valid': 'Note: this certificate is only valid from {notBefore}.',
    'refusal.pem.leaf_self_signed':
      'Note: this certificate is self-signed; browsers will not trust it.',
    'refusal.pem.chain_incomplete':
      'Note: the issuer’s certificate is not included; make sure your servers send the full chain.',
    'refusal.pem.chain_reordered':
      'Note: the chain was out of order; it was read in the right order.',
    'refusal.pem.chain_unrelated':
      'Note: {count} certificate(s) are not part of this certificate’s chain and were ignored.',
    'refusal.pem.chain_expired':
      'Note: chain certificate number {index} expired on {notAfter}; update the chain on your servers.',
    'refusal.pem.duplicate_certificates': 'Note: {count} duplicate certificate(s) were ignored.',
    'refusal.pem.ignored_block': 'Note: a “{label}” block was ignored.',

    // --- applying ---
    'refusal.apply.state':
      'Certificate {id} is “{state}”: only certificates pending application or whose validation failed can be applied for.',
    'refusal.apply.validation_method':
      'The validation method “{method}” is not available for {validationType} certificates: DV uses DNS or file validation, OV and EV also email.',
    'refusal.request.open':
      'Certificate {id} already has a request under way ({applicationId}): please wait until it is decided.',
    'refusal.hosting.no_credits':
      'Team {team} has no hosting credits left: ask an admin to record a purchase of hosting credits (/cert purchase), or go ahead without managed renewal.',
    'refusal.contact.not_found':
      'Contact {id} was not found in your team: choose another contact or create a new one.',
    'refusal.contact.invalid':
      'The contact’s {field} is not valid: give a name, an email address and a phone number (6–15 digits, + allowed).',
    'refusal.contact.taken':
      'Another contact already has this {field}, and each contact needs their own email and phone: choose that contact instead, or give different details.',

    // --- certificates and requests ---
    'refusal.certificate.not_found': 'There is no certificate {id}. Find its id with /cert list.',
    'refusal.certificate.other_team': 'Certificate {id} belongs to team {team}, not to yours.',
    'refusal.certificate.already_tracked':
      'This certificate is already tracked by CertOps: find it with /cert list.',
    'refusal.application.not_found': 'There is no request {id}.',
    'refusal.application.transition_not_allowed':
      'This request is “{from}” now, so that step is no longer possible (someone may have acted on it just before you).',
    'refusal.transition.not_allowed':
      'This certificate is “{from}” now, so that step is no longer possible (someone may have acted on it just before you). See /cert status.',
    'refusal.transition.pending_renewal':
      'This certificate has a renewal waiting to be activated: cancel that renewal first.',
    'refusal.conflict.changed':
      'This {entity} ({id}) was changed by someone else a moment ago, so nothing was changed. Look at it again and retry.',
    'refusal.conflict.exists':
      'A {entity} with id {id} already exists, so nothing was changed. Please try again.',
    'refusal.conflict.duplicate':
      'This was already done (a repeated click or a retry): it was not done twice.',

    // --- approvals and the CA ---
    'refusal.approval.not_approver': 'Only approvers can decide on requests, and you are not one.',
    'refusal.approval.own_request':
      'You cannot decide on your own request: another approver must (four-eyes rule).',
    'refusal.decision.reason_required': 'Please give a reason; the requester will see it.',
    'refusal.decision.reason_too_long': 'The reason is too long: at most {max} characters.',
    'refusal.decision.already_decided':
      'Request {id} was already decided by <@{by}>: it is “{status}” now.',
    'refusal.submit.not_approved':
      'Request {id} is “{status}”: only approved applications can be sent to the CA.',
    'refusal.outcome.not_allowed': 'Only approvers and admins can record what the CA did.',
    'refusal.outcome.not_under_review':
      'Request {id} is not with the CA (it is “{status}”), so no CA outcome can be recorded for it.',
    'refusal.outcome.domains_not_covered':
      'This certificate does not cover {count} of the requested domain name(s): {domains}. Check that it is the right certificate.',
    'refusal.outcome.lifetime_too_long':
      'This certificate is valid for {days} days, more than the {max} days a publicly trusted certificate may have: check that it is the right certificate.',
    'refusal.outcome.not_yet_valid':
      'This certificate only becomes valid on {notBefore}, more than a day from now: check that it is the right certificate.',

    // --- renewing and hosting ---
    'refusal.ca.no_status':
      'The {provider} CA reports outcomes by hand: support records them in Slack.',
    'refusal.ca.error':
      'The {provider} CA could not answer: {error}. Nothing was changed; try again later.',
    'refusal.renew.not_hosted': 'Certificate {id} has no managed renewal to activate.',
    'refusal.renew.hosting_refused':
      'The CA refused the managed renewal of certificate {id} ({error}): managed renewal is off for it now, and Renew offers the renewal purchase.',
    'refusal.renew.activation_failed':
      'The renewal {id} could not be submitted to the CA: {error}. Support has been told.',
    'refusal.renewal.not_approved':
      'Request {id} is “{status}”: only an approved renewal purchase can be bought from the CA.',
    'refusal.renewal.not_at_ca':
      'The {provider} CA does not sell renewals of certificate {id} through its API: the renewal is recorded in CertOps only.',
    'refusal.renewal.unsettled':
      'The renewal of request {id} was already asked of the {provider} CA, and its answer is not known yet: CertOps does not ask twice, so as not to buy it twice.',
    'refusal.renew.not_live':
      'Only issued or uploaded certificates can be renewed; this one is “{state}”.',
    'refusal.renew.no_expiry':
      'This certificate has no known expiry date, so it cannot be renewed here.',
    'refusal.renew.expired':
      'This certificate expired {daysAgo} day(s) ago and can no longer be renewed: buy a new certificate instead.',
    'refusal.renew.already_hosted':
      'Certificate {id} already has managed renewal: it is renewed automatically once it is within {windowDays} days of expiry ({daysLeft} days left).',
    'refusal.renew.automatic':
      'Certificate {id} is hosted and expires in {daysLeft} day(s): it is renewed automatically, nothing to do.',
    'refusal.withdraw.not_allowed': 'Only the requester or an approver can withdraw request {id}.',
    'refusal.withdraw.too_late': 'Request {id} can no longer be withdrawn: it is “{status}”.',
    'refusal.withdraw.ca_refused':
      'The {provider} CA did not let request {id} go ({reason}): nothing was changed.',
    'refusal.renew.in_progress':
      'Certificate {id} already has a renewal on its way, `{renewalId}`: one at a time. Apply for it with `/cert apply {renewalId}`, or see `/cert status {renewalId}`.',
    'refusal.renew.window_began':
      'Certificate {id} is now within {windowDays} days of expiry ({daysLeft} day(s) left): managed renewal can no longer be enabled. A renewal purchase is what is left: Renew offers it.',
    'refusal.renew.hosted_meanwhile':
      'Certificate {id} has managed renewal now: it is renewed automatically, no purchase is needed.',
    'refusal.renew.changed':
      'What Renew offers for certificate {id} has changed since the request ({daysLeft} day(s) left): Renew it again.',

    // --- combining ---
    'refusal.combine.not_ov_ev':
      'Instance {id} is {validationType}: only OV and EV instances can be combined.',
    'refusal.combine.state':
      'Instance {id} is “{state}”: only instances pending application or whose validation failed can be combined.',
    'refusal.combine.validity':
      'Instance {id} is valid for {validityYears} years: only 1-year instances can be combined.',
    'refusal.combine.same_instance':
      'Instance {id} was chosen twice, or is the one you are combining into.',
    'refusal.combine.brand_mismatch':
      'Instance {id} is from {brand} but this one is from {expected}: only instances of the same brand can be combined.',
    'refusal.combine.grade_mismatch':
      'Instance {id} is of grade {grade} but this one is {expected}: only instances of the same grade can be combined (the result keeps one grade).',
    'refusal.combine.type_mismatch':
      'Instance {id} is {validationType} but this one is {expected}: only instances of the same type can be combined.',
    'refusal.combine.nothing_selected':
      'Choose at least one other instance to combine into this one.',
    'refusal.combine.not_confirmed':
      'Please confirm that combined instances can no longer be refunded.',
    'refusal.combine.candidate_ineligible':
      'Instance {id} cannot be combined into this one (any more): open /cert combine again to see why.',
    'refusal.combine.instance_missing':
      'One of the instances to combine no longer exists, so the combination was not carried out.',

    // --- purchases, uploads, lists ---
    'refusal.purchase.not_allowed': 'Only admins and approvers can record purchases.',
    'refusal.purchase.empty': 'Nothing to record: add at least one purchase.',
    'refusal.purchase.too_many':
      'That is {count} instances; at most {max} can be recorded at once, so please split the purchase.',
    'refusal.upload.validation_type_unknown':
      'This certificate does not say whether it is DV, OV or EV: choose its type and submit again.',
    'refusal.list.all_not_allowed':
      'Only approvers and admins can list all certificates. Try /cert list team.',
    'refusal.calendar_overrides_invalid': 'The holiday calendar file is not valid: {problems}',

    // --- display names of values refusals and views show ---
    'state.pending_application': 'Pending application',
    'state.under_review': 'Under review',
    'state.issued': 'Issued',
    'state.validation_failed': 'Validation failed',
    'state.uploaded': 'Uploaded',
    'state.not_activated': 'Not activated',
    'state.merged': 'Merged',
    'state.replaced': 'Replaced',
    'state.revoked': 'Revoked',
    'state.cancelled': 'Cancelled',
    'state.hosted': 'Hosted',
    'state.expiring': 'Expiring',
    'state.expired': 'Expired',
    'application.status.awaiting_approval': 'Awaiting approval',
    'application.status.approved': 'Approved',
    'application.status.rejected': 'Rejected',
    'application.status.submitted': 'With the CA for review',
    'application.status.issued': 'Issued',
    'application.status.validation_failed': 'Validation failed',
    'application.status.withdrawn': 'Withdrawn',
    'application.status.completed': 'Completed',
    'application.status.lapsed': 'Lapsed (no longer applied when approved)',
    'application.kind.apply': 'Application',
    'application.kind.enable_hosting': 'Managed renewal',
    'application.kind.renewal_purchase': 'Renewal purchase',
    'application.kind.combine': 'Combination',
    'spec.domainType.single': 'Single domain',
    'spec.domainType.multi': 'Multiple domains',
    'spec.domainType.wildcard': 'Wildcard',
    'spec.domainType.multi_wildcard': 'Multiple wildcards',
    'spec.domainType.hybrid': 'Domains and wildcards',
    'contact.field.name': 'name',
    'contact.field.email': 'email address',
    'contact.field.phone': 'phone number',
    'entity.cert': 'certificate',
    'entity.app': 'request',
    'entity.contact': 'contact',
    'entity.credits': 'hosting credit count',
  },
  {
    'refusal.unknown': '无法完成：{code}',

    'refusal.domain.empty': '填写了空的域名（“{domain}”）：请填写域名，例如 shop.example.com。',
    'refusal.domain.input_too_long': '“{domain}”长 {length} 个字符，每个条目最多 {max} 个字符。',
    'refusal.domain.too_long': '“{domain}”过长：共 {length} 个字符，域名最多 {max} 个字符。',
    'refusal.domain.label_too_long':
      '“{domain}”中的“{label}”有 {length} 个字符，点号之间的每一段最多 {max} 个字符。',
    'refusal.domain.empty_label': '“{domain}”中有连续的点号，或以点号开头。',
    'refusal.domain.invalid_characters':
      '“{domain}”包含域名中不允许的字符（在“{label}”中）：只能使用字母、数字和连字符。',
    'refusal.domain.invalid_label': '“{domain}”中的“{label}”以连字符开头或结尾。',
    'refusal.domain.reserved_label':
      '“{domain}”中的“{label}”第 3、4 位是连字符，这是保留格式（只有国际化域名的 xn-- 才能这样写）。',
    'refusal.domain.invalid_punycode': '“{domain}”中的“{label}”不是有效的国际化域名编码（xn--）。',
    'refusal.domain.single_label':
      '“{domain}”不是完整的域名：请加上上级域名，例如 shop.example.com。',
    'refusal.domain.numeric_tld': '“{domain}”以“{label}”结尾，这不是有效的顶级域名。',
    'refusal.domain.ip_address': '“{domain}”是 IP 地址；这里只能为域名申请证书。',
    'refusal.domain.invisible_characters':
      '“{domain}”包含不可见字符（{codePoint}），通常是复制粘贴带入的：请重新输入该域名。',
    'refusal.domain.wildcard_position':
      '“{domain}”中的通配符 * 只能作为完整的第一段，例如 *.example.com。',
    'refusal.domain.wildcard_not_allowed':
      '“{domain}”是通配符域名，但该证书的域名类型（{domainType}）不支持通配符。',
    'refusal.domain.wildcard_required':
      '“{domain}”不是通配符域名，但该证书的域名类型（{domainType}）只能绑定通配符域名，例如 *.example.com。',
    'refusal.domain.duplicate': '“{domain}”重复填写了（与“{duplicateOf}”相同）。',
    'refusal.domain.quota_exceeded': '您填写了 {count} 个域名，但该证书最多可绑定 {quota} 个域名。',
    'refusal.domain.too_many_entries': '您填写了 {count} 个条目，一次最多可检查 {max} 个。',
    'refusal.domain.none': '请至少填写一个要绑定的域名。',

    'refusal.pem.too_large':
      '内容超过 {maxBytes} 字节：请只粘贴证书及其证书链（-----BEGIN CERTIFICATE----- 块）。',
    'refusal.pem.private_key':
      '内容中包含私钥。切勿在任何地方粘贴私钥：请只粘贴证书（-----BEGIN CERTIFICATE-----）。未保存任何内容；如果私钥已经泄露，请联系安全团队评估是否需要更换。',
    'refusal.pem.no_certificate':
      '未找到证书：请粘贴以 -----BEGIN CERTIFICATE----- 开头的 PEM 文本。',
    'refusal.pem.malformed': '您粘贴的第 {index} 个证书已损坏或不完整：请重新完整复制。',
    'refusal.pem.csr_not_certificate': '这是证书签名请求（CSR），不是证书：请粘贴 CA 签发的证书。',
    'refusal.pem.public_key_not_certificate':
      '这是公钥，不是证书：请粘贴证书（-----BEGIN CERTIFICATE-----）。',
    'refusal.pem.pkcs7_not_supported':
      '不支持 PKCS#7（.p7b）格式：请用 openssl pkcs7 -print_certs 转换后再粘贴证书。',
    'refusal.pem.too_many_certificates':
      '内容包含 {count} 个证书，最多只能读取 {max} 个（证书及其证书链）。',
    'refusal.pem.leaf_is_ca': '第一个证书是 CA 证书：请先粘贴服务器证书，再粘贴证书链。',
    'refusal.pem.expired': '该证书已于 {notAfter} 过期，无法使用。',
    'refusal.pem.no_domains': '该证书中没有任何域名（既没有使用者可选名称，也没有通用名称）。',
    'refusal.pem.not_yet_valid': '注意：该证书自 {notBefore} 起才生效。',
    'refusal.pem.leaf_self_signed': '注意：该证书是自签名证书，浏览器不会信任。',
    'refusal.pem.chain_incomplete': '注意：未包含签发者的证书，请确认服务器发送了完整的证书链。',
    'refusal.pem.chain_reordered': '注意：证书链顺序有误，已按正确顺序读取。',
    'refusal.pem.chain_unrelated': '注意：有 {count} 个证书不属于该证书的证书链，已忽略。',
    'refusal.pem.chain_expired':
      '注意：证书链中的第 {index} 个证书已于 {notAfter} 过期，请更新服务器上的证书链。',
    'refusal.pem.duplicate_certificates': '注意：已忽略 {count} 个重复的证书。',
    'refusal.pem.ignored_block': '注意：已忽略一个“{label}”块。',

    'refusal.apply.state':
      '证书 {id} 当前为“{state}”：只有“待申请”或“审核失败”的证书才能提交证书申请。',
    'refusal.apply.validation_method':
      '{validationType} 证书不支持“{method}”验证方式：DV 证书可用 DNS 或文件验证，OV/EV 证书还可用邮箱验证。',
    'refusal.request.open': '证书 {id} 已有进行中的申请（{applicationId}）：请等待该申请处理完成。',
    'refusal.hosting.no_credits':
      '团队 {team} 的托管服务次数已用完：请联系管理员登记购买托管服务次数（/cert purchase），或不开启托管继续。',
    'refusal.contact.not_found': '在您的团队中找不到联系人 {id}：请选择其他联系人或新建联系人。',
    'refusal.contact.invalid':
      '联系人的{field}无效：请填写姓名、邮箱和电话号码（6–15 位数字，可带 +）。',
    'refusal.contact.taken':
      '已有其他联系人使用了该{field}，每个联系人的邮箱和电话必须唯一：请直接选择该联系人，或填写其他信息。',

    'refusal.certificate.not_found': '找不到证书 {id}。请用 /cert list 查看证书编号。',
    'refusal.certificate.other_team': '证书 {id} 属于团队 {team}，不属于您的团队。',
    'refusal.certificate.already_tracked': '该证书已在 CertOps 中跟踪：请用 /cert list 查看。',
    'refusal.application.not_found': '找不到申请 {id}。',
    'refusal.application.transition_not_allowed':
      '该申请当前为“{from}”，无法再执行该操作（可能刚刚有人处理过）。',
    'refusal.transition.not_allowed':
      '该证书当前为“{from}”，无法再执行该操作（可能刚刚有人处理过）。请用 /cert status 查看。',
    'refusal.transition.pending_renewal': '该证书有一个待激活的续费证书：请先取消该续费证书。',
    'refusal.conflict.changed':
      '该{entity}（{id}）刚刚被他人修改，本次未做任何更改。请重新查看后再试。',
    'refusal.conflict.exists': '编号为 {id} 的{entity}已存在，本次未做任何更改。请重试。',
    'refusal.conflict.duplicate': '该操作已经完成（重复点击或重试），不会重复执行。',

    'refusal.approval.not_approver': '只有审批人可以审批申请，您不是审批人。',
    'refusal.approval.own_request':
      '您不能审批自己提交的申请：需要由另一位审批人审批（双人复核）。',
    'refusal.decision.reason_required': '请填写原因，申请人会看到该原因。',
    'refusal.decision.reason_too_long': '原因过长：最多 {max} 个字符。',
    'refusal.decision.already_decided': '申请 {id} 已由 <@{by}> 处理，当前状态为“{status}”。',
    'refusal.submit.not_approved':
      '申请 {id} 当前为“{status}”：只有已批准的证书申请才能提交给 CA。',
    'refusal.outcome.not_allowed': '只有审批人和管理员可以登记 CA 的处理结果。',
    'refusal.outcome.not_under_review':
      '申请 {id} 当前不在 CA 审核中（状态为“{status}”），无法登记 CA 处理结果。',
    'refusal.outcome.domains_not_covered':
      '该证书未覆盖申请中的 {count} 个域名：{domains}。请确认证书是否正确。',
    'refusal.outcome.lifetime_too_long':
      '该证书有效期为 {days} 天，超过了公开信任证书允许的 {max} 天：请确认证书是否正确。',
    'refusal.outcome.not_yet_valid':
      '该证书要到 {notBefore} 才生效（超过一天之后）：请确认证书是否正确。',

    'refusal.ca.no_status': '{provider} CA 的结果由人工记录：请技术支持在 Slack 中登记。',
    'refusal.ca.error': '{provider} CA 暂时无法响应：{error}。未做任何更改，请稍后重试。',
    'refusal.renew.not_hosted': '证书 {id} 未开启托管，没有可激活的续费证书。',
    'refusal.renew.activation_failed': '续费证书 {id} 未能提交给 CA：{error}。已通知技术支持。',
    'refusal.renew.hosting_refused':
      'CA 拒绝了证书 {id} 的托管续费（{error}）：该证书的托管已关闭，点“续费”可申请续费购买。',
    'refusal.renewal.not_approved':
      '请求 {id} 当前为“{status}”：只有已批准的续费购买才能向 CA 购买。',
    'refusal.renewal.not_at_ca':
      '{provider} CA 不支持通过 API 为证书 {id} 续费：续费仅在 CertOps 中记录。',
    'refusal.renewal.unsettled':
      '请求 {id} 的续费已向 {provider} CA 发起，但结果尚不明确：为避免重复购买，CertOps 不会再次发起。',
    'refusal.renew.not_live': '只有“已签发”或“上传证书”的证书才能续费；该证书当前为“{state}”。',
    'refusal.renew.no_expiry': '该证书没有已知的到期日期，无法在这里续费。',
    'refusal.renew.expired': '该证书已过期 {daysAgo} 天，无法再续费：请购买新证书。',
    'refusal.renew.already_hosted':
      '证书 {id} 已托管：到期前 {windowDays} 天内会自动续费（还剩 {daysLeft} 天到期）。',
    'refusal.renew.automatic': '证书 {id} 已托管，{daysLeft} 天后到期：会自动续费，无需操作。',
    'refusal.withdraw.not_allowed': '只有申请人或审批人可以撤回申请 {id}。',
    'refusal.withdraw.too_late': '申请 {id} 已不能撤回：当前为“{status}”。',
    'refusal.withdraw.ca_refused':
      '{provider} CA 未同意撤回申请 {id}（{reason}）：没有做任何更改。',
    'refusal.renew.in_progress':
      '证书 {id} 已有一个进行中的续费 `{renewalId}`：同一时间只能有一个。请用 `/cert apply {renewalId}` 申请它，或用 `/cert status {renewalId}` 查看。',
    'refusal.renew.window_began':
      '证书 {id} 现已进入到期前 {windowDays} 天（剩余 {daysLeft} 天）：不能再开启托管，只能续费购买：点“续费”即可申请。',
    'refusal.renew.hosted_meanwhile': '证书 {id} 现已开启托管：会自动续费，无需购买。',
    'refusal.renew.changed':
      '自申请以来，证书 {id} 可用的续费方式已变化（剩余 {daysLeft} 天）：请重新续费。',

    'refusal.combine.not_ov_ev':
      '实例 {id} 是 {validationType} 证书：只有 OV 和 EV 证书实例可以合并。',
    'refusal.combine.state': '实例 {id} 当前为“{state}”：只有“待申请”或“审核失败”的实例可以合并。',
    'refusal.combine.validity':
      '实例 {id} 的有效期为 {validityYears} 年：只有有效期为 1 年的实例可以合并。',
    'refusal.combine.same_instance': '实例 {id} 被重复选择，或就是要合并到的当前实例。',
    'refusal.combine.brand_mismatch':
      '实例 {id} 的品牌是 {brand}，而当前实例是 {expected}：只能合并同一品牌的实例。',
    'refusal.combine.grade_mismatch':
      '实例 {id} 的规格等级是 {grade}，而当前实例是 {expected}：只能合并同一等级的实例（合并结果只保留一个等级）。',
    'refusal.combine.type_mismatch':
      '实例 {id} 是 {validationType} 证书，而当前实例是 {expected}：只能合并同一类型的实例。',
    'refusal.combine.nothing_selected': '请至少选择一个要合并到当前实例的其他实例。',
    'refusal.combine.not_confirmed': '请确认：合并后的证书实例将无法退款。',
    'refusal.combine.candidate_ineligible':
      '实例 {id} （已）无法合并到当前实例：请重新打开 /cert combine 查看原因。',
    'refusal.combine.instance_missing': '要合并的某个实例已不存在，合并证书未执行。',

    'refusal.purchase.not_allowed': '只有管理员和审批人可以登记购买记录。',
    'refusal.purchase.empty': '没有可登记的内容：请至少添加一条购买记录。',
    'refusal.purchase.too_many': '共 {count} 个证书实例，一次最多登记 {max} 个，请分批登记。',
    'refusal.upload.validation_type_unknown':
      '无法从该证书判断其类型（DV、OV 或 EV）：请选择证书类型后重新提交。',
    'refusal.list.all_not_allowed': '只有审批人和管理员可以查看全部证书。请试试 /cert list team。',
    'refusal.calendar_overrides_invalid': '节假日日历文件无效：{problems}',

    'state.pending_application': '待申请',
    'state.under_review': '审核中',
    'state.issued': '已签发',
    'state.validation_failed': '审核失败',
    'state.uploaded': '上传证书',
    'state.not_activated': '未激活',
    'state.merged': '已合并',
    'state.replaced': '已替换',
    'state.revoked': '已吊销',
    'state.cancelled': '已取消',
    'state.hosted': '已托管',
    'state.expiring': '即将到期',
    'state.expired': '已过期',
    'application.status.awaiting_approval': '待审批',
    'application.status.approved': '已批准',
    'application.status.rejected': '已驳回',
    'application.status.submitted': 'CA 审核中',
    'application.status.issued': '已签发',
    'application.status.validation_failed': '审核失败',
    'application.status.withdrawn': '已撤回',
    'application.status.completed': '已完成',
    'application.status.lapsed': '已失效（批准时已不适用）',
    'application.kind.apply': '证书申请',
    'application.kind.enable_hosting': '开启托管',
    'application.kind.renewal_purchase': '续费购买',
    'application.kind.combine': '合并证书',
    'spec.domainType.single': '单域名',
    'spec.domainType.multi': '多域名',
    'spec.domainType.wildcard': '通配符域名',
    'spec.domainType.multi_wildcard': '多通配符域名',
    'spec.domainType.hybrid': '混合域名',
    'contact.field.name': '姓名',
    'contact.field.email': '邮箱',
    'contact.field.phone': '电话',
    'entity.cert': '证书',
    'entity.app': '申请',
    'entity.contact': '联系人',
    'entity.credits': '托管服务次数',
  },
);
