import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { createRandom } from './prng.mjs'

/**
 * Deterministic benchmark corpus: N articles that look like a newsroom's archive, valid
 * per src/content/front-matter-schema.ts. Bump `corpusVersion` whenever the output
 * changes, so results files say which corpus they measured.
 */
export const corpusVersion = 1

const authors = [
  'Élodie Marchand', 'François Lefèvre', "Chloé d'Arcy", "Zoë O'Brien", 'Jean-Noël Müller', 'Anaïs Côté',
  'Björn Åkesson', 'Ségolène Duprès', 'Mathieu Roux', 'Aurélie Benoît', 'Grégoire Lœuillet', 'Inès Haddad',
  'Thomas Nguyen', 'Léa Fontaine', 'Raphaël Cohen', 'Marie-Hélène Giraud', 'Noémie Laforêt', 'Hugo Péré',
  'Camille Dubœuf', 'Émile Zürcher', "Sophie O'Neill", 'Yasmine Benali', 'Pierre-Édouard Lemaître', 'Joël Bénard',
  'Clémence Daudet', 'Lucas Martín', 'Céline Ng', 'Gaëlle Perrot', 'Jérôme Lévêque', 'Søren Kierkegård',
]
const tags = [
  'Économie', 'Politique', 'Santé', 'Culture', 'Sciences', 'Tech', 'R&D', 'Art & Culture', 'Médias', 'Énergie',
  'Climat', 'Éducation', 'Justice', 'Société', 'Sport', 'Football', 'Cinéma', 'Musique', 'Littérature', 'Gastronomie',
  'Vin & Spiritueux', 'Transports', 'Logement', 'Emploi', 'Banque & Finance', 'Start-up', 'Intelligence artificielle',
  'Cybersécurité', 'Espace', 'Océans', 'Agriculture', 'Commerce', 'É-commerce', 'Amazon', 'Europe', 'Afrique', 'Asie',
  'Amériques', 'Moyen-Orient', 'France', 'Québec', 'Belgique', 'Suisse', 'Élections', 'Défense', 'Diplomatie',
  'Données', 'Vie privée', 'Photographie', 'Presse', 'Télévision', 'Radio', 'Jeux vidéo', 'Mode', 'Design',
  'Architecture', 'Patrimoine', 'Histoire', 'Philosophie', 'Démographie',
]
const agencies = ['AFP', 'Reuters', 'Associated Press', 'Getty Images', 'Shutterstock', 'Unsplash', 'Hans Lucas', 'Sipa Press', 'Magnum Photos', 'Keystone-ATS', 'Belga', 'La Presse canadienne']
const organisations = ['Amazon', 'Renault', 'Procter & Gamble', 'AT&T', 'LVMH', "L'Oréal", 'Société Générale', 'Crédit Agricole', 'Nestlé', 'Airbus', 'Ubisoft', 'Hydro-Québec', 'Banque de France', "l'Unesco", "l'Arcep", 'la SNCF', 'Mistral AI', 'Dassault Systèmes']
const codeNames = ['Ratatouille', 'Bouillabaisse', 'Cassoulet', 'Madeleine', 'Tartiflette', 'Croissant', 'Baguette', 'Clafoutis', 'Pistou', 'Galette']
const sourceSites = [
  ['Bloomberg', 'https://www.bloomberg.com/news/articles/'],
  ['Le Monde', 'https://www.lemonde.fr/economie/article/'],
  ['The Daily Telegraph', 'https://www.telegraph.co.uk/business/'],
  ['AFP', 'https://www.afp.com/fr/actus/'],
  ['Reuters', 'https://www.reuters.com/world/europe/'],
  ['Les Échos', 'https://www.lesechos.fr/industrie-services/'],
  ['Ouest-France', 'https://www.ouest-france.fr/economie/'],
  ["L'Équipe", 'https://www.lequipe.fr/Football/Article/'],
  ['Nature', 'https://www.nature.com/articles/'],
  ['Radio-Canada', 'https://ici.radio-canada.ca/nouvelle/'],
  ['Le Temps', 'https://www.letemps.ch/economie/'],
  ['Procter & Gamble Newsroom', 'https://news.pg.com/news-releases/'],
]
const licenses = ['https://creativecommons.org/licenses/by/4.0/', 'https://creativecommons.org/licenses/by-sa/4.0/', 'https://unsplash.com/license']
const roles = ['illustrator', 'graphic designer', 'artist', 'distribution company']
// Offsets editors in different bureaus write, including half- and quarter-hour zones and `Z`.
const offsets = ['+01:00', '+02:00', 'Z', '+00:00', '-05:00', '-04:00', '-08:00', '+05:30', '+05:45', '+09:00', '+10:00', '-03:00']
const words = (
  'le la les un une des du de au aux et ou mais donc or ni car que qui quoi dont où ce cette ces son sa ses leur leurs ' +
  'marché économie gouvernement entreprise société projet accord rapport étude données réseau énergie électricité ' +
  'croissance emploi salariés clients consommateurs région ville pays Europe France Québec Genève Bruxelles ' +
  'annonce révèle prépare lance négocie affirme estime souligne rappelle précise confirme dément réclame ' +
  'important nouveau récent public privé général européen français américain numérique économique écologique ' +
  'année mois semaine jour début fin hausse baisse prix coût chiffre milliard million euros dollars pourcentage ' +
  'selon après avant pendant depuis contre vers chez sans sous sur entre parmi également toujours encore déjà ' +
  'très plus moins aussi bien mal beaucoup peu trop assez notamment finalement désormais cependant toutefois ' +
  'être avoir faire dire pouvoir aller voir savoir vouloir venir devoir prendre trouver donner ' +
  'élève hôpital forêt château théâtre maïs naïveté cœur œuvre sœur façon garçon leçon reçu août Noël ' +
  "l'opération l'enquête l'usine l'avenir l'État d'abord d'ailleurs qu'il jusqu'à aujourd'hui"
).split(' ')
const asciiWords = 'marche budget reseau projet accord rapport energie climat sante ecole usine port ville region vote sommet'.split(' ')

/**
 * One article of the corpus, as the benchmark needs to know it.
 * @typedef {object} CorpusArticle
 * @property {string} file path relative to the content folder
 * @property {string} slug
 * @property {number} date publication instant, ms since epoch
 * @property {boolean} draft
 * @property {string[]} tags tag names
 * @property {string[]} authors author names
 * @property {string} text the file's contents
 */

/**
 * The corpus: where it is and what it holds.
 * @typedef {object} Corpus
 * @property {string} contentDir
 * @property {CorpusArticle[]} articles every article, drafts included, in file order
 * @property {number} published articles that are not drafts
 * @property {number} bytes total size of the Markdown files
 * @property {number} words total words of the bodies
 */

/**
 * Write `count` articles (plus the pictures they use) to `contentDir`.
 *
 * @param {{ contentDir: string, count: number, seed?: number }} options
 * @returns {Promise<Corpus>}
 */
export async function generateCorpus({ contentDir, count, seed = 20261126 }) {
  const random = createRandom(seed ^ count)
  const articles = []
  let totalWords = 0
  const slugs = []
  for (let index = 0; index < count; index++) {
    const made = makeArticle(random, index, slugs)
    slugs.push(made.slug)
    totalWords += made.words
    articles.push(made.article)
  }
  const folders = new Set(articles.map((article) => path.posix.dirname(article.file)))
  await mkdir(path.join(contentDir, 'images'), { recursive: true })
  for (const folder of folders) await mkdir(path.join(contentDir, folder), { recursive: true })
  for (let number = 0; number < 12; number++) {
    await writeFile(path.join(contentDir, 'images', `lead-${pad(number, 2)}.svg`), placeholderSvg(`Lead ${number}`))
    await writeFile(path.join(contentDir, 'images', `photo-${pad(number, 2)}.svg`), placeholderSvg(`Photo ${number}`))
  }
  // Writing in bounded batches keeps the number of open files low without serialising every write.
  for (let start = 0; start < articles.length; start += 256) {
    await Promise.all(articles.slice(start, start + 256).map((article) => writeFile(path.join(contentDir, article.file), article.text)))
  }
  return {
    contentDir,
    articles,
    published: articles.filter((article) => !article.draft).length,
    bytes: articles.reduce((sum, article) => sum + Buffer.byteLength(article.text), 0),
    words: totalWords,
  }
}

/**
 * The `count` newest published articles, newest first (ties by slug, as the catalog sorts).
 *
 * @param {CorpusArticle[]} articles
 * @param {number} count
 */
export function selectNewest(articles, count) {
  return articles
    .filter((article) => !article.draft)
    .sort((a, b) => b.date - a.date || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0))
    .slice(0, count)
}

/**
 * The same article with one more paragraph at the end: what an editor's correction looks like.
 *
 * @param {string} text the article file as generated
 * @param {number} revision a number that makes this revision's bytes unique
 */
export function reviseArticle(text, revision) {
  return `${text.trimEnd()}\n\n*${revisionMarker(revision)} l'article a été corrigé & complété après publication.*\n`
}

/**
 * The words of revision `revision` that reach every document showing the article as they
 * are written (no character a feed escapes), to tell that revision from the others.
 *
 * @param {number} revision
 */
export function revisionMarker(revision) {
  return `Mise à jour n° ${revision} :`
}

function makeArticle(random, index, previousSlugs) {
  const instant = Date.UTC(2019, 0, 1) + Math.floor(random.next() * (Date.UTC(2026, 9, 31) - Date.UTC(2019, 0, 1)))
  const year = new Date(instant).getUTCFullYear()
  const name = `${pad(index, 5)}-${random.pick(asciiWords)}-${random.pick(asciiWords)}`
  const explicitSlug = random.chance(0.05) ? `n${pad(index, 5)}-${random.pick(asciiWords)}` : undefined
  const slug = explicitSlug ?? name
  const file = `${year}/${name}.md`
  const lang = random.chance(0.1) ? 'en' : 'fr'
  const draft = random.chance(0.01)
  const articleTags = random.sample(tags, random.int(1, 5))
  const articleAuthors = random.chance(0.1) ? [] : random.sample(authors, random.chance(0.1) ? 2 : 1)
  const front = []
  front.push(`title: ${quote(random, makeTitle(random, lang))}`)
  front.push(`date: ${formatDate(instant, random.pick(offsets), random)}`)
  if (random.chance(0.2)) front.push(`updated: ${formatDate(instant + random.int(1, 240) * 3_600_000, random.pick(offsets), random)}`)
  if (articleAuthors.length === 1 && random.chance(0.7)) front.push(`author: ${quote(random, articleAuthors[0])}`)
  else if (articleAuthors.length === 1) front.push(`author:\n  name: ${quote(random, articleAuthors[0])}\n  url: https://news.example/equipe/${slugish(articleAuthors[0])}`)
  else if (articleAuthors.length > 1) front.push(`author:\n${articleAuthors.map((author) => `  - ${quote(random, author)}`).join('\n')}`)
  if (random.chance(0.5)) front.push(`summary: ${quote(random, sentence(random, 18, 34))}`)
  if (lang === 'en' || random.chance(0.3)) front.push(`lang: ${lang}`)
  front.push(random.chance(0.5) ? `tags: [${articleTags.map((tag) => JSON.stringify(tag)).join(', ')}]` : `tags:\n${articleTags.map((tag) => `  - ${quote(random, tag)}`).join('\n')}`)
  front.push(makeLeadImage(random, year))
  const sourceCount = random.chance(0.15) ? 0 : random.int(1, 3)
  if (sourceCount > 0) {
    front.push(`sources:\n${random.sample(sourceSites, sourceCount).map(([sourceName, base]) => `  - name: ${quote(random, sourceName)}\n    url: ${base}${year}/${slugish(sentence(random, 3, 6))}-${random.int(1000, 99999)}`).join('\n')}`)
  }
  if (draft) front.push('draft: true')
  else if (random.chance(0.05)) front.push('draft: false')
  if (explicitSlug) front.push(`slug: ${explicitSlug}`)
  const body = makeBody(random, previousSlugs)
  const text = `---\n${front.join('\n')}\n---\n\n${body.text}`
  return {
    slug,
    words: body.words,
    article: { file, slug, date: instant, draft, tags: articleTags, authors: articleAuthors, text },
  }
}

function makeTitle(random, lang) {
  const org = random.pick(organisations)
  const other = random.pick(organisations)
  const code = random.pick(codeNames)
  if (lang === 'en') {
    return random.pick([
      `${org}'s "${code}" plan: what it means for readers & publishers`,
      `Inside "${code}", the project ${org} won't talk about`,
      `${org} & ${other}: a deal worth ${random.int(2, 90)} billion`,
    ])
  }
  return random.pick([
    `« ${code} » : ${org} prépare une grande opération pour (re)séduire les clients`,
    `${org} & ${other} : l'accord à ${random.int(2, 90)} milliards d'euros qui inquiète Bruxelles`,
    `"${capitalize(sentence(random, 3, 6).replace(/\s*[.?]$/, ''))}", affirme la direction d'${org.replace(/^l'/, '')}`,
    `Pourquoi ${org} mise sur l'opération « ${code} » en ${random.int(2019, 2027)}`,
    `${capitalize(sentence(random, 6, 11).replace(/\s*[.?]$/, ''))} : l'enquête`,
  ])
}

function makeLeadImage(random, year) {
  const person = random.pick(authors)
  const agency = random.pick(agencies)
  const src = random.chance(0.7) ? `../images/lead-${pad(random.int(0, 11), 2)}.svg` : `https://cdn.example.net/photos/${year}/${random.int(100000, 999999)}.jpg`
  const lines = [
    'image:',
    `  src: ${src}`,
    `  alt: ${quote(random, `${capitalize(sentence(random, 5, 12).replace(/\s*[.?]$/, ''))} (« photo » d'illustration)`)}`,
    `  credit: ${quote(random, random.chance(0.5) ? `${person} via ${agency}` : agency)}`,
  ]
  if (random.chance(0.6)) lines.push(`  copyright: ${quote(random, `© ${random.int(2015, 2026)} ${agency}`)}`)
  if (random.chance(0.2)) lines.push(`  license: ${random.pick(licenses)}`)
  if (random.chance(0.15)) lines.push(`  role: ${random.pick(roles)}`)
  return lines.join('\n')
}

function makeBody(random, previousSlugs) {
  const target = random.int(600, 1200)
  const countWords = (text) => text.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word)).length
  // Every article carries each kind of block; they are written first so that their words
  // count towards the article's length, then placed after headings in random order.
  const specials = [
    list(random, '-', previousSlugs),
    list(random, '1.', previousSlugs),
    bodyImage(random),
    bodyImage(random),
    codeBlock(random),
    table(random),
    `> ${sentence(random, 14, 30)}\n>\n> — ${random.pick(authors)}, ${random.pick(organisations)}`,
  ]
  if (random.chance(0.5)) specials.push(bodyImage(random))
  const order = random.sample(specials, specials.length)
  let count = specials.reduce((sum, block) => sum + countWords(block), 0)
  const blocks = []
  const add = (text) => {
    blocks.push(text)
    count += countWords(text)
  }
  add(paragraph(random, previousSlugs))
  let sinceHeading = 1
  while (count < target) {
    if (sinceHeading >= random.int(1, 3)) {
      add(`${random.chance(0.8) ? '##' : '###'} ${capitalize(sentence(random, 3, 8).replace(/\s*[.?]$/, ''))}`)
      sinceHeading = 0
      const special = order.pop()
      if (special) blocks.push(special)
    }
    add(paragraph(random, previousSlugs))
    sinceHeading++
  }
  blocks.push(...order)
  return { text: `${blocks.join('\n\n')}\n`, words: count }
}

function paragraph(random, previousSlugs) {
  const sentences = []
  for (let index = random.int(2, 5); index > 0; index--) sentences.push(decorate(random, sentence(random, 8, 22), previousSlugs))
  return sentences.join(' ')
}

/** Inline Markdown an editor writes: emphasis, code, links of every kind, characters that need escaping in XML. */
function decorate(random, text, previousSlugs) {
  const roll = random.next()
  if (roll < 0.08) return text.replace(/(\S+) (\S+)/, '**$1 $2**')
  if (roll < 0.14) return text.replace(/(\S+)\.$/, '*$1*.')
  if (roll < 0.2) return `${withoutEnd(text)} (moins de ${random.int(2, 40)} % & < ${random.int(5, 99)} €).`
  if (roll < 0.26) {
    const [sourceName, base] = random.pick(sourceSites)
    return `${withoutEnd(text)}, selon [${sourceName}](${base}${random.int(2019, 2026)}/${random.int(10000, 99999)}).`
  }
  if (roll < 0.3 && previousSlugs.length > 0) return `${text} [Lire aussi](${random.pick(previousSlugs)}).`
  if (roll < 0.33) return `${text} Voir [le dossier](/tags/${slugish(random.pick(tags))}).`
  if (roll < 0.35) return `${withoutEnd(text)} avec \`${random.pick(['<feed>', 'If-None-Match', 'a && b', 'ETag'])}\`.`
  if (roll < 0.38) return `« ${withoutEnd(text)} », d'après ${random.pick(authors)}.`
  return text
}

function sentence(random, min, max) {
  const length = random.int(min, max)
  const parts = []
  for (let index = 0; index < length; index++) parts.push(random.pick(words))
  if (length > 10 && random.chance(0.4)) parts[random.int(3, length - 3)] += ','
  const end = random.chance(0.1) ? ' ?' : '.'
  return `${capitalize(parts.join(' '))}${end}`
}

function list(random, marker, previousSlugs) {
  const items = []
  for (let index = random.int(3, 6); index > 0; index--) items.push(`${marker} ${decorate(random, sentence(random, 4, 14), previousSlugs)}`)
  return items.join('\n')
}

function bodyImage(random) {
  const person = random.pick(authors)
  const agency = random.pick(agencies)
  const credit = random.pick([`© ${person} via ${agency}`, `© ${agency}`, `${person} / ${agency}`, `Photo : ${person} & ${agency}`, `(c) ${agency}`])
  const src = random.chance(0.8) ? `../images/photo-${pad(random.int(0, 11), 2)}.svg` : `https://cdn.example.net/photos/${random.int(100000, 999999)}.jpg`
  const alt = capitalize(sentence(random, 4, 10).replace(/\s*[.?]$/, '').replace(/[[\]]/g, ''))
  const image = `![${alt}](${src} "${credit.replace(/"/g, '\\"')}")`
  return random.chance(0.15) ? `[${image}](https://www.example.org/galerie/${random.int(1, 999)})` : image
}

function codeBlock(random) {
  return random.pick([
    '```js\nconst response = await fetch("https://news.example/feed.xml", { headers: { "If-None-Match": etag } })\nif (response.status === 304 && cache.has(url)) return cache.get(url)\nconsole.log(`<item> & ${response.status}`)\n```',
    '```sh\ncurl -sI -H "Accept-Encoding: br" https://news.example/feed.xml | grep -i etag\n```',
    '```json\n{ "version": "https://jsonfeed.org/version/1.1", "title": "Creditline & co", "items": [] }\n```',
  ])
}

function table(random) {
  const rows = ['| Pays | Part (%) | Évolution | Source |', '| --- | ---: | :---: | --- |']
  for (let index = random.int(3, 6); index > 0; index--) {
    rows.push(`| ${random.pick(['France', 'Québec', 'Belgique', 'Suisse', 'Sénégal', 'Côte d’Ivoire', 'Maroc'])} | ${random.int(1, 60)},${random.int(0, 9)} | ${random.chance(0.5) ? '+' : '−'}${random.int(0, 9)},${random.int(0, 9)} | ${random.pick(sourceSites)[0]} |`)
  }
  return rows.join('\n')
}

/** A YAML scalar in one of the two quoted styles editors use; both keep `:`, `#`, `&` and quotes literal. */
function quote(random, text) {
  return random.chance(0.7) ? JSON.stringify(text) : `'${text.replace(/'/g, "''")}'`
}

function formatDate(instant, offset, random) {
  const minutes = offset === 'Z' ? 0 : (offset[0] === '-' ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)))
  const local = new Date(instant + minutes * 60_000).toISOString().slice(0, 19)
  return `${random.chance(0.1) ? `${local}.000` : local}${offset}`
}

function withoutEnd(text) {
  return text.replace(/\s*[.?]$/, '')
}

function capitalize(text) {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

function slugish(text) {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
}

function pad(number, width) {
  return String(number).padStart(width, '0')
}

function placeholderSvg(label) {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="360" viewBox="0 0 640 360"><rect width="640" height="360" fill="#d9d4c7"/><text x="320" y="190" font-size="32" text-anchor="middle" fill="#555">${label}</text></svg>\n`
}

// Run directly to write a corpus for manual experiments: node bench/lib/generate-corpus.mjs --count 10000 --out /tmp/corpus
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { count: { type: 'string', default: '1000' }, out: { type: 'string' }, seed: { type: 'string' } } })
  if (!values.out) {
    console.error('usage: node bench/lib/generate-corpus.mjs --count N --out DIR [--seed S]')
    process.exit(2)
  }
  const corpus = await generateCorpus({ contentDir: path.resolve(values.out), count: Number(values.count), ...(values.seed ? { seed: Number(values.seed) } : {}) })
  console.log(`${corpus.articles.length} articles (${corpus.published} published), ${(corpus.bytes / 1e6).toFixed(1)} MB, ${corpus.words} words in ${corpus.contentDir}`)
}
