/**
 * Escaping for values placed inside an FFmpeg filter graph, e.g. the seed pipeline's `fontfile=`
 * paths. Only paths we create or configure go through here; user text never enters the graph.
 *
 * A value is parsed twice: first the graph parser splits filters on `[ ] , ;` (honouring `\` and
 * quotes), then the filter splits its options on `:` (again honouring `\` and quotes). So the
 * value is escaped for the option level first and the result escaped again for the graph level.
 */
export function escapeFilterValue(value: string): string {
  if (/^\s|\s$/.test(value)) {
    // Both parsers trim unescaped outer whitespace; refusing is clearer than a wrong path.
    throw new Error('Filter values cannot start or end with whitespace');
  }
  const optionLevel = value.replace(/[\\':]/g, (char) => `\\${char}`);
  return optionLevel.replace(/[\\'[\],;]/g, (char) => `\\${char}`);
}

/** Seconds with microsecond precision, the resolution FFmpeg keeps for durations anyway. */
export function sec(value: number): string {
  return String(Math.round(value * 1e6) / 1e6);
}
