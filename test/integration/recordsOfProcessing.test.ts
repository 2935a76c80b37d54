import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { personalDataKinds } from '../../domain/personalData';
import { openStore, type Store } from '../../store';
import { testServers, uniqueName } from '../support/servers';

const docs = join(__dirname, '../../docs');
const documents = ['records-of-processing.md', 'records-of-processing.da.md'].map((file) => [file, readFileSync(join(docs, file), 'utf8')] as const);

/** The fields a document lists: table rows that start with `collection.field` and its kind. */
function listedFields(text: string): Record<string, string> {
  return Object.fromEntries([...text.matchAll(/^\| `(\w+\.[\w.]+)` \| `(\w+)` \|/gm)].map((m) => [m[1], m[2]]));
}

/**
 * The records of processing, in English and Danish, list exactly the database fields the
 * schemas mark as personal data, each with its kind, and describe every kind. The
 * schemas are read from the models of a store on the real database, so a collection
 * added to the store is covered without being named here.
 */
describe('the records of processing', () => {
  let store: Store;
  beforeAll(async () => {
    store = openStore(testServers().mongodbUri, uniqueName('records'));
    await store.conn.asPromise();
  });
  afterAll(() => store?.close());

  function markedFields(): Record<string, string> {
    const marked: Record<string, string> = {};
    for (const model of Object.values(store.conn.models)) {
      model.schema.eachPath((path, type) => {
        const kind = (type.options as { personal?: string }).personal;
        if (kind) marked[`${model.collection.collectionName}.${path}`] = kind;
      });
    }
    return marked;
  }

  it('marks the fields that hold personal data, with known kinds', () => {
    const marked = markedFields();
    expect(marked).toMatchObject({ 'users.email': 'contact', 'tasks.input': 'writtenText', 'accessLog.userId': 'accessRecord' });
    expect(new Set(Object.values(marked))).toEqual(new Set(personalDataKinds));
  });

  it.each(documents)('%s lists each of them with its kind, and nothing else', (_file, text) => {
    expect(listedFields(text)).toEqual(markedFields());
  });

  it.each(documents)('%s describes every kind', (_file, text) => {
    for (const kind of personalDataKinds) expect(text).toMatch(new RegExp(`^\\| \`${kind}\` \\| [^|]+ \\| [^|]+ \\| [^|]+ \\|$`, 'm'));
  });
});
