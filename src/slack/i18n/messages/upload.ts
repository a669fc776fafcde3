import { defineMessages } from '../define.js';

/** Messages of the upload feature (`/cert upload`: 上传证书, track an existing certificate). */
export const upload = defineMessages(
  {
    'upload.modal.title': 'Upload a certificate',
    'upload.modal.submit': 'Upload',
    'upload.modal.intro':
      "Paste the certificate in PEM form (`-----BEGIN CERTIFICATE-----`) followed by its chain. *Never paste a private key.* Only the certificate's public facts are kept.",
    'upload.pem.label': 'Certificate (PEM) and chain',
    'upload.pem.hint': 'One box holds 3000 characters: continue a longer chain in the boxes below.',
    'upload.pem2.label': 'Chain, continued',
    'upload.pem3.label': 'Chain, continued further',
    'upload.validation_type.label': 'Validation type',
    'upload.validation_type.placeholder': 'DV, OV or EV',
    'upload.validation_type.hint':
      'Needed only when the certificate does not say (it carries no CA/Browser Forum policy).',
    'upload.grade.label': 'Grade',
    'upload.grade.hint': 'As sold, e.g. standard or pro; "standard" when left empty.',
    'upload.name.label': 'Name',
    'upload.name.hint': "Defaults to the certificate's common name.",
    'upload.error.empty': 'Paste the certificate (PEM).',
    'upload.error.private_key':
      'This contains a private key. Never paste a private key: nothing was stored. Treat that key as exposed, and paste only the certificate and its chain.',
    'upload.error.pem': 'CertOps cannot take this: {reason}',
    'upload.error.validation_type':
      'The certificate does not say whether it is DV, OV or EV: choose its validation type.',
    'upload.error.already_tracked': 'This certificate is already tracked as `{id}`.',
    'upload.error.already_tracked_unknown': 'This certificate is already tracked.',
    'upload.error.grade': 'At most 40 characters.',
    'upload.error.name': 'At most 64 characters.',
    'upload.error.form':
      'This form could not be read, and nothing was changed: please run `/cert upload` again.',
    'upload.refused': 'Nothing was stored: {reason}',
    'upload.done':
      'Now tracking *{name}* as `{id}` ({type}): {domains}. Expires {date} ({daysLeft} days left).',
    'upload.done_expiring':
      'It expires within {windowDays} days: renew it with `/cert renew {id}`.',
    'upload.warnings': '*Warnings:*',
  },
  {
    'upload.modal.title': '上传证书',
    'upload.modal.submit': '上传',
    'upload.modal.intro':
      '粘贴 PEM 格式的证书（`-----BEGIN CERTIFICATE-----`）及其证书链。*切勿粘贴私钥。*只保存证书的公开信息。',
    'upload.pem.label': '证书（PEM）及证书链',
    'upload.pem.hint': '每个输入框最多 3000 个字符：较长的证书链请在下方输入框中继续粘贴。',
    'upload.pem2.label': '证书链（续）',
    'upload.pem3.label': '证书链（再续）',
    'upload.validation_type.label': '证书类型',
    'upload.validation_type.placeholder': 'DV、OV 或 EV',
    'upload.validation_type.hint': '仅在证书本身未注明时需要（证书不含 CA/浏览器论坛策略）。',
    'upload.grade.label': '证书等级',
    'upload.grade.hint': '按购买时的等级填写，例如 standard 或 pro；留空即为 standard。',
    'upload.name.label': '名称',
    'upload.name.hint': '默认为证书的通用名称（CN）。',
    'upload.error.empty': '请粘贴证书（PEM）。',
    'upload.error.private_key':
      '内容中包含私钥。切勿粘贴私钥：未保存任何内容。请将该私钥视为已泄露，只粘贴证书及其证书链。',
    'upload.error.pem': 'CertOps 无法接受此内容：{reason}',
    'upload.error.validation_type': '证书未注明是 DV、OV 还是 EV：请选择证书类型。',
    'upload.error.already_tracked': '该证书已在跟踪中，编号 `{id}`。',
    'upload.error.already_tracked_unknown': '该证书已在跟踪中。',
    'upload.error.grade': '不超过 40 个字符。',
    'upload.error.name': '不超过 64 个字符。',
    'upload.error.form': '无法读取此表单，未做任何更改：请重新运行 `/cert upload`。',
    'upload.refused': '未保存任何内容：{reason}',
    'upload.done':
      '已开始跟踪 *{name}*，编号 `{id}`（{type}）：{domains}。{date} 到期（还剩 {daysLeft} 天）。',
    'upload.done_expiring': '该证书将在 {windowDays} 天内到期：请用 `/cert renew {id}` 续费。',
    'upload.warnings': '*提醒：*',
  },
);
