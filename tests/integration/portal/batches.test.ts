/**
 * Portal API, batch upload (媒體申報): the preview route reads a Big5 CSV and an .xlsx, checks every
 * row with the shared checks against the unit's roster in the database, and stores nothing; file
 * refusals (size, macros, encoding) are clear and audited; the templates download. SQLite and
 * PostgreSQL.
 */
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { createTestPki, type TestPki } from '../../../lab/pki/testPki.ts';
import { batchHeaderRow } from '../../../shared/filings/batchLayout.ts';
import { BATCH_FILE_MAX_BYTES, type BatchPreviewReply } from '../../../shared/portal/batchesApi.ts';
import { HEADER, csvText, enrolRow, nationalId, row, xlsxBytes } from '../../support/batchFiles.ts';
import { cmsSignature } from '../../support/cmsSignature.ts';
import { SUBMISSION_FORMAT, SUBMISSION_VERSION, type Submission } from '../../../shared/filings/contracts.ts';
import {
  auditRows,
  certificateProof,
  createPortal,
  errorOf,
  get,
  loginUnit,
  post,
  registerWith,
  startBackends,
  type Portal,
} from './harness.ts';
import { describeEachBackend } from './eachBackend.ts';

const backends = await startBackends();
let pki: TestPki;

beforeAll(async () => {
  // Issued on the frozen days below, so the certificates and CRLs are valid then whatever today is.
  pki = await createTestPki({ issuedAt: NOW });
}, 120_000);
afterAll(async () => {
  await backends.postgres?.stop();
});

const COMPANY_CODE = '012345678';
/** 10:00 on 2026-12-02 in Taipei. */
const NOW = Date.parse('2026-12-02T02:00:00.000Z');
const INSURED_HERE = 'B222222228';
const PREVIEW = '/api/filings/batches/preview';

const upload = (fileName: string, bytes: Buffer) => ({ fileName, content: bytes.toString('base64') });

describeEachBackend(backends, 'batch upload preview on $name', (backend) => {
  let portal: Portal;
  let unitToken: string;
  let clerkToken: string;
  let unitId: string;

  beforeEach(async () => {
    portal = await createPortal(backend, { pki });
    portal.clock.now = NOW;
    await registerWith(portal.app, pki.leaves.company);
    unitToken = await loginUnit(portal.app, pki.leaves.company);
    const added = await post(
      portal.app,
      '/api/units/current/clerks',
      { kind: 'certificate', certificate: pki.leaves.citizenSign.certificate.toString('base64') },
      unitToken,
    );
    expect(added.statusCode).toBe(200);
    const login = await post(portal.app, '/api/sessions', {
      role: 'clerk',
      proof: await certificateProof(portal.app, pki.leaves.citizenSign),
    });
    clerkToken = login.json<{ sessionToken: string }>().sessionToken;
    unitId = (
      await portal.db
        .selectFrom('units')
        .select('id')
        .where('unit_code', '=', COMPANY_CODE)
        .executeTakeFirstOrThrow()
    ).id;
    await portal.db
      .insertInto('insured_periods')
      .values({
        id: 'batch-test-period-1',
        unit_id: unitId,
        id_number: INSURED_HERE,
        name: '林志豪',
        birth_date: '1985-03-03',
        scheme: 'nhi',
        insured_amount: 29500,
        labour_insured_salary: null,
        employer_pension_percent: null,
        employee_pension_percent: null,
        from_date: '2026-01-01',
        to_date: null,
        end_reason: null,
        opened_by: 'batch-test',
        closed_by: null,
      })
      .execute();
  });
  afterEach(async () => {
    // PostgreSQL is shared by the file: the harness empties its own tables, these are ours.
    await portal.db.deleteFrom('insured_periods').where('opened_by', '=', 'batch-test').execute();
    await portal.close();
  });

  async function stored() {
    const count = async (table: 'submissions' | 'filings' | 'insured_periods' | 'dependant_periods') =>
      Number(
        (
          await portal.db
            .selectFrom(table)
            .select((e) => e.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      submissions: await count('submissions'),
      filings: await count('filings'),
      insured: await count('insured_periods'),
      dependants: await count('dependant_periods'),
    };
  }

  it('reads a Big5 CSV, reports each wrong row with its field and message, checks the roster, stores nothing', async () => {
    const before = await stored();
    const rows = [
      HEADER,
      enrolRow('A123456789', '2026-12-01', '王小明'),
      enrolRow('A123456788', '2026-12-01', '陳美麗'),
      row({ kind: '退保', idNumber: nationalId(3, 'C'), date: '115/12/01', reason: '離職' }),
      row({ kind: '退保', idNumber: INSURED_HERE, date: '115/12/01', reason: '離職' }),
      row({
        kind: '眷屬加保',
        insuredIdNumber: 'A123456789',
        idNumber: 'F134567896',
        name: '王小安',
        birthDate: '109/01/01',
        relationship: '子女',
        date: '115/12/01',
        reason: 'DA01',
      }),
      enrolRow(nationalId(7, 'D'), '2026-11-20', '李小華'),
    ];
    const response = await post(
      portal.app,
      PREVIEW,
      upload('異動.csv', iconv.encode(csvText(rows), 'cp950')),
      clerkToken,
    );
    expect(response.statusCode).toBe(200);
    const reply = response.json<BatchPreviewReply>();
    expect(reply.encoding).toBe('big5');
    expect(reply.counts).toEqual({ rows: 6, valid: 4, refused: 2, warned: 1 });
    expect(reply.report.map((i) => [i.row, i.field, i.code, i.severity])).toEqual([
      [3, 'idNumber', 'ERR_FIELD_ID_CHECKSUM', 'error'],
      [4, 'idNumber', 'ERR_CHECK_NOT_INSURED', 'error'],
      [7, 'enrolmentDate', 'ERR_CHECK_LATE_FILING', 'warning'],
    ]);
    expect(reply.report[1]!.message['zh-TW']).toContain('身分證號');
    expect(reply.report[1]!.message.en).toContain('ID number');
    // The dependant of the person enrolled on row 2 is valid: rows are checked in order.
    expect(reply.filings.map((f) => f.row)).toEqual([2, 5, 6, 7]);
    expect(reply.filings[0]!.filing).toEqual({
      kind: 'enrol',
      scheme: 'nhi',
      idNumber: 'A123456789',
      name: '王小明',
      birthDate: '1990-05-17',
      enrolmentDate: '2026-12-01',
      insuredAmount: 29500,
    });
    expect(await stored()).toEqual(before);
  });

  it('signs only the valid rows of a previewed file and submits them: the receipt covers exactly those', async () => {
    const rows = [
      HEADER,
      enrolRow('A123456789', '2026-12-01', '王小明'),
      enrolRow('A123456788', '2026-12-01', '陳美麗'),
      row({ kind: '退保', idNumber: INSURED_HERE, date: '115/12/01', reason: '離職' }),
    ];
    const preview = (
      await post(portal.app, PREVIEW, upload('a.csv', iconv.encode(csvText(rows), 'cp950')), clerkToken)
    ).json<BatchPreviewReply>();
    expect(preview.counts).toMatchObject({ valid: 2, refused: 1 });
    const submission: Submission = {
      format: SUBMISSION_FORMAT,
      version: SUBMISSION_VERSION,
      unitCode: COMPANY_CODE,
      submittedAt: new Date(NOW).toISOString(),
      filings: preview.filings.map((f) => f.filing),
    };
    const signature = cmsSignature(pki.leaves.citizenSign, submission, new Date(NOW));
    const submitted = await post(
      portal.app,
      '/api/filings/submissions',
      { submission, signature },
      clerkToken,
    );
    expect(submitted.statusCode).toBe(200);
    expect(submitted.json()).toMatchObject({ filingCount: 2 });
    const filings = await portal.db
      .selectFrom('filings')
      .select(['seq', 'id_number'])
      .orderBy('seq')
      .execute();
    expect(filings).toEqual([
      { seq: 1, id_number: 'A123456789' },
      { seq: 2, id_number: INSURED_HERE },
    ]);
  });

  it('reads an .xlsx, reports a formula cell without evaluating it, and 5,000 rows work', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => enrolRow(nationalId(i + 1, 'E'), '2026-12-01'));
    const bytes = await xlsxBytes([HEADER, ...rows], (sheet) => {
      sheet.getCell('G3').value = { formula: '29000+500', result: 29500 };
    });
    const response = await post(portal.app, PREVIEW, upload('batch.xlsx', bytes), clerkToken);
    expect(response.statusCode).toBe(200);
    const reply = response.json<BatchPreviewReply>();
    expect(reply.counts).toEqual({ rows: 5000, valid: 4999, refused: 1, warned: 0 });
    expect(reply.report.map((i) => [i.row, i.field, i.code])).toEqual([
      [3, 'insuredAmount', 'ERR_BATCH_FORMULA_CELL'],
    ]);
    expect(reply.filings).toHaveLength(4999);
  }, 120_000);

  it('refuses a file over 10 MB, a macro workbook and an unknown encoding, clearly and audited', async () => {
    const cases = [
      [upload('big.csv', Buffer.alloc(BATCH_FILE_MAX_BYTES + 1, 0x2c)), 413, 'ERR_PORTAL_BATCH_TOO_LARGE'],
      [upload('macro.xlsm', await xlsxBytes([HEADER])), 400, 'ERR_PORTAL_BATCH_MACROS'],
      [
        upload('utf16.csv', Buffer.from(`\uFEFF${csvText([HEADER])}`, 'utf16le')),
        400,
        'ERR_PORTAL_BATCH_ENCODING',
      ],
    ] as const;
    for (const [body, status, code] of cases) {
      const response = await post(portal.app, PREVIEW, body, clerkToken);
      expect(response.statusCode).toBe(status);
      expect(errorOf(response).code).toBe(code);
    }
    const refused = (await auditRows(portal.db, 'request-refused')).map((r) => r.error_code);
    expect(refused).toEqual(cases.map(([, , code]) => code));
  }, 60_000);

  it('takes clerk sessions only', async () => {
    const body = upload('a.csv', Buffer.from(csvText([HEADER])));
    const asUnit = await post(portal.app, PREVIEW, body, unitToken);
    expect(asUnit.statusCode).toBe(403);
    expect(errorOf(asUnit).code).toBe('ERR_PORTAL_ROLE');
    expect((await post(portal.app, PREVIEW, body)).statusCode).toBe(401);
    expect((await get(portal.app, '/api/filings/batches/template.csv', unitToken)).statusCode).toBe(403);
  });

  it('refuses content that is not base64', async () => {
    const response = await post(portal.app, PREVIEW, { fileName: 'a.csv', content: 'QUJD!' }, clerkToken);
    expect(response.statusCode).toBe(400);
    expect(errorOf(response)).toMatchObject({ code: 'ERR_PORTAL_BAD_REQUEST' });
    const short = await post(portal.app, PREVIEW, { fileName: 'a.csv', content: 'QUJDR' }, clerkToken);
    expect(errorOf(short)).toMatchObject({ code: 'ERR_PORTAL_BAD_REQUEST', field: 'content' });
  });

  it('downloads the CSV template (UTF-8 with BOM) and the .xlsx template, both read back by the preview', async () => {
    const csv = await get(portal.app, '/api/filings/batches/template.csv', clerkToken);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect([...csv.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.rawPayload.toString('utf8').slice(1).split('\r\n')[0]).toBe(batchHeaderRow().join(','));

    const xlsx = await get(portal.app, '/api/filings/batches/template.xlsx', clerkToken);
    expect(xlsx.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(workbook.worksheets[0]!.getRow(1).values).toEqual([undefined, ...batchHeaderRow()]);

    for (const [name, bytes] of [
      ['t.csv', csv.rawPayload],
      ['t.xlsx', xlsx.rawPayload],
    ] as const) {
      const reply = (
        await post(portal.app, PREVIEW, upload(name, bytes), clerkToken)
      ).json<BatchPreviewReply>();
      // The examples are layout-valid; only checks that depend on today and the roster may refuse them.
      expect(reply.counts.rows).toBe(4);
      expect(
        reply.report.filter((i) => i.code.startsWith('ERR_BATCH') || i.code.startsWith('ERR_FIELD')),
      ).toEqual([]);
    }
  });
});
