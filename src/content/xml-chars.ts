import { loadOnDemand } from '../load-on-demand.js'

// Loaded with the first control character met: compiling its tables would cost every start-up.
const loadIconv = loadOnDemand<typeof import('iconv-lite')>('iconv-lite', import.meta.url)

/**
 * Characters XML 1.0 does not allow anywhere in a document (C0 controls other than
 * tab, LF and CR; U+FFFE, U+FFFF; lone surrogates). feedsmith passes them through and
 * a strict parser then rejects the whole feed, so they are removed where text enters.
 * @see https://www.w3.org/TR/xml/#charsets
 */
const forbidden = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/**
 * DEL and the C1 controls: XML 1.0 allows them but asks authors to avoid them, and the W3C
 * validator flags them (BadCharacters). In an article they are Windows-1252 punctuation
 * read as Latin-1 (`l\u0092enquête`), so they become what Windows-1252 meant, as HTML does
 * for `&#x92;`; DEL and the five codes Windows-1252 leaves undefined are removed.
 */
const discouraged = /[\u007F-\u009F]/g

/**
 * Remove every character XML 1.0 forbids and replace the controls it discourages (see
 * `discouraged`); other text is returned unchanged.
 */
export function stripInvalidXmlChars(text: string): string {
  // Nearly every text is clean; two native scans are much cheaper than the full pattern.
  if (!controls.test(text) && text.isWellFormed()) return text
  return text.replace(forbidden, '').replace(discouraged, (control) => {
    // iconv-lite, not TextDecoder: Node 20's 'windows-1252' decoder is Latin-1 and maps nothing.
    const meant = loadIconv().decode(Buffer.of(control.charCodeAt(0)), 'windows-1252')
    return meant === '\uFFFD' || meant === control ? '' : meant
  })
}

const controls = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]/
