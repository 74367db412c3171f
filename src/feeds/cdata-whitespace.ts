/**
 * Remove the line break and indentation feedsmith's pretty printer puts around CDATA
 * sections, which would otherwise become part of the value (`<title>\n  A &amp; B\n</title>`
 * reads back as " A & B " with newlines). Written by hand because feedsmith's builder
 * options are fixed. It only ever deletes white space next to a CDATA boundary: inside a
 * CDATA section `]]>` cannot occur (feedsmith splits it), and `<![CDATA[` cannot occur
 * in our serialized HTML text, so no content but that white space is touched.
 */
export function tightenCdata(xml: string): string {
  return xml.replace(/>\n[ \t]*<!\[CDATA\[/g, '><![CDATA[').replace(/\]\]>\n[ \t]*<\//g, ']]></')
}
