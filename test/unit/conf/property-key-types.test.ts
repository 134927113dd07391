import path from 'node:path';
import ts from 'typescript';
import {describe, expect, it} from 'vitest';

// The compiler itself checks a snippet against Configuration's signatures: a key typed as plain string again
// would let the misspelt reads below compile, and this test fail.
const HERE = path.dirname(new URL(import.meta.url).pathname);
const SNIPPET = path.join(HERE, 'typed-keys-snippet.ts');

function compile(body: string): string[] {
  const source = `import {Configuration} from '../../../src/conf/configuration.js';\nconst conf = new Configuration();\n${body}\n`;
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
  };
  const host = ts.createCompilerHost(options);
  const {getSourceFile, fileExists, readFile} = host;
  host.fileExists = (file) => file === SNIPPET || fileExists(file);
  host.readFile = (file) => (file === SNIPPET ? source : readFile(file));
  host.getSourceFile = (file, language, ...rest) =>
    file === SNIPPET ? ts.createSourceFile(file, source, language) : getSourceFile(file, language, ...rest);
  const program = ts.createProgram([SNIPPET], options, host);
  return ts
    .getPreEmitDiagnostics(program, program.getSourceFile(SNIPPET))
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('typed property keys', () => {
  it('compile every getter with registered names, aliases and root mount options', () => {
    expect(
      compile(`
        conf.get('alluxio.work.dir');
        conf.get('aws.accessKeyId');
        conf.get('alluxio.master.mount.table.root.option.alluxio.underfs.s3.endpoint');
        conf.isSet('alluxio.master.hostname');
        conf.getOrUndefined('alluxio.master.hostname');
        conf.getBoolean('alluxio.debug');
        conf.getInt('alluxio.master.web.port');
        conf.getBytes('alluxio.worker.tieredstore.level0.dirs.quota');
        conf.getDurationMs('alluxio.underfs.s3.socket.timeout');
        conf.getMode('alluxio.underfs.s3.default.mode');
        conf.getList('alluxio.tmp.dirs');
        conf.displayValue('s3a.secretKey');
        const writeType: 'MUST_CACHE' | 'CACHE_THROUGH' | 'THROUGH' | 'ASYNC_THROUGH' = conf.getEnum('alluxio.user.file.writetype.default');
        const name: string = 'from.user.input';
        conf.lookup(name);
        void writeType;
      `),
    ).toEqual([]);
  });

  it('reject a misspelt name in every getter', () => {
    const getters = ['get', 'isSet', 'getOrUndefined', 'getBoolean', 'getInt', 'getBytes', 'getDurationMs', 'getMode', 'getList', 'displayValue'];
    const errors = compile(getters.map((g) => `conf.${g}('alluxio.wrong.key');`).join('\n'));
    expect(errors).toHaveLength(getters.length);
    for (const error of errors) expect(error).toMatch(/^Argument of type '"alluxio.wrong.key"' is not assignable/);
  });

  it('reject a string built at run time, and a non-enum key or an unlisted value in getEnum', () => {
    expect(compile(`const name: string = 'alluxio.work.dir';\nconf.get(name);`)).toHaveLength(1);
    expect(compile(`conf.getEnum('alluxio.work.dir');`)).toHaveLength(1);
    expect(compile(`const t: 'NO_SUCH_TYPE' = conf.getEnum('alluxio.user.file.writetype.default');\nvoid t;`)).toHaveLength(1);
  });
});
