/**
 * Filings queries through the portal API on SQLite and PostgreSQL: the roster as of any day across its
 * history (joined, left, amount changed, dependants), filters and database pagination, the filing
 * history with its filters, another unit's rows never visible, the audited ID reveal and full-ID
 * export, CSV files that start with a BOM and parse back, and bad filters refused by field name.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestPki, type TestPki } from '../../../lab/pki/testPki.ts';
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
import {
  clearFilings,
  personId,
  seedDependant,
  seedInsured,
  seedSubmission,
  unitIdOf,
} from './filingsSeed.ts';
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
const AGENCY_CODE = '023456789';
/** 2026-12-02 12:00 in Taipei. */
const NOW = Date.parse('2026-12-02T04:00:00.000Z');

const WANG = { id: personId(1), name: '王大明' };
const LEE = { id: personId(2), name: '李小華' };
const CHEN = { id: personId(3), name: '陳志豪' };
const WANG_CHILD = { id: personId(4, 'B'), name: '王小寶' };
const WANG_SPOUSE = { id: personId(5, 'B'), name: '林美玉' };
const OTHER_UNIT_PERSON = { id: personId(6), name: '王外人' };

interface RosterReply {
  asOf: string;
  page: number;
  pageSize: number;
  total: number;
  persons: Array<{
    id: string;
    idMasked: string;
    name: string;
    insuredAmount: number;
    fromDate: string;
    toDate?: string;
    dependants: Array<{ id: string; idMasked: string; name: string; toDate?: string }>;
  }>;
}
interface HistoryReply {
  total: number;
  page: number;
  filings: Array<{
    id: string;
    receiptNo: string;
    kind: string;
    state: string;
    idMasked: string;
    late: boolean;
    signer: { label: string };
    submissionId: string;
  }>;
}

/** Minimal RFC 4180 reader, enough to read back what the portal wrote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

describeEachBackend(backends, 'filings queries on $name', (backend) => {
  let portal: Portal;
  let clerkToken: string;
  let agencyToken: string;
  let companyId: string;
  let agencyId: string;
  let clerkId: string;
  const ids: Record<string, string> = {};

  beforeEach(async () => {
    portal = await createPortal(backend, { pki });
    portal.clock.now = NOW;
    await registerWith(portal.app, pki.leaves.company);
    await registerWith(portal.app, pki.leaves.agency);
    const unitToken = await loginUnit(portal.app, pki.leaves.company);
    agencyToken = await loginUnit(portal.app, pki.leaves.agency);
    const added = await post(
      portal.app,
      '/api/units/current/clerks',
      { kind: 'certificate', certificate: pki.leaves.citizenSign.certificate.toString('base64') },
      unitToken,
    );
    clerkId = added.json<{ clerk: { id: string } }>().clerk.id;
    const login = await post(portal.app, '/api/sessions', {
      role: 'clerk',
      proof: await certificateProof(portal.app, pki.leaves.citizenSign),
    });
    clerkToken = login.json<{ sessionToken: string }>().sessionToken;
    companyId = await unitIdOf(portal.db, COMPANY_CODE);
    agencyId = await unitIdOf(portal.db, AGENCY_CODE);

    const db = portal.db;
    // 王大明: joined 2026-01-01 at 30,300; amount changed to 36,300 from 2026-06-01.
    ids.wangFirst = await seedInsured(db, {
      unitId: companyId,
      idNumber: WANG.id,
      name: WANG.name,
      from: '2026-01-01',
      to: '2026-05-31',
      endReason: 'amount-change',
      insuredAmount: 30_300,
    });
    ids.wangNow = await seedInsured(db, {
      unitId: companyId,
      idNumber: WANG.id,
      name: WANG.name,
      from: '2026-06-01',
      insuredAmount: 36_300,
    });
    // 李小華: joined 2026-02-01, left after 2026-08-15.
    ids.lee = await seedInsured(db, {
      unitId: companyId,
      idNumber: LEE.id,
      name: LEE.name,
      from: '2026-02-01',
      to: '2026-08-15',
    });
    // 陳志豪: joined 2026-09-01.
    ids.chen = await seedInsured(db, {
      unitId: companyId,
      idNumber: CHEN.id,
      name: CHEN.name,
      from: '2026-09-01',
      scheme: 'joint',
    });
    // 王大明's dependants: a child since 2026-03-01, a spouse until 2026-04-30.
    ids.child = await seedDependant(db, {
      unitId: companyId,
      insuredIdNumber: WANG.id,
      idNumber: WANG_CHILD.id,
      name: WANG_CHILD.name,
      from: '2026-03-01',
    });
    ids.spouse = await seedDependant(db, {
      unitId: companyId,
      insuredIdNumber: WANG.id,
      idNumber: WANG_SPOUSE.id,
      name: WANG_SPOUSE.name,
      relationship: 'R01',
      from: '2026-01-01',
      to: '2026-04-30',
    });
    // Another unit's person, insured all year, with a 王 in the name.
    ids.other = await seedInsured(db, {
      unitId: agencyId,
      idNumber: OTHER_UNIT_PERSON.id,
      name: OTHER_UNIT_PERSON.name,
      from: '2026-01-01',
    });
  }, 60_000);
  afterEach(async () => {
    await clearFilings(portal.db);
    await portal.close();
  });

  const roster = async (query = '', token = clerkToken) => {
    const response = await get(portal.app, `/api/filings/roster${query}`, token);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<RosterReply>();
  };
  const history = async (query = '', token = clerkToken) => {
    const response = await get(portal.app, `/api/filings/history${query}`, token);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<HistoryReply>();
  };
  const names = (reply: RosterReply) => reply.persons.map((p) => p.name);

  describe('roster', () => {
    it('is today in Taipei by default, with the current amounts and dependants, IDs masked', async () => {
      const reply = await roster();
      expect(reply.asOf).toBe('2026-12-02');
      expect(reply.total).toBe(2);
      expect(names(reply)).toEqual([WANG.name, CHEN.name]);
      const wang = reply.persons[0]!;
      expect(wang).toMatchObject({ id: ids.wangNow, insuredAmount: 36_300, fromDate: '2026-06-01' });
      expect(wang.idMasked).toBe(`${WANG.id.slice(0, 2)}*****${WANG.id.slice(-3)}`);
      expect(wang.dependants.map((d) => d.name)).toEqual([WANG_CHILD.name]);
      expect(JSON.stringify(reply)).not.toContain(WANG.id);
      expect(JSON.stringify(reply)).not.toContain(WANG_CHILD.id);
    });

    it('reads any past day from the history: joined, left, amount changed, dependants', async () => {
      const feb = await roster('?asOf=2026-02-15');
      expect(names(feb)).toEqual([WANG.name, LEE.name]);
      expect(feb.persons[0]).toMatchObject({
        id: ids.wangFirst,
        insuredAmount: 30_300,
        toDate: '2026-05-31',
      });
      expect(feb.persons[0]!.dependants.map((d) => d.name)).toEqual([WANG_SPOUSE.name]);

      const apr = await roster('?asOf=2026-04-30');
      expect(apr.persons[0]!.dependants.map((d) => d.name).sort()).toEqual(
        [WANG_CHILD.name, WANG_SPOUSE.name].sort(),
      );
      const may = await roster('?asOf=2026-05-01');
      expect(may.persons[0]!.dependants.map((d) => d.name)).toEqual([WANG_CHILD.name]);

      // The last day of the old amount and the first of the new.
      expect((await roster('?asOf=2026-05-31')).persons[0]!.insuredAmount).toBe(30_300);
      expect((await roster('?asOf=2026-06-01')).persons[0]!.insuredAmount).toBe(36_300);
      // 李小華's last insured day, then gone; 陳志豪 from his first day.
      expect(names(await roster('?asOf=2026-08-15'))).toEqual([WANG.name, LEE.name]);
      expect(names(await roster('?asOf=2026-08-16'))).toEqual([WANG.name]);
      expect(names(await roster('?asOf=2026-09-01'))).toEqual([WANG.name, CHEN.name]);
      expect((await roster('?asOf=2025-12-31')).total).toBe(0);
    });

    it('filters by a full ID number or part of a name', async () => {
      expect(names(await roster(`?asOf=2026-03-01&q=${LEE.id.toLowerCase()}`))).toEqual([LEE.name]);
      expect(names(await roster(`?asOf=2026-03-01&q=${encodeURIComponent('小華')}`))).toEqual([LEE.name]);
      // LIKE wildcards typed by the clerk are plain characters.
      expect((await roster(`?q=${encodeURIComponent('%')}`)).total).toBe(0);
      expect((await roster(`?q=${encodeURIComponent('王')}`)).total).toBe(1);
      // Romanised names match whatever the case, on both databases.
      await seedInsured(portal.db, {
        unitId: companyId,
        idNumber: personId(7),
        name: 'Mary CHEN',
        from: '2026-01-01',
      });
      expect(names(await roster('?q=chen'))).toEqual(['Mary CHEN']);
    });

    it('pages in the database with a total over all pages', async () => {
      for (let n = 100; n < 145; n++) {
        await seedInsured(portal.db, {
          unitId: companyId,
          idNumber: personId(n, 'C'),
          name: `測試${n}`,
          from: '2026-01-01',
        });
      }
      const first = await roster('?page=1&pageSize=20');
      const third = await roster('?page=3&pageSize=20');
      expect(first).toMatchObject({ page: 1, pageSize: 20, total: 47 });
      expect(first.persons).toHaveLength(20);
      expect(third.persons).toHaveLength(7);
      const all = [...first.persons, ...(await roster('?page=2&pageSize=20')).persons, ...third.persons];
      expect(new Set(all.map((p) => p.id)).size).toBe(47);
      expect((await roster('?page=4&pageSize=20')).persons).toEqual([]);
    });

    it("never shows another unit's persons", async () => {
      expect(names(await roster('?asOf=2026-03-01'))).not.toContain(OTHER_UNIT_PERSON.name);
      const agency = await roster('?asOf=2026-03-01', agencyToken);
      expect(names(agency)).toEqual([OTHER_UNIT_PERSON.name]);
      expect((await roster(`?q=${OTHER_UNIT_PERSON.id}`)).total).toBe(0);
    });
  });

  describe('history', () => {
    beforeEach(async () => {
      await seedSubmission(portal.db, {
        unitId: companyId,
        clerkId,
        receiptNo: 'R1150101000001',
        receivedAt: '2026-01-01T02:00:00.000Z',
        filings: [
          { kind: 'enrol', idNumber: WANG.id, name: WANG.name, effectiveDate: '2026-01-01' },
          { kind: 'enrol', idNumber: LEE.id, name: LEE.name, effectiveDate: '2026-02-01', late: true },
        ],
      });
      await seedSubmission(portal.db, {
        unitId: companyId,
        clerkId,
        receiptNo: 'R1150820000002',
        // 2026-08-20 07:30 in Taipei is still 2026-08-19 in UTC.
        receivedAt: '2026-08-19T23:30:00.000Z',
        filings: [
          { kind: 'withdraw', idNumber: LEE.id, name: LEE.name, effectiveDate: '2026-08-15' },
          {
            kind: 'amount-change',
            idNumber: CHEN.id,
            name: CHEN.name,
            state: 'rejected',
            issues: [{ field: 'idNumber', code: 'ERR_ROSTER_NOT_INSURED', severity: 'error' }],
          },
        ],
      });
    });

    it('lists filings newest first with receipt, state and signer, IDs masked', async () => {
      const reply = await history();
      expect(reply.total).toBe(4);
      expect(reply.filings.map((f) => [f.receiptNo, f.kind, f.state])).toEqual([
        ['R1150820000002', 'withdraw', 'accepted'],
        ['R1150820000002', 'amount-change', 'rejected'],
        ['R1150101000001', 'enrol', 'accepted'],
        ['R1150101000001', 'enrol', 'accepted'],
      ]);
      expect(reply.filings[3]).toMatchObject({ late: true, signer: { label: '王大明 TEST' } });
      expect(JSON.stringify(reply)).not.toContain(LEE.id);
    });

    it('filters by ID, name, Taipei received day, kind and state, and pages', async () => {
      expect((await history(`?idNumber=${LEE.id}`)).total).toBe(2);
      expect((await history(`?name=${encodeURIComponent('志豪')}`)).total).toBe(1);
      expect((await history('?kind=enrol')).total).toBe(2);
      expect((await history('?state=rejected')).filings.map((f) => f.kind)).toEqual(['amount-change']);
      expect((await history('?from=2026-08-20&to=2026-08-20')).total).toBe(2);
      expect((await history('?to=2026-08-19')).total).toBe(2);
      expect((await history('?kind=withdraw&state=rejected')).total).toBe(0);
      const page2 = await history('?page=2&pageSize=20');
      expect(page2).toMatchObject({ total: 4, page: 2, filings: [] });
    });

    it("never shows another unit's filings", async () => {
      expect((await history('', agencyToken)).total).toBe(0);
    });
  });

  describe('reveal', () => {
    it('gives one full ID number of this unit and audits it', async () => {
      const response = await post(
        portal.app,
        '/api/filings/reveal',
        { source: 'dependant', id: ids.child },
        clerkToken,
      );
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json()).toEqual({ idNumber: WANG_CHILD.id });
      const rows = await auditRows(portal.db, 'id-reveal');
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        outcome: 'success',
        unit_code: COMPANY_CODE,
        detail: `dependant ${ids.child}`,
      });
      expect(rows[0]!.subject).toMatch(/^certificate:/);
      expect(JSON.stringify(rows)).not.toContain(WANG_CHILD.id);
    });

    it("refuses another unit's record, audited", async () => {
      const response = await post(
        portal.app,
        '/api/filings/reveal',
        { source: 'insured', id: ids.other },
        clerkToken,
      );
      expect(response.statusCode).toBe(404);
      expect(errorOf(response)).toMatchObject({ code: 'ERR_PORTAL_RECORD_NOT_FOUND', field: 'id' });
      expect(await auditRows(portal.db, 'id-reveal')).toMatchObject([
        { outcome: 'refused', error_code: 'ERR_PORTAL_RECORD_NOT_FOUND' },
      ]);
    });
  });

  describe('CSV exports', () => {
    it('writes the roster as UTF-8 with a BOM that parses back, IDs masked by default', async () => {
      const response = await get(portal.app, '/api/filings/roster.csv?asOf=2026-04-01', clerkToken);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/csv/);
      expect(response.headers['content-disposition']).toContain('roster-2026-04-01.csv');
      const bytes = response.rawPayload;
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const rows = parseCsv(bytes.subarray(3).toString('utf8'));
      expect(rows[0]![1]).toBe('身分證號 ID number');
      // 王大明 with two dependants, then 李小華.
      expect(rows.slice(1).map((r) => [r[0], r[2]])).toEqual([
        ['被保險人', WANG.name],
        ['眷屬', WANG_CHILD.name],
        ['眷屬', WANG_SPOUSE.name],
        ['被保險人', LEE.name],
      ]);
      expect(rows[1]![3]).toBe('1990/01/15');
      expect(rows[1]![5]).toBe('30300');
      expect(rows[3]![8]).toBe('配偶');
      expect(bytes.toString('utf8')).not.toContain(WANG.id);
      expect(await auditRows(portal.db, 'id-export')).toEqual([]);
    });

    it('writes full ID numbers only when asked, audited with the row count', async () => {
      const response = await get(
        portal.app,
        '/api/filings/roster.csv?asOf=2026-04-01&idNumbers=full',
        clerkToken,
      );
      const rows = parseCsv(response.rawPayload.subarray(3).toString('utf8'));
      expect(rows[1]![1]).toBe(WANG.id);
      expect(rows[2]![7]).toBe(WANG.id);
      expect(await auditRows(portal.db, 'id-export')).toMatchObject([
        { outcome: 'success', unit_code: COMPANY_CODE, detail: 'roster full ID numbers, 4 rows' },
      ]);
    });

    it('writes the history, and guards cells Excel would run as formulas', async () => {
      await seedSubmission(portal.db, {
        unitId: companyId,
        clerkId,
        receiptNo: 'R1151201000003',
        receivedAt: '2026-12-01T01:00:00.000Z',
        filings: [
          { kind: 'enrol', idNumber: personId(9), name: '=HYPERLINK("x")', effectiveDate: '2026-12-01' },
        ],
      });
      const response = await get(portal.app, '/api/filings/history.csv?kind=enrol', clerkToken);
      expect(response.statusCode).toBe(200);
      expect([...response.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const rows = parseCsv(response.rawPayload.subarray(3).toString('utf8'));
      expect(rows).toHaveLength(2);
      expect(rows[1]).toEqual(
        expect.arrayContaining([
          'R1151201000003',
          '2026/12/01 09:00',
          '加保',
          `'=HYPERLINK("x")`,
          '2026/12/01',
          '已核准',
        ]),
      );
    });
  });

  describe('refusals', () => {
    it('refuses bad filters and names the field', async () => {
      const cases: Array<[string, string, string]> = [
        ['/api/filings/roster?asOf=2026-02-30', 'ERR_PORTAL_INVALID_DATE', 'asOf'],
        ['/api/filings/roster?asOf=yesterday', 'ERR_PORTAL_INVALID_DATE', 'asOf'],
        ['/api/filings/roster?page=0', 'ERR_PORTAL_BAD_REQUEST', 'page'],
        ['/api/filings/roster?pageSize=1000', 'ERR_PORTAL_BAD_REQUEST', 'pageSize'],
        ['/api/filings/roster?sort=name', 'ERR_PORTAL_BAD_REQUEST', 'sort'],
        ['/api/filings/history?idNumber=A123456788', 'ERR_PORTAL_INVALID_ID_NUMBER', 'idNumber'],
        ['/api/filings/history?idNumber=A12', 'ERR_PORTAL_INVALID_ID_NUMBER', 'idNumber'],
        ['/api/filings/history?kind=marriage', 'ERR_PORTAL_BAD_REQUEST', 'kind'],
        ['/api/filings/history?state=lost', 'ERR_PORTAL_BAD_REQUEST', 'state'],
        ['/api/filings/history?from=2026-09-01&to=2026-08-01', 'ERR_PORTAL_INVALID_DATE', 'to'],
        ['/api/filings/history.csv?idNumbers=all', 'ERR_PORTAL_BAD_REQUEST', 'idNumbers'],
      ];
      for (const [url, code, field] of cases) {
        const response = await get(portal.app, url, clerkToken);
        expect(response.statusCode, url).toBe(400);
        expect(errorOf(response), url).toMatchObject({ code, field });
      }
    });

    it('needs a session', async () => {
      for (const url of ['/api/filings/roster', '/api/filings/history', '/api/filings/roster.csv']) {
        expect(errorOf(await get(portal.app, url)).code, url).toBe('ERR_PORTAL_SESSION_MISSING');
      }
      const reveal = await post(portal.app, '/api/filings/reveal', { source: 'insured', id: ids.wangNow });
      expect(errorOf(reveal).code).toBe('ERR_PORTAL_SESSION_MISSING');
    });
  });
});
