import { mkdir, readdir, readFile, rename, rm, symlink, utimes, writeFile } from 'node:fs/promises'
import path from 'node:path'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/main.js'
import { captureIo } from '../cli/captured-io.js'
import { article, createTestSite, testFilesModified, testSiteSettings, type TestSite, withoutWarnings, testId } from '../helpers/test-site.js'
import { waitFor } from '../helpers/wait-for.js'

// The content folder is a jail: a symbolic link, to a file or a folder, outside or
// inside, made before the start or while the server runs, never gets a byte from
// outside the folder into a response, and is reported as a problem.

const secret = 'SECRET-OUTSIDE-THE-CONTENT-FOLDER'
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('inside')])
const baseFiles = { 'a.md': article({ title: '"Inside"', id: testId(1) }), 'images/real.png': png }

interface Folders {
  dir: string
  contentDir: string
  outside: string
}

interface LinkCase {
  kind: string
  /** Links to make, in order: path in the content folder and target. */
  links: Array<[string, (folders: Folders) => string]>
  /** URLs that following the links would publish. */
  urls: string[]
}

const linkCases: LinkCase[] = [
  { kind: 'a file outside', links: [['images/env.png', ({ outside }) => path.join(outside, 'secret.png')]], urls: ['/media/images/env.png'] },
  { kind: 'the process environment', links: [['images/environ.svg', () => '/proc/self/environ']], urls: ['/media/images/environ.svg'] },
  { kind: 'the configuration file', links: [['images/config.png', ({ dir }) => path.join(dir, 'creditline.config.json')]], urls: ['/media/images/config.png'] },
  { kind: 'an article outside', links: [['stolen.md', ({ outside }) => path.join(outside, 'secret.md')]], urls: ['/articles/stolen', '/feed.json'] },
  { kind: 'a folder outside', links: [['linked', ({ outside }) => outside]], urls: ['/media/linked/secret.png', '/media/linked/inner-link.png', '/articles/secret', '/feed.json'] },
  { kind: 'a folder outside, by a relative path', links: [['images/up', () => '../..']], urls: ['/media/images/up/outside/secret.png', '/media/images/up/creditline.config.json'] },
  {
    kind: 'a chain of links',
    links: [
      ['images/hop.png', ({ outside }) => path.join(outside, 'secret.png')],
      ['images/chain.png', () => 'hop.png'],
    ],
    urls: ['/media/images/chain.png', '/media/images/hop.png'],
  },
  { kind: 'a file inside the folder', links: [['images/alias.png', () => 'real.png']], urls: ['/media/images/alias.png'] },
  { kind: 'a folder inside the folder', links: [['gallery', () => 'images']], urls: ['/media/gallery/real.png'] },
  { kind: 'nothing', links: [['images/gone.png', ({ outside }) => path.join(outside, 'nothing.png')]], urls: ['/media/images/gone.png'] },
]

/** Files outside the content folder for links to lead to, one of them a link itself. */
async function makeOutside(dir: string): Promise<string> {
  const outside = path.join(dir, 'outside')
  await mkdir(outside, { recursive: true })
  await writeFile(path.join(outside, 'secret.png'), Buffer.concat([png, Buffer.from(secret)]))
  await writeFile(path.join(outside, 'secret.md'), article({ title: `"${secret}"` }, `${secret}\n`))
  await symlink(path.join(outside, 'secret.png'), path.join(outside, 'inner-link.png'))
  return outside
}

async function makeLinks(folders: Folders, links: LinkCase['links']): Promise<void> {
  for (const [link, target] of links) {
    await mkdir(path.dirname(path.join(folders.contentDir, link)), { recursive: true })
    await symlink(target(folders), path.join(folders.contentDir, link))
  }
}

/** What a client receives at `url`: every byte, as text. */
async function fetchText(site: TestSite, url: string): Promise<{ status: number; text: string }> {
  const response = await request(site.app).get(url).buffer(true).parse((res, done) => {
    const chunks: Buffer[] = []
    res.on('data', (chunk: Buffer) => chunks.push(chunk))
    res.on('end', () => done(null, Buffer.concat(chunks)))
  })
  return { status: response.status, text: (response.body as Buffer).toString('latin1') }
}

interface StatusProblem {
  severity?: string
  file: string
  field: string
  message: string
}

async function statusProblems(site: TestSite): Promise<StatusProblem[]> {
  return withoutWarnings((JSON.parse((await request(site.app).get('/status')).text) as { problems: StatusProblem[] }).problems)
}

/** What must never reach a client: the secret, the environment, the configuration. */
function expectNothingFromOutside(text: string): void {
  expect(text).not.toContain(secret)
  expect(text).not.toContain('PATH=')
  // How createTestSite writes the configuration file.
  expect(text).not.toContain(JSON.stringify({ site: testSiteSettings }).slice(0, -2))
}

async function expectJailed(site: TestSite, { links, urls }: LinkCase): Promise<void> {
  for (const url of urls) {
    const { status, text } = await fetchText(site, url)
    if (url.startsWith('/media/') || url.startsWith('/articles/')) expect(status, url).toBe(404)
    expectNothingFromOutside(text)
  }
  const problems = await statusProblems(site)
  for (const [link] of links) {
    expect(problems.filter((problem) => problem.file === link), link).toEqual([{ file: link, field: 'file', message: expect.stringMatching(/^is a symbolic link/), effect: 'held back' }])
  }
  // /status names files by their path in the folder, never where the folder is.
  expect(JSON.stringify(problems)).not.toContain(site.dir)
}

/** A site whose folder holds every link of `linkCases` before it starts. */
function createSiteWithEveryLink(): Promise<TestSite> {
  return createTestSite(baseFiles, {
    prepare: async ({ dir, contentDir }) => {
      const folders = { dir, contentDir, outside: await makeOutside(dir) }
      for (const { links } of linkCases) await makeLinks(folders, links)
    },
  })
}

describe('symbolic links present at start-up', () => {
  let site: TestSite
  beforeAll(async () => {
    site = await createSiteWithEveryLink()
  })
  afterAll(() => site.dispose())

  it.each(linkCases.map((row) => [row.kind, row] as const))('a link to %s is refused and reported', async (_kind, row) => {
    await expectJailed(site, row)
  })

  it('the rest of the folder is published', async () => {
    expect((await fetchText(site, '/media/images/real.png')).status).toBe(200)
    expect((await fetchText(site, '/articles/a')).status).toBe(200)
  })

  it('says whether a link leads outside the folder, without saying where', async () => {
    const messages = new Map((await statusProblems(site)).map((problem) => [problem.file, problem.message]))
    expect(messages.get('images/env.png')).toBe('is a symbolic link to a place outside the content folder; it is not published')
    expect(messages.get('images/alias.png')).toBe('is a symbolic link; links are not published, even inside the content folder (move or copy the file here instead)')
    expect(messages.get('images/gone.png')).toBe('is a symbolic link to nothing')
  })
})

describe('symbolic links made while the server runs', () => {
  let site: TestSite
  let folders: Folders
  beforeAll(async () => {
    site = await createTestSite(baseFiles, { watch: true })
    folders = { dir: site.dir, contentDir: site.contentDir, outside: await makeOutside(site.dir) }
  })
  afterAll(() => site.dispose())

  it.each(linkCases.map((row) => [row.kind, row] as const))('a link to %s is refused and reported', async (_kind, row) => {
    await makeLinks(folders, row.links)
    await waitFor(async () => {
      const files = new Set((await statusProblems(site)).map((problem) => problem.file))
      return row.links.every(([link]) => files.has(link)) || undefined
    }, { what: `the problems of ${row.links.map(([link]) => link).join(', ')} in /status` })
    await expectJailed(site, row)
  })

  it('a published picture replaced by a link stops being served, and the link removed stops being a problem', async () => {
    expect((await fetchText(site, '/media/images/swapped.png')).status).toBe(404)
    await writeFile(path.join(site.contentDir, 'images/swapped.png'), png)
    await waitFor(async () => (await fetchText(site, '/media/images/swapped.png')).status === 200 || undefined, { what: 'the picture served' })
    const link = path.join(site.contentDir, 'images/swapped.png.new')
    await symlink(path.join(folders.outside, 'secret.png'), link)
    await rename(link, path.join(site.contentDir, 'images/swapped.png'))
    await waitFor(async () => ((await statusProblems(site)).some((problem) => problem.file === 'images/swapped.png') ? true : undefined), { what: 'the link reported' })
    const { status, text } = await fetchText(site, '/media/images/swapped.png')
    expect(status).toBe(404)
    expectNothingFromOutside(text)
    await rm(path.join(site.contentDir, 'images/swapped.png'))
    await waitFor(async () => ((await statusProblems(site)).some((problem) => problem.file === 'images/swapped.png') ? undefined : true), { what: 'the problem gone' })
  })
})

describe('a file swapped for a link after it was listed (no watcher to notice)', () => {
  let site: TestSite
  let outside: string
  beforeAll(async () => {
    site = await createTestSite({ ...baseFiles, 'images/late.png': png }, { prepare: async ({ dir }) => void (outside = await makeOutside(dir)) })
  })
  afterAll(() => site.dispose())

  it('a picture is not served from where the link leads', async () => {
    await rm(path.join(site.contentDir, 'images/late.png'))
    await symlink(path.join(outside, 'secret.png'), path.join(site.contentDir, 'images/late.png'))
    const { status, text } = await fetchText(site, '/media/images/late.png')
    expect(status).toBe(404)
    expectNothingFromOutside(text)
  })

  it("an article's body is not read from where the link leads, even from a file of the same size and time", async () => {
    // The body is read only if the file still has the size and time its front matter was read with.
    const inside = baseFiles['a.md']
    const lookalike = path.join(outside, 'lookalike.md')
    await writeFile(lookalike, inside.replace(/Un paragraphe\.\n$/, `${secret}\n`.slice(0, 'Un paragraphe.\n'.length)))
    expect((await readFile(lookalike)).length).toBe(Buffer.byteLength(inside))
    await utimes(lookalike, testFilesModified, testFilesModified)
    await rm(path.join(site.contentDir, 'a.md'))
    await symlink(lookalike, path.join(site.contentDir, 'a.md'))
    const page = await fetchText(site, '/articles/a')
    expect(page.status).toBe(200)
    expect(page.text).not.toContain(secret.slice(0, 'Un paragraphe.'.length))
    expect(JSON.stringify(await statusProblems(site))).not.toContain(site.dir)
  })
})

describe('a configured icon or a picture swapped for a link after it was listed', () => {
  let site: TestSite
  let outside: string
  beforeAll(async () => {
    const icon = await readFile(new URL('../../assets/icon.png', import.meta.url))
    site = await createTestSite(
      { 'a.md': article({ image: '{ src: images/lead.png, alt: "A box", credit: "Ada" }' }), 'images/icon.png': icon, 'images/lead.png': icon },
      { configFile: { site: { ...testSiteSettings, icon: 'images/icon.png' } }, prepare: async ({ dir }) => void (outside = await makeOutside(dir)) },
    )
  })
  afterAll(() => site.dispose())

  it.each(['/icon.png', '/favicon.ico'])('%s is not served from where the link leads', async (url) => {
    await rm(path.join(site.contentDir, 'images/icon.png'), { force: true })
    await symlink(path.join(outside, 'secret.png'), path.join(site.contentDir, 'images/icon.png')).catch(() => undefined)
    const { status, text } = await fetchText(site, url)
    expect(status).toBe(404)
    expectNothingFromOutside(text)
  })

  it('a picture of a feed is not measured from where the link leads', async () => {
    // A link to an endless file would never be read to its end.
    await rm(path.join(site.contentDir, 'images/lead.png'))
    await symlink('/dev/zero', path.join(site.contentDir, 'images/lead.png'))
    const { status, text } = await fetchText(site, '/feed.xml')
    expect(status).toBe(200)
    expectNothingFromOutside(text)
  })
})

describe('check and the static export', () => {
  let site: TestSite
  beforeAll(async () => {
    site = await createSiteWithEveryLink()
  })
  afterAll(() => site.dispose())

  const linkFiles = linkCases.flatMap(({ links }) => links.map(([link]) => link)).sort()

  it('check reports every link as a problem and exits 1', async () => {
    const io = captureIo(site.dir)
    expect(await runCli(['check'], io)).toBe(1)
    const reported = io
      .err()
      .split('\n')
      .filter((line) => line.includes(': file: is a symbolic link'))
      .map((line) => line.slice('content/'.length, line.indexOf(': file:')))
    expect(reported.sort()).toEqual(linkFiles)
    expect(io.out()).toBe(`1 article checked, ${linkFiles.length} problems in ${linkFiles.length} files\n`)
  })

  it('the export writes no file from outside the folder and reports every link', async () => {
    const io = captureIo(site.dir)
    const out = path.join(site.dir, 'public')
    expect(await runCli(['build', '--out', out], io)).toBe(0)
    const written = (await readdir(out, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile() || entry.isSymbolicLink())
    expect(written.filter((entry) => entry.isSymbolicLink())).toEqual([])
    for (const entry of written) expectNothingFromOutside(await readFile(path.join(entry.parentPath, entry.name), 'latin1'))
    expect((await readdir(path.join(out, 'media/images'))).sort()).toEqual(['real.png'])
    for (const link of linkFiles) expect(io.err()).toContain(`content/${link}: file: is a symbolic link`)
  })
})
