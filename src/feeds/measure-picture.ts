import { imageSize } from 'image-size'
import type { MediaFile } from '../content/catalog.js'
import { readListedFile } from '../content/content-jail.js'

/** What a picture file of the content folder tells about itself. */
export interface PictureFile {
  /** Size in bytes: RSS `enclosure/@length`, `media:content/@fileSize`. */
  bytes: number
  /** Pixels, when image-size can read them (PNG, JPEG, GIF, WebP, SVG with a size…). */
  width: number | undefined
  height: number | undefined
}

// A MediaFile is made anew when its file changes, so one per object is always current.
const measured = new WeakMap<MediaFile, PictureFile>()

/** Size and dimensions of a content picture, read once per version of the file. */
export function measurePicture(file: MediaFile): PictureFile {
  let picture = measured.get(file)
  if (!picture) {
    picture = { bytes: file.size, ...readDimensions(file) }
    measured.set(file, picture)
  }
  return picture
}

function readDimensions(file: MediaFile): { width: number | undefined; height: number | undefined } {
  try {
    // Through the jail: a picture swapped for a link since it was listed is not read.
    const { width, height } = imageSize(readListedFile(file))
    return { width, height }
  } catch {
    // Not a format image-size reads, or gone (or a link) since it was listed: feeds go without dimensions.
    return { width: undefined, height: undefined }
  }
}
