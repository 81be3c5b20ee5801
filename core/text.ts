/** A file-name-safe slug of a title, e.g. "Pink Tennis Shoes!" → "pink-tennis-shoes". */
export const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60) || 'ad';
