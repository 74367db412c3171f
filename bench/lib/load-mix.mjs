import autocannon from 'autocannon'

/**
 * A mix of requests under load, in a process of its own so that the load generator does
 * not share an event loop with the bench: every connection sends `requests` in turn, again
 * and again. (The autocannon command line takes one request; its API takes a sequence.)
 *
 * Usage: node bench/lib/load-mix.mjs '{"url":"http://127.0.0.1:6081","connections":256,"durationS":60,"requests":[{"path":"/feed.xml","headers":{}}]}'
 * Prints autocannon's result as one line of JSON.
 */
const { url, connections, durationS, requests } = JSON.parse(process.argv[2] ?? '{}')
if (!url || !connections || !durationS || !Array.isArray(requests)) {
  console.error(`usage: node bench/lib/load-mix.mjs '{"url":…,"connections":…,"durationS":…,"requests":[{"path":…,"headers":{…}}]}'`)
  process.exit(2)
}
const result = await autocannon({ url, connections, duration: durationS, requests: requests.map(({ path, headers }) => ({ method: 'GET', path, headers })) })
// The per-second histograms are long and not used.
delete result.requests.samples
console.log(JSON.stringify(result))
