import {type ContractTest, MULTI_BLOCK, TEST_BYTES, check, checkPredicate} from './context.js';

const UPLOAD_META = ['upload', 'getObjectMetadata'];
const UPLOAD_GET = ['upload', 'getObject'];

/** Offsets around the 512-byte block boundaries at which createOpenAtPositionTest opens the multi-block file. */
const POSITIONS = [0, 256, 511, 512, 513, 768, 1024, 1025];

function checkContent(actual: Buffer, expected: Buffer): void {
  check(actual.length === expected.length, `The content length of the written file is ${actual.length} but expected ${expected.length}`);
  check(actual.equals(expected), 'The content of the written file is incorrect');
}

/** Tests 1 to 9 of Alluxio's common operations: creating files and reading them back. */
export const CREATE_TESTS: ContractTest[] = [
  {
    name: 'createAtomicTest',
    related: UPLOAD_META,
    async run(t) {
      const path = t.path('createAtomic');
      const writer = await t.ufs.create(path, {createParent: true});
      await new Promise<void>((resolve, reject) => writer.write(TEST_BYTES, (e) => (e ? reject(e) : resolve())));
      const visibleEarly = await t.isFile(path).catch((e: unknown) => {
        writer.destroy();
        throw e;
      });
      if (visibleEarly) writer.destroy();
      checkPredicate(visibleEarly, false, 'isFile');
      await new Promise<void>((resolve, reject) => {
        writer.once('error', reject);
        writer.end(resolve);
      });
      checkPredicate(await t.isFile(path), true, 'isFile');
    },
  },
  {
    name: 'createEmptyTest',
    related: UPLOAD_META,
    async run(t) {
      const path = t.path('createEmpty');
      await t.write(path, Buffer.alloc(0));
      checkPredicate(await t.isFile(path), true, 'isFile');
    },
  },
  {
    name: 'createNoParentTest',
    related: [],
    localOnly: true,
    async run(t) {
      const path = t.path('nonexistent/testFile');
      const created = await t.write(path, TEST_BYTES, false).then(
        () => true,
        () => false,
      );
      check(!created, 'Creating a file whose parent does not exist should fail, but succeeded');
    },
  },
  {
    name: 'createParentTest',
    related: UPLOAD_META,
    async run(t) {
      const path = t.path('nonexistent/testFile');
      await t.write(path, TEST_BYTES, true);
      checkPredicate(await t.exists(path), true, 'exists');
    },
  },
  {
    name: 'createOpenTest',
    related: UPLOAD_GET,
    async run(t) {
      const path = t.path('createOpen');
      await t.write(path, TEST_BYTES);
      checkContent(await t.read(path), TEST_BYTES);
    },
  },
  {
    name: 'createOpenEmptyTest',
    related: UPLOAD_GET,
    async run(t) {
      const path = t.path('createOpenEmpty');
      await t.write(path, Buffer.alloc(0));
      checkContent(await t.read(path), Buffer.alloc(0));
    },
  },
  {
    name: 'createOpenAtPositionTest',
    related: UPLOAD_GET,
    async run(t) {
      const path = t.path('createOpenAtPosition');
      await t.write(path, MULTI_BLOCK);
      for (const position of POSITIONS) {
        const rest = await t.read(path, position);
        check(rest[0] === MULTI_BLOCK[position], `The content of the written file is incorrect at position ${position}`);
      }
    },
  },
  {
    name: 'createOpenLargeTest',
    related: UPLOAD_GET,
    async run(t) {
      const path = t.path('createOpenLarge');
      await t.write(path, MULTI_BLOCK);
      checkContent(await t.read(path), MULTI_BLOCK);
    },
  },
  {
    name: 'createOpenExistingLargeFileTest',
    related: UPLOAD_GET,
    async run(t) {
      const path = t.path('createOpenExistingLargeFile');
      await t.write(path, MULTI_BLOCK);
      checkContent(await t.read(path), MULTI_BLOCK);
    },
  },
];
