import { stat } from 'node:fs/promises'
import type { Config } from '../config.js'
import { buildCatalog } from '../content/build-catalog.js'
import type { Catalog, ContentEntry, MediaFile } from '../content/catalog.js'
import { loadContent } from '../content/load-content.js'
import { CommandError, displayPath, type CliIo } from './cli-io.js'

/** A content folder as a command sees it: read once, and catalogued at one instant. */
export interface Snapshot {
  /** Every article file's outcome, in file order (links left out: see `catalog.problems`). */
  entries: ContentEntry[]
  media: Map<string, MediaFile>
  /** Built from every entry, links included: they are entries with a problem only, never published. */
  catalog: Catalog
  /** The instant of the catalog (the CLI's clock), which the workers reuse. */
  now: Date
}

/**
 * Read the content folder `config` names and catalogue it: what ContentStore.open does
 * for the server, without a store, since the commands and their workers need the
 * entries themselves. `check`, `export` and the workers all start from one.
 *
 * @param options.useIndex read and save the front-matter index of the cache folder
 *   (`export`); `check` parses every file, as an editor fixing one expects
 * @throws {CommandError} when the content folder does not exist
 */
export async function loadSnapshot(io: CliIo, config: Config, options: { useIndex: boolean }): Promise<Snapshot> {
  if (!(await stat(config.contentDir).catch(() => undefined))?.isDirectory()) throw new CommandError(`${displayPath(io.cwd, config.contentDir)}: no such content folder`)
  const { entries, media, links, saveIndex } = await loadContent(config.contentDir, { language: config.site.language, author: config.site.author }, { cacheDir: options.useIndex ? config.cacheDir : undefined, maxFileBytes: config.content.maxFileBytes })
  saveIndex()
  const now = io.now?.() ?? new Date()
  return { entries, media, catalog: buildCatalog([...entries, ...links], media, now), now }
}
