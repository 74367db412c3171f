import { writeFile } from 'node:fs/promises'
import http from 'node:http'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { reviseArticle, revisionMarker } from './generate-corpus.mjs'
import { request } from './processes.mjs'

/**
 * Edit an article every `intervalMs` until `until` settles, and time each edit from the
 * write until a client polling `feedUrl` (one kept-alive connection, `If-None-Match` with
 * the last ETag it got, as an aggregator polls) receives a body with the new revision.
 * The articles are put back as generated afterwards.
 *
 * @param {{
 *   feedUrl: string,
 *   contentDir: string,
 *   articles: import('./generate-corpus.mjs').CorpusArticle[],
 *   firstRevision: number,
 *   until: Promise<unknown>,
 *   intervalMs?: number,
 *   pollIntervalMs?: number,
 *   giveUpMs?: number,
 * }} options `articles` must all be in the feed at `feedUrl`; they are edited in turn.
 * @returns {Promise<{ samples: number[], missed: number, polls: number, pollErrors: number }>}
 *   `samples`: milliseconds from each write to the first body with it; `missed`: edits not seen within `giveUpMs`
 */
export async function timeEditsWhilePolling({ feedUrl, contentDir, articles, firstRevision, until, intervalMs = 1000, pollIntervalMs = 5, giveUpMs = 10_000 }) {
  let done = false
  void until.finally(() => (done = true)).catch(() => {})
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
  const poller = { etag: undefined, polls: 0, errors: 0 }
  const samples = []
  let missed = 0
  try {
    let nextEditAt = performance.now()
    for (let edit = 0; !done; edit++) {
      await sleep(Math.max(0, nextEditAt - performance.now()))
      if (done) break
      nextEditAt += intervalMs
      const article = articles[edit % articles.length]
      const revision = firstRevision + edit
      const started = performance.now()
      await writeFile(path.join(contentDir, article.file), reviseArticle(article.text, revision))
      const seen = await pollUntilSeen(feedUrl, Buffer.from(revisionMarker(revision)), { agent, poller, pollIntervalMs, deadline: started + giveUpMs })
      if (seen) samples.push(Math.round(performance.now() - started))
      else missed++
    }
  } finally {
    agent.destroy()
    // Put the corpus back as generated, so later phases measure the same bytes on every run.
    for (const article of articles) await writeFile(path.join(contentDir, article.file), article.text)
  }
  return { samples, missed, polls: poller.polls, pollErrors: poller.errors }
}

/** Poll until a body holding `marker` arrives (true) or `deadline` passes (false). */
async function pollUntilSeen(url, marker, { agent, poller, pollIntervalMs, deadline }) {
  while (performance.now() < deadline) {
    poller.polls++
    let response
    try {
      response = await request(url, { agent, headers: poller.etag ? { 'if-none-match': poller.etag } : {}, timeoutMs: Math.max(1, deadline - performance.now()) })
    } catch (error) {
      // A kept-alive connection closed at that very moment, or a poll that outlived the deadline: counted, asked again.
      poller.errors++
      if (!['ECONNRESET', 'EPIPE', 'ECONNREFUSED'].includes(error.code) && !String(error.message).startsWith('timeout')) throw error
      continue
    }
    if (response.status === 200) {
      poller.etag = response.headers.etag
      if (response.body.includes(marker)) return true
    } else if (response.status !== 304) {
      poller.errors++
    }
    await sleep(pollIntervalMs)
  }
  return false
}
