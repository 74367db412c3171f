/**
 * The front-matter block (through the line of its closing `---`) and the rest of the file.
 * gray-matter gets only the block: it copies its whole input into a Buffer and looks it up
 * as an object key, which on long articles costs more than parsing the YAML.
 * `closed` says whether the text opens a front matter with `---` and closes it.
 */
export function splitHead(text: string): { head: string; rest: string; closed: boolean } {
  if (!text.startsWith('---')) return { head: text, rest: '', closed: false }
  const close = text.indexOf('\n---', 3)
  if (close === -1) return { head: text, rest: '', closed: false }
  const lineEnd = text.indexOf('\n', close + 4)
  if (lineEnd === -1) return { head: text, rest: '', closed: true }
  return { head: text.slice(0, lineEnd + 1), rest: text.slice(lineEnd + 1), closed: true }
}
