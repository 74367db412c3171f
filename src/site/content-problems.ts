import { findAliasClashes } from '../content/article-aliases.js'
import type { Catalog, ContentEntry } from '../content/catalog.js'
import type { Problem, ProblemEffect } from '../content/format-problem.js'
import { readFrontMatterLine, type LineOf } from '../content/read-front-matter-line.js'
import { findDuplicateIds, findMissingIds } from './article-id-problems.js'
import type { Article } from '../content/parse-article.js'
import type { ArticleRenderer } from '../markdown/render-article.js'
import { toContentPath } from '../markdown/resolve-url.js'

/** A problem as the server, its log, `GET /status` and `check` report it: with what it does to the article. */
export interface ReportedProblem extends Problem {
  effect: ProblemEffect
}


/** What rendering one version of an article found: kept per article object, as its body does not change. */
export interface BodyFindings {
  problems: Problem[]
  /** The article's pictures (lead first), with the line that names each, to find those missing from the folder. */
  pictures: Array<{ url: string; lead: boolean; line: number | undefined }>
}

/** Everything the list of problems is made from: the content as loaded, at one time. */
export interface ContentSnapshot {
  /** Every article file's latest outcome, drafts and scheduled articles included, in file order. */
  entries: Iterable<ContentEntry>
  catalog: Catalog
  now: Date
  baseUrl: string
  contentDir: string
}

/** Render an article (or take its render) and keep what the problem list needs of it. */
export function inspectBody(article: Article, renderer: ArticleRenderer): BodyFindings {
  const rendered = renderer.render(article)
  return { problems: rendered.problems, pictures: rendered.media.map(({ url, lead, line }) => ({ url, lead, line })) }
}

/**
 * Every problem of a content folder, in file then line order: the one list the server
 * logs and lists at `GET /status`, and `check` prints. Problems that keep a file (or this
 * version of it) out are `held back`; those an article goes out with are `published`.
 * A missing local picture is one of those: the article is published with its URL, which
 * starts to work as soon as the file is added. Most problems are errors (`check` fails);
 * an article without an `id:` is a warning, as it is published exactly as before.
 *
 * @param findingsOf the body findings of an article, `undefined` when it is not rendered
 *   yet (the server renders in the background after start-up): counted in `pending`
 */
export function listContentProblems(snapshot: ContentSnapshot, findingsOf: (article: Article) => BodyFindings | undefined): { problems: ReportedProblem[]; pending: number } {
  const { entries, catalog, now, baseUrl, contentDir } = snapshot
  const articles: Article[] = []
  for (const entry of entries) if (entry.article) articles.push(entry.article)
  const lineOf: LineOf = (file, keys) => readFrontMatterLine(contentDir, file, keys)
  const problems: ReportedProblem[] = [
    ...catalog.problems.map((problem) => withEffect(problem, 'held back')),
    ...findSlugClashes(articles, catalog, now, lineOf).map((problem) => withEffect(problem, 'held back')),
    ...findFutureUpdates(articles, lineOf, now).map((problem) => withEffect(problem, 'published')),
    // The article is published; only the alias does not redirect to it.
    ...findAliasClashes(catalog, lineOf).map((problem) => withEffect(problem, 'published')),
    ...findDuplicateIds(articles, lineOf).map((problem) => withEffect(problem, 'published')),
    ...findMissingIds(catalog, baseUrl).map((problem) => withEffect(problem, 'published')),
  ]
  let pending = 0
  for (const article of articles) {
    const findings = findingsOf(article)
    if (!findings) {
      pending++
      continue
    }
    for (const problem of findings.problems) problems.push(withEffect(problem, 'published'))
    for (const problem of findMissingPictures(article, findings, catalog.media, baseUrl, lineOf)) problems.push(withEffect(problem, 'published'))
  }
  // By file, then by line, so the list reads in the order an editor fixes things (sort is stable).
  problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0)))
  return { problems, pending }
}

// An effect the problem was made with wins: some front-matter findings let the article out.
function withEffect(problem: Problem, effect: ProblemEffect): ReportedProblem {
  return { ...problem, effect: problem.effect ?? effect }
}

/** `file:line`, or the file alone when the line is not known. */
function placeOf(file: string, line: number | undefined): string {
  return line === undefined ? file : `${file}:${line}`
}

/**
 * Files whose slug an article already has: `buildCatalog` gave it to the published file
 * that sorts first, and publishes no other. A draft or a scheduled article that shares it
 * would be refused the day it goes out, so say it now. Both files are named, each with
 * the line of its `slug:` when it writes one.
 */
function findSlugClashes(articles: ReadonlyArray<Article>, catalog: Catalog, now: Date, lineOf: LineOf): Problem[] {
  const bySlug = new Map<string, Article[]>()
  for (const article of [...articles].sort((a, b) => (a.file < b.file ? -1 : 1))) {
    const group = bySlug.get(article.slug) ?? []
    group.push(article)
    bySlug.set(article.slug, group)
  }
  const problems: Problem[] = []
  for (const [slug, group] of bySlug) {
    if (group.length < 2) continue
    const holder = catalog.bySlug.get(slug)
    for (const article of group) {
      if (article === holder) continue
      const other = holder ?? group.find((candidate) => candidate !== article)!
      const where = placeOf(other.file, lineOf(other.file, ['slug']))
      const message = article.draft || article.date > now ? `also used by ${where}; this ${article.draft ? 'draft' : 'scheduled article'} cannot be published under it` : `already used by ${where}; this file is not published`
      const line = lineOf(article.file, ['slug'])
      problems.push({ file: article.file, ...(line === undefined ? {} : { line }), field: 'slug', message: `duplicate slug "${slug}", ${message}` })
    }
  }
  return problems
}

/**
 * An `updated:` later than now is a typo or a wrong offset: every feed would show it as
 * the article's (and so the feed's) last change until that day, and validators call it
 * implausible. It is published as written, and reported.
 */
function findFutureUpdates(articles: ReadonlyArray<Article>, lineOf: LineOf, now: Date): Problem[] {
  const problems: Problem[] = []
  for (const article of articles) {
    if (!article.updated || article.updated <= now) continue
    const line = lineOf(article.file, ['updated'])
    problems.push({ file: article.file, ...(line === undefined ? {} : { line }), field: 'updated', message: `${article.updated.toISOString()} is later than now (${now.toISOString()}); expected the time of the last change` })
  }
  return problems
}

/** Pictures under this site's /media/ that are no file of the content folder: broken in every feed reader until the file is added. */
function findMissingPictures(article: Article, findings: BodyFindings, media: ReadonlyMap<string, unknown>, baseUrl: string, lineOf: LineOf): Problem[] {
  const problems: Problem[] = []
  for (const picture of findings.pictures) {
    // Pictures on this site outside /media/ are the renderer's to report (they are never served).
    const contentPath = toContentPath(baseUrl, picture.url)
    if (contentPath === undefined || media.has(contentPath)) continue
    const reason = `not found: the content folder has no file "${contentPath}"`
    if (picture.lead) {
      const line = lineOf(article.file, ['image', 'src'])
      problems.push({ file: article.file, ...(line === undefined ? {} : { line }), field: 'image.src', message: `image "${article.image?.src ?? picture.url}" ${reason}` })
    } else {
      problems.push({ file: article.file, ...(picture.line === undefined ? {} : { line: picture.line }), field: 'body', message: `image "${picture.url}" ${reason}` })
    }
  }
  return problems
}
