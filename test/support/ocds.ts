import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';

/**
 * The official OCDS 1.1.5 schema and codelists, which the project does not ship: a
 * copy lies in `shared/data/ocds-1.1.5` beside the repository (`../shared` of a clone,
 * or of the folder holding a worktree), or where OCDS_SCHEMA_DIR says.
 */
export function ocdsSchemaDir(): string {
  const candidates = process.env.OCDS_SCHEMA_DIR ? [process.env.OCDS_SCHEMA_DIR] : [];
  for (let dir = resolve(__dirname, '../..'); dirname(dir) !== dir; dir = dirname(dir)) candidates.push(join(dirname(dir), 'shared', 'data', 'ocds-1.1.5'));
  const found = candidates.find((d) => existsSync(join(d, 'release-package-schema.json')));
  if (!found) throw new Error(`The OCDS 1.1.5 schema is not here: looked in ${candidates.join(', ')}. Copy it to ../shared/data/ocds-1.1.5 or set OCDS_SCHEMA_DIR.`);
  return found;
}

/** The rows of a CSV file: quoted fields may hold commas, quotes ("") and line breaks. */
function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') field += text[++i];
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n') {
      rows.push([...row, field.replace(/\r$/, '')]);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}

/** Each codelist's codes, from its CSV's `Code` column. */
function codelists(dir: string): Map<string, Set<string>> {
  const lists = new Map<string, Set<string>>();
  for (const file of readdirSync(join(dir, 'codelists')).filter((f) => f.endsWith('.csv'))) {
    const [header, ...rows] = csvRows(readFileSync(join(dir, 'codelists', file), 'utf8'));
    const column = header.indexOf('Code');
    if (column < 0) throw new Error(`${file}: no Code column`);
    lists.set(file, new Set(rows.map((r) => r[column])));
  }
  return lists;
}

let validator: ReturnType<Ajv['compile']> | undefined;
/**
 * The release package schema, draft-04 as OCDS writes it, with its formats; every field
 * that names a codelist must hold one of its codes, closed or open: the fund extends no
 * codelist, so a value outside one is a mistake here.
 */
function packageValidator() {
  if (validator) return validator;
  const dir = ocdsSchemaDir();
  const lists = codelists(dir);
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  ajv.addKeyword({
    keyword: 'codelist',
    schemaType: 'string',
    validate: (list: string, data: unknown) => {
      const codes = lists.get(list);
      if (!codes) throw new Error(`the schema names a codelist the copy lacks: ${list}`);
      return data == null || (Array.isArray(data) ? data : [data]).every((v) => codes.has(String(v)));
    },
  });
  ajv.addSchema(JSON.parse(readFileSync(join(dir, 'release-schema.json'), 'utf8')));
  validator = ajv.compile(JSON.parse(readFileSync(join(dir, 'release-package-schema.json'), 'utf8')));
  return validator;
}

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- walking an OCDS document

/**
 * A release package valid against the OCDS 1.1.5 schema and codelists, one release in
 * it, and what the schema cannot say: every organisation referenced is a party, a
 * contract's award exists, the tenderers are counted, none while the bids are sealed.
 */
export function expectValidOcds(pkg: Json) {
  const validate = packageValidator();
  expect(validate(pkg) ? [] : validate.errors).toEqual([]);
  expect(pkg.releases).toHaveLength(1);
  const r = pkg.releases[0];
  expect(r.ocid).toMatch(/^ocds-[a-z0-9]{6}-/);
  expect(pkg.publishedDate).toBe(r.date);
  const partyIds = new Set(r.parties.map((p: Json) => p.id));
  const isParty = (ref: Json) => expect(partyIds.has(ref.id)).toBe(true);
  isParty(r.buyer);
  if (r.tender) {
    isParty(r.tender.procuringEntity);
    // Bids still sealed (a window open, or never closed) publish no tenderers, not even their number.
    if (!r.tender.tenderers) expect(r.tender).not.toHaveProperty('numberOfTenderers');
    else {
      r.tender.tenderers.forEach(isParty);
      expect(r.tender.numberOfTenderers).toBe(r.tender.tenderers.length);
    }
  }
  for (const a of r.awards) (a.suppliers ?? []).forEach(isParty);
  for (const c of r.contracts) {
    expect(r.awards.map((a: Json) => a.id)).toContain(c.awardID);
    (c.implementation?.transactions ?? []).forEach((tr: Json) => [tr.payer, tr.payee].forEach(isParty));
  }
  return r;
}

/**
 * lib-cove-ocds run on packages as the Data Review Tool runs it, offline: the standard
 * it reads is the shared copy, zipped as the standard's repository lays it out. The
 * copy lacks the versioned-release schema, which only record packages use; an empty
 * draft-04 schema stands in for it. `command` is its CLI (provision/tools.ts), its
 * environment's Python beside it. Returns what lib-cove-ocds found in each package.
 */
export function libCoveOcds(command: string, packages: Json[]) {
  const work = mkdtempSync(join(tmpdir(), 'libcoveocds-'));
  const zip = join(work, 'standard.zip');
  const zipped = spawnSync(
    join(dirname(command), 'python'),
    [
      '-c',
      `import os, sys, zipfile
src, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(out, 'w') as z:
    z.writestr('standard-1__1__5/', '')
    for root, _, files in os.walk(src):
        for f in sorted(files):
            z.write(os.path.join(root, f), 'standard-1__1__5/schema/' + os.path.relpath(os.path.join(root, f), src))
    z.writestr('standard-1__1__5/schema/versioned-release-validation-schema.json', '{"$schema": "http://json-schema.org/draft-04/schema#"}')`,
      ocdsSchemaDir(),
      zip,
    ],
    { encoding: 'utf8' },
  );
  if (zipped.status !== 0) throw new Error(`zipping the standard failed: ${zipped.stderr}`);
  return packages.map((pkg, i) => {
    const file = join(work, `package-${i + 1}.json`);
    writeFileSync(file, JSON.stringify(pkg));
    const r = spawnSync(command, ['--schema-version', '1.1', '--standard-zip', zip, '--skip-aggregates', '--output-dir', join(work, `out-${i + 1}`), file], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (r.status !== 0) throw new Error(`libcoveocds on package ${i + 1} failed: ${r.stderr}`);
    return JSON.parse(r.stdout);
  });
}
