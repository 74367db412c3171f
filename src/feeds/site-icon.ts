import { readFileSync } from 'node:fs'
import path from 'node:path'
import { imageSize } from 'image-size'
import type { Config } from '../config.js'
import type { MediaFile } from '../content/catalog.js'
import { readListedFile } from '../content/content-jail.js'

/** URL paths of the site icon: the PNG feeds name, the ICO browsers and readers ask for unprompted, and Creditline's SVG. */
export const siteIconPaths = { png: '/icon.png', ico: '/favicon.ico', svg: '/icon.svg' } as const

/** Absolute URLs of the site icon; `svg` only while the site uses Creditline's own icon (there is no SVG of a configured one). */
export function siteIconUrls(baseUrl: string, site: Pick<Config['site'], 'icon'>): { png: string; ico: string; svg: string | undefined } {
  return {
    png: `${baseUrl}${siteIconPaths.png}`,
    ico: `${baseUrl}${siteIconPaths.ico}`,
    svg: site.icon === undefined ? `${baseUrl}${siteIconPaths.svg}` : undefined,
  }
}

const assetsDir = new URL('../../assets/', import.meta.url)

/** The content-folder path of a configured icon, as the catalog's media are keyed. */
export function iconContentPath(icon: string): string {
  return path.posix.normalize(icon.split(path.sep).join('/'))
}

/**
 * The icon's PNG: `file` (the configured one, `site.icon`, checked to be a PNG by
 * `loadConfig`), or Creditline's own (`assets/icon.png`, drawn from `assets/icon.svg`).
 */
export function readSiteIconPng(file: MediaFile | undefined): Buffer {
  // A configured icon is read as every content file is (see openContentFile).
  return file ? readListedFile(file) : readFileSync(new URL('icon.png', assetsDir))
}

/** Creditline's own icon as SVG. */
export function readDefaultIconSvg(): Buffer {
  return readFileSync(new URL('icon.svg', assetsDir))
}

/**
 * A PNG wrapped as an ICO file (one image, stored as PNG, which every browser since
 * 2007 reads). Written by hand because it is a 22-byte header: no installed library writes ICO.
 * @see https://en.wikipedia.org/wiki/ICO_(file_format)#Outline
 */
export function toIco(png: Buffer): Buffer {
  const { width, height } = imageSize(png)
  const header = Buffer.alloc(22)
  header.writeUInt16LE(0, 0) // reserved
  header.writeUInt16LE(1, 2) // 1 = icon
  header.writeUInt16LE(1, 4) // one image
  // A size of 256 or more is written 0.
  header.writeUInt8(width >= 256 ? 0 : width, 6)
  header.writeUInt8(height >= 256 ? 0 : height, 7)
  header.writeUInt8(0, 8) // no palette
  header.writeUInt8(0, 9) // reserved
  header.writeUInt16LE(1, 10) // colour planes
  header.writeUInt16LE(32, 12) // bits per pixel
  header.writeUInt32LE(png.length, 14)
  header.writeUInt32LE(header.length, 18) // the image follows the header
  return Buffer.concat([header, png])
}
