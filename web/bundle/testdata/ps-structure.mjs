// ps-structure.mjs reads PowerShell file paths, one a line, on standard
// input and prints one JSON line per file: its statement structure as
// parsed by the tree-sitter PowerShell grammar (node types, no text), whether
// the parse had errors, and the text of every string literal or bare token
// holding a typographic quote. PowerShell ends strings at typographic
// quotes and this grammar does not, so the Go test checks those texts.
//
//   node web/bundle/testdata/ps-structure.mjs < files.txt
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Parser, Language } from 'web-tree-sitter';

const require = createRequire(import.meta.url);
await Parser.init();
const grammar = require.resolve('tree-sitter-powershell/tree-sitter-powershell.wasm');
const parser = new Parser();
parser.setLanguage(await Language.load(grammar));

const typographic = /[\u2018\u2019\u201a\u201b\u201c\u201d\u201e]/;
const input = readFileSync(0, 'utf8').split('\n').filter(Boolean);
const out = [];
for (const file of input) {
  let src = readFileSync(file, 'utf8');
  if (src.startsWith('\ufeff')) src = src.slice(1);
  const tree = parser.parse(src);
  const strings = [];
  const bare = [];
  const walk = (node) => {
    if (node.type === 'comment') return;
    if (node.type === 'string_literal') {
      if (typographic.test(node.text)) strings.push(node.text);
      return;
    }
    if (node.childCount === 0 && typographic.test(node.text)) bare.push(node.text);
    for (const child of node.children) walk(child);
  };
  walk(tree.rootNode);
  let errorAt = '';
  if (tree.rootNode.hasError) {
    const find = (node) => {
      if (node.isError || node.isMissing) return node;
      for (const child of node.children) {
        const e = child.hasError || child.isMissing ? find(child) : null;
        if (e) return e;
      }
      return null;
    };
    const e = find(tree.rootNode);
    errorAt = e ? `line ${e.startPosition.row + 1}: ${e.toString()}` : 'error';
  }
  out.push(JSON.stringify({ file, sig: tree.rootNode.toString(), errorAt, strings, bare }));
  tree.delete();
}
process.stdout.write(out.join('\n') + '\n');
