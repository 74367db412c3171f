import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }
const ciRun = readFileSync(new URL('../.ci/run', import.meta.url), 'utf8')

/** The shell commands of the fenced `sh` blocks of a section. */
function commandsOf(section: string): string[] {
  const start = readme.indexOf(`## ${section}\n`)
  const end = readme.indexOf('\n## ', start + 1)
  const text = readme.slice(start, end === -1 ? undefined : end)
  return [...text.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((match) => match[1]!.trim().split('\n'))
}

describe('README.md', () => {
  it('has the sections of the unified skeleton, in order', () => {
    const sections = [...readme.matchAll(/^## (.+)$/gm)].map((match) => match[1])
    expect(sections).toEqual(['What is this', 'Quick start', 'Writing articles', 'Configuration', 'Deploy', 'Develop', 'Security'])
  })

  it('gives exactly two Quick start commands: serve, then test', () => {
    expect(commandsOf('Quick start')).toEqual(['npm install && npm start', 'npm install && npm test'])
  })

  it('is what CI runs: .ci/run ends with the README test command', () => {
    const lines = ciRun.trim().split('\n')
    expect(lines.at(-1)).toBe('npm install && npm test')
  })

  it.each([...new Set([...readme.matchAll(/\]\(((?:docs\/)[^)#]+)/g)].map((match) => match[1]!))])('links to %s, which exists', (file) => {
    expect(existsSync(new URL(`../${file}`, import.meta.url))).toBe(true)
  })

  it.each([...new Set([...readme.matchAll(/npm run (?:--silent )?([\w:-]+)/g)].map((match) => match[1]!))])('names npm run %s, which package.json defines', (script) => {
    expect(packageJson.scripts).toHaveProperty(script)
  })
})
