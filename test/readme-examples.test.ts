// Typechecks every ```ts example in the READMEs under packages/ and recipes/ with the TypeScript
// compiler API, against the workspace sources (no build needed). An example preceded by an
// `<!-- not-run -->` comment is skipped, and its README explains the reason. Packages execute their main
// example in their own readme tests, so this test only compiles.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const SKIP_MARKER = /^<!--\s*not-run\b.*-->$/;

interface Example {
  readme: string;
  /** 1-based line of the opening fence in the README. */
  line: number;
  code: string;
  /** Virtual file the example is compiled as, inside the package's src folder. */
  file: string;
}

/** Extracts the ```ts blocks of one README, without those marked not-run. */
function examplesOf(folder: string): Example[] {
  const readme = join(folder, 'README.md');
  const lines = readFileSync(readme, 'utf8').split('\n');
  const examples: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i].trim())) continue;
    const end = lines.findIndex((line, j) => j > i && line.trim() === '```');
    if (end < 0) throw new Error(`${readme}:${i + 1}: code fence is never closed`);
    let previous = i - 1;
    while (previous >= 0 && lines[previous].trim() === '') previous--;
    if (previous < 0 || !SKIP_MARKER.test(lines[previous].trim())) {
      const code = lines.slice(i + 1, end).join('\n');
      examples.push({ readme, line: i + 1, code, file: join(folder, 'src', `__readme_example_${i + 1}.ts`) });
    }
    i = end;
  }
  return examples;
}

function readmeFolders(): string[] {
  return ['packages', 'recipes'].flatMap((group) =>
    readdirSync(join(ROOT, group))
      .map((name) => join(ROOT, group, name))
      .filter((folder) => existsSync(join(folder, 'README.md'))),
  );
}

/** Reads the compiler options of tsconfig.typedoc.json: the base options plus paths to every package's src. */
function compilerOptions(): ts.CompilerOptions {
  const configFile = join(ROOT, 'tsconfig.typedoc.json');
  const { config, error } = ts.readConfigFile(configFile, ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, ROOT, undefined, configFile);
  // Examples are modules even without imports, so top-level await compiles.
  return { ...parsed.options, noEmit: true, moduleDetection: ts.ModuleDetectionKind.Force };
}

describe('README examples', () => {
  const examples = readmeFolders().flatMap(examplesOf);

  it('exist in the package READMEs', () => {
    expect(examples.length).toBeGreaterThan(5);
  });

  it('typecheck against the workspace packages', () => {
    const byFile = new Map(examples.map((example) => [example.file, example]));
    const options = compilerOptions();
    const host = ts.createCompilerHost(options);
    const { getSourceFile, fileExists, readFile } = host;
    host.fileExists = (file) => byFile.has(file) || fileExists.call(host, file);
    host.readFile = (file) => byFile.get(file)?.code ?? readFile.call(host, file);
    host.getSourceFile = (file, language, onError, create) => {
      const example = byFile.get(file);
      return example ? ts.createSourceFile(file, example.code, language, true) : getSourceFile.call(host, file, language, onError, create);
    };
    const program = ts.createProgram([...byFile.keys()], options, host);

    const problems = examples.flatMap((example) =>
      ts.getPreEmitDiagnostics(program, program.getSourceFile(example.file)).map((diagnostic) => {
        const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
        if (diagnostic.file?.fileName !== example.file || diagnostic.start === undefined) return `${example.readme.slice(ROOT.length + 1)}:${example.line}: ${message}`;
        const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
        return `${example.readme.slice(ROOT.length + 1)}:${example.line + 1 + line}: ${message}`;
      }),
    );
    expect(problems).toEqual([]);
  }, 120_000);
});
