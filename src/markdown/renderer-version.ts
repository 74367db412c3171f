/**
 * Bump when the HTML that `renderMarkdown` produces changes for the same input, so that
 * cached renders made by an older version are not served. Apart from the renderer, so
 * that reading it does not load remark.
 */
export const rendererVersion = '5'
