import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback Alibaba Cloud CAS (OpenAPI cas 2020-04-07) answering as the documented API does,
 * for the official SDK pointed at it (`endpoint: 127.0.0.1:PORT`, `protocol: http`). The SDK
 * sends `POST /?Param=...` with the action in the `x-acs-action` header and an `Authorization:
 * ACS3-HMAC-SHA256 Credential=<AccessKey ID>,SignedHeaders=...,Signature=<hex>` header. The fake
 * checks that a signature is there and that the ID is the one it was started with (it never
 * sees nor compares the secret), records every call, and plays scripted order states and errors.
 */

export interface FakeCasCall {
  readonly action: string;
  readonly params: Readonly<Record<string, string>>;
  readonly accessKeyId: string | undefined;
  readonly signed: boolean;
  /** performance.now() when the request arrived. */
  readonly at: number;
}

/** A DescribeCertificateState answer, in the API's own field names (`Type`, `RecordDomain`...). */
export type CasStateReply = Readonly<Record<string, string | number>>;

export interface CasErrorReply {
  readonly status: number;
  readonly code: string;
  readonly message?: string;
  /** Sent as `x-acs-retry-after` (ms), which the SDK passes on as `retryAfter`. */
  readonly retryAfterMs?: number;
}

export interface FakeCasOrderRow {
  readonly OrderId: number;
  readonly Status: string;
  readonly [field: string]: string | number | boolean;
}

/** A certificate uploaded to CAS: a ListUserCertificateOrder UPLOAD row plus its detail. */
export interface FakeCasUpload {
  readonly CertificateId: number;
  readonly Name: string;
  /** GetUserCertificateDetail `Cert`. */
  readonly Cert: string;
  /** GetUserCertificateDetail `Key`: CertOps must never read it. */
  readonly Key: string;
  readonly CommonName?: string;
  readonly Expired?: boolean;
}

export class FakeAlibabaCas {
  readonly calls: FakeCasCall[] = [];
  /** ListUserCertificateOrder rows (CPACK). */
  orderRows: FakeCasOrderRow[] = [];
  /** Uploaded certificates (ListUserCertificateOrder UPLOAD rows, GetUserCertificateDetail). */
  uploads: FakeCasUpload[] = [];
  /** DescribePackageState by product code. */
  readonly packages = new Map<string, { total: number; used: number; issued: number }>();
  private readonly states = new Map<string, CasStateReply[]>();
  private readonly failures: Array<CasErrorReply & { action: string; times: number }> = [];
  /** Actions whose next calls get no answer at all (a timeout, from the caller's side). */
  private readonly stalls: Array<{ action: string; times: number }> = [];
  private readonly stalled: ServerResponse[] = [];
  private nextOrderId = 100_001;

  private constructor(
    private readonly server: ReturnType<typeof createServer>,
    readonly accessKeyId: string,
  ) {}

  static async start(accessKeyId: string): Promise<FakeAlibabaCas> {
    let fake: FakeAlibabaCas | undefined;
    const server = createServer((req, res) => {
      fake?.handle(req, res).catch(() => {
        res.writeHead(500).end();
      });
    });
    fake = new FakeAlibabaCas(server, accessKeyId);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** For AlibabaCasConfig.endpoint. */
  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  callsOf(action: string): FakeCasCall[] {
    return this.calls.filter((c) => c.action === action);
  }

  /** The next DescribeCertificateState answers for an order; the last one stays. */
  script(orderId: string | number, ...replies: CasStateReply[]): void {
    this.states.set(String(orderId), [...replies]);
  }

  /** The next `times` calls of `action` (`*` for any) fail with this API error. */
  failNext(action: string, error: CasErrorReply, times = 1): void {
    this.failures.push({ action, times, ...error });
  }

  /** The next `times` calls of `action` are recorded (and carried out) but never answered. */
  stallNext(action: string, times = 1): void {
    this.stalls.push({ action, times });
  }

  reset(): void {
    for (const res of this.stalled.splice(0)) res.destroy();
    this.stalls.length = 0;
    this.calls.length = 0;
    this.failures.length = 0;
    this.states.clear();
    this.orderRows = [];
    this.uploads = [];
    this.packages.clear();
    this.nextOrderId = 100_001;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += chunk;
    const url = new URL(req.url ?? '/', 'http://fake');
    const params: Record<string, string> = Object.fromEntries(url.searchParams);
    if (body && req.headers['content-type']?.includes('x-www-form-urlencoded'))
      Object.assign(params, Object.fromEntries(new URLSearchParams(body)));
    const action = String(req.headers['x-acs-action'] ?? params.Action ?? '');
    const auth = String(req.headers.authorization ?? '');
    const signature =
      /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=[a-z0-9;-]+,Signature=[0-9a-f]{64}$/.exec(
        auth,
      );
    this.calls.push({
      action,
      params,
      accessKeyId: signature?.[1],
      signed: signature !== null,
      at: performance.now(),
    });
    const requestId = randomBytes(8).toString('hex').toUpperCase();
    const stall = this.stalls.find((f) => f.action === action);
    if (stall) {
      stall.times--;
      if (stall.times <= 0) this.stalls.splice(this.stalls.indexOf(stall), 1);
    }
    const reply = (status: number, json: Record<string, unknown>, retryAfterMs?: number) => {
      if (stall) {
        this.stalled.push(res);
        return;
      }
      res.writeHead(status, {
        'content-type': 'application/json;charset=utf-8',
        ...(retryAfterMs === undefined ? {} : { 'x-acs-retry-after': String(retryAfterMs) }),
      });
      res.end(JSON.stringify({ RequestId: requestId, ...json }));
    };
    const fail = (e: CasErrorReply) =>
      reply(
        e.status,
        {
          Code: e.code,
          Message: e.message ?? e.code,
          HostId: 'cas.aliyuncs.com',
          Recommend: `https://api.aliyun.com/troubleshoot?q=${e.code}`,
        },
        e.retryAfterMs,
      );

    if (!signature)
      return fail({
        status: 400,
        code: 'IncompleteSignature',
        message: 'The request signature does not conform to Aliyun standards.',
      });
    if (signature[1] !== this.accessKeyId)
      return fail({
        status: 404,
        code: 'InvalidAccessKeyId.NotFound',
        message: 'Specified access key is not found.',
      });
    const failure = this.failures.find((f) => f.action === action || f.action === '*');
    if (failure) {
      failure.times--;
      if (failure.times <= 0) this.failures.splice(this.failures.indexOf(failure), 1);
      return fail(failure);
    }

    switch (action) {
      case 'CreateCertificateForPackageRequest': {
        const orderId = this.nextOrderId++;
        const pkg = this.packages.get(params.ProductCode ?? '');
        if (pkg) pkg.used++;
        this.script(
          orderId,
          params.ValidateType === 'FILE'
            ? {
                Type: 'domain_verify',
                ValidateType: 'FILE',
                Domain: (params.Domain ?? '').split(',')[0] ?? '',
                Uri: '/.well-known/pki-validation/fileauth.txt',
                Content: `fileauth-${orderId}`,
              }
            : {
                Type: 'domain_verify',
                ValidateType: 'DNS',
                RecordDomain: '_dnsauth',
                RecordType: 'TXT',
                RecordValue: `2126060400000${orderId}dnsauth`,
              },
        );
        return reply(200, { OrderId: orderId });
      }
      case 'DescribeCertificateState': {
        const queue = this.states.get(params.OrderId ?? '');
        if (!queue || queue.length === 0) return reply(200, { Type: 'unknow' });
        const next = queue.length > 1 ? queue.shift() : queue[0];
        return reply(200, { ...next });
      }
      case 'CancelOrderRequest':
        this.script(params.OrderId ?? '', { Type: 'payed' });
        return reply(200, {});
      case 'RenewCertificateOrderForPackageRequest': {
        const renewed = this.orderRows.find((r) => String(r.OrderId) === params.OrderId);
        if (renewed && renewed.Status !== 'WILLEXPIRED')
          return fail({
            status: 400,
            code: 'OrderStatusNotAllowed',
            message: 'Only orders about to expire can be renewed.',
          });
        const orderId = this.nextOrderId++;
        this.script(orderId, { Type: 'payed' });
        return reply(200, { OrderId: orderId });
      }
      case 'DescribePackageState': {
        const code = params.ProductCode ?? '';
        const pkg = this.packages.get(code) ?? { total: 0, used: 0, issued: 0 };
        return reply(200, {
          ProductCode: code,
          TotalCount: pkg.total,
          UsedCount: pkg.used,
          IssuedCount: pkg.issued,
        });
      }
      case 'ListUserCertificateOrder': {
        const page = Number(params.CurrentPage ?? 1);
        const size = Number(params.ShowSize ?? 50);
        if (params.OrderType === 'UPLOAD') {
          const rows = this.uploads.map((u) => ({
            CertificateId: u.CertificateId,
            Name: u.Name,
            CommonName: u.CommonName ?? '',
            Expired: u.Expired ?? false,
            Upload: true,
          }));
          return reply(200, {
            CertificateOrderList: rows.slice((page - 1) * size, page * size),
            TotalCount: rows.length,
            CurrentPage: page,
            ShowSize: size,
          });
        }
        const rows = this.orderRows.filter((r) => !params.Status || r.Status === params.Status);
        return reply(200, {
          CertificateOrderList: rows.slice((page - 1) * size, page * size),
          TotalCount: rows.length,
          CurrentPage: page,
          ShowSize: size,
        });
      }
      case 'GetUserCertificateDetail': {
        const upload = this.uploads.find((u) => String(u.CertificateId) === params.CertId);
        if (!upload)
          return fail({
            status: 400,
            code: 'NotFound',
            message: 'The certificate does not exist.',
          });
        // CertFilter=true hides both the certificate and the key.
        const hidden = params.CertFilter === 'true';
        return reply(200, {
          Id: upload.CertificateId,
          Name: upload.Name,
          Common: upload.CommonName ?? '',
          Expired: upload.Expired ?? false,
          BuyInAliyun: false,
          ...(hidden ? {} : { Cert: upload.Cert, Key: upload.Key }),
        });
      }
      default:
        return fail({
          status: 400,
          code: 'InvalidAction.NotFound',
          message: `Specified api ${action} is not found.`,
        });
    }
  }
}
