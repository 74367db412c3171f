/** Words the service writes around an article, per language. */
export interface Labels {
  source: string
  sources: string
  /** Separator between a label and its value: French typography puts a space before the colon. */
  colon: string
  subscribe: string
  /** Before the JSON Feed link: a format for programs rather than for feed readers. */
  forPrograms: string
  by: string
  tagged: string
  published: string
  updated: string
  license: string
  olderArticles: string
  newerArticles: string
  page: string
  /** Opens the line that replaces an article's text in a feed it would make too large (see feed-budget). */
  tooLongForFeed: string
  /** The link of that line, to the article's page. */
  readInFull: string
}

const en: Labels = {
  source: 'Source',
  sources: 'Sources',
  colon: ': ',
  subscribe: 'Subscribe',
  forPrograms: 'for programs',
  by: 'By',
  tagged: 'Tags',
  published: 'Published',
  updated: 'Updated',
  license: 'license',
  olderArticles: 'Older articles',
  newerArticles: 'Newer articles',
  page: 'page',
  tooLongForFeed: 'This article is too long for this feed',
  readInFull: 'read it in full on its page',
}

const fr: Labels = {
  source: 'Source',
  sources: 'Sources',
  colon: ' : ',
  subscribe: "S'abonner",
  forPrograms: 'pour les programmes',
  by: 'Par',
  tagged: 'Thèmes',
  published: 'Publié le',
  updated: 'Mis à jour le',
  license: 'licence',
  olderArticles: 'Articles plus anciens',
  newerArticles: 'Articles plus récents',
  page: 'page',
  tooLongForFeed: 'Cet article est trop long pour ce fil',
  readInFull: 'lisez-le en entier sur sa page',
}

const byLanguage: Record<string, Labels> = { en, fr }

/** Labels for a BCP 47 language tag; languages without a translation get English. */
export function labelsFor(lang: string): Labels {
  return byLanguage[lang.toLowerCase().split('-')[0] ?? ''] ?? en
}
