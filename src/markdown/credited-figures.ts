import type { Element, ElementContent, Root, RootContent } from 'hast'
import { h } from 'hastscript'
import type { Plugin } from 'unified'
import { SKIP, visit } from 'unist-util-visit'
import type { VFile } from 'vfile'

/** A picture of the article body with the credit its title gave. */
export interface BodyImage {
  /** `src` as written in the Markdown (made absolute later, with the rest of the page). */
  src: string
  alt: string
  /** Who is credited, without the © sign: "Christian Wiediger via Unsplash". */
  credit?: string | undefined
  /** The notice as written, when it is one: "© Christian Wiediger via Unsplash". */
  copyright?: string | undefined
  /** Line of the image in the Markdown body (1-based), to report problems. */
  line?: number | undefined
}

/** What the figures plugin leaves in `file.data`. */
export interface FiguresData {
  images: BodyImage[]
}

// "Copyright ©" repeats the mark, "Copyright:" ends it with a colon; a notice often names
// the year(s) before the holder.
const copyrightMark = /^(?:(?:©|\(c\)|copyright\b)[\s:]*)+/i
const noticeYears = /^\d{4}(?:\s*[-–]\s*\d{4})?\s*,?\s*/

/**
 * Split an image title into credit and copyright notice. A title that starts with a
 * copyright mark is a notice; the credit is the holder it names, after the mark and
 * any year: "© 2026 Jane Doe" credits "Jane Doe".
 */
export function parseCreditLine(title: string): { credit: string; copyright: string | undefined } {
  const line = title.trim()
  if (copyrightMark.test(line)) return { credit: line.replace(copyrightMark, '').replace(noticeYears, '').trim() || line, copyright: line }
  return { credit: line, copyright: undefined }
}

/** Caption text for a credit: the notice when it names the credited party, else both. */
export function formatCreditCaption(credit: string, copyright: string | undefined): string {
  if (copyright === undefined || copyright === credit) return credit
  if (copyright.includes(credit)) return copyright
  return `${credit} · ${copyright}`
}

/**
 * rehype plugin: wrap every image in `<figure>` with a `<figcaption>` that shows its
 * credit, taken from the Markdown image title (`![alt](src "© Holder")`). Images alone
 * in a paragraph replace it; images inside running text are moved right after their
 * paragraph, since a figure cannot sit inside a paragraph. Found images are listed in
 * `file.data.images`.
 */
export const rehypeCreditedFigures: Plugin<[], Root> = () => (tree: Root, file: VFile) => {
  const images: BodyImage[] = []
  ;(file.data as Partial<FiguresData>).images = images
  visit(tree, 'element', (node, index, parent) => {
    if (node.tagName !== 'p' || parent === undefined || index === undefined) return
    const units = node.children.filter(isImageUnit)
    if (units.length === 0) return
    const figures = units.map((unit) => toFigure(unit, images))
    const rest = node.children.filter((child) => !units.includes(child as Element))
    const onlyImages = rest.every((child) => child.type === 'text' && child.value.trim() === '')
    const replacement: RootContent[] = onlyImages ? figures : [{ ...node, children: trimEdges(rest) }, ...figures]
    parent.children.splice(index, 1, ...(replacement as Element[]))
    return [SKIP, index + replacement.length]
  })
  // Images elsewhere (lists, tables) are wrapped where they stand.
  visit(tree, 'element', (node, index, parent) => {
    if (parent === undefined || index === undefined || (parent.type === 'element' && parent.tagName === 'figure')) return
    if (node.tagName === 'figure') return SKIP
    if (!isImageUnit(node)) return
    parent.children[index] = toFigure(node, images)
    return SKIP
  })
}

/** An image, or a link whose only content is an image. */
function isImageUnit(node: ElementContent): node is Element {
  if (node.type !== 'element') return false
  if (node.tagName === 'img') return true
  return node.tagName === 'a' && node.children.length === 1 && node.children[0]?.type === 'element' && node.children[0].tagName === 'img'
}

function toFigure(unit: Element, images: BodyImage[]): Element {
  const img = unit.tagName === 'img' ? unit : (unit.children[0] as Element)
  const title = typeof img.properties.title === 'string' ? img.properties.title : ''
  delete img.properties.title
  const parsed = title.trim() === '' ? undefined : parseCreditLine(title)
  images.push({
    src: String(img.properties.src ?? ''),
    alt: String(img.properties.alt ?? ''),
    credit: parsed?.credit,
    copyright: parsed?.copyright,
    line: img.position?.start.line,
  })
  const caption = parsed === undefined ? [] : [h('figcaption', formatCreditCaption(parsed.credit, parsed.copyright))]
  return h('figure', [unit, ...caption])
}

function trimEdges(children: ElementContent[]): ElementContent[] {
  const copy = [...children]
  const first = copy[0]
  if (first?.type === 'text') copy[0] = { ...first, value: first.value.trimStart() }
  const last = copy.at(-1)
  if (last?.type === 'text') copy[copy.length - 1] = { ...last, value: last.value.trimEnd() }
  return copy
}
